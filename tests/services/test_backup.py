"""SQLite backups: online copies, keep N, daily when due, restore only what checks out."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import AuditEntry, Department
from app.models.db import Database, DatabaseError, open_database
from app.services.access import audit
from app.services.system import backup
from app.services.system.backup import BackupError


def _names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT name FROM departments ORDER BY id")]
    finally:
        con.close()


def _add(db: Database, name: str) -> None:
    with db.session() as s:
        s.add(Department(code=name, name=name))


def _path(db: Database) -> Path:
    return Path(db.engine.url.database)


def test_online_backup_is_a_consistent_self_contained_copy(sqlite_db: Database) -> None:
    _add(sqlite_db, "甲")
    # Taken while the program has the database open.
    dest = backup.backup_now(_path(sqlite_db))
    assert dest.parent == backup.backups_dir()
    assert dest.name.startswith("test__") and dest.name.endswith("__manual.sqlite")
    assert _names(dest) == ["甲"]
    assert backup.integrity_problems(dest) == []
    # No -wal, -shm: only the copy and its metadata (the audit chain head it holds).
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name, f"{dest.name}.json"]


def test_only_the_newest_automatic_backups_are_kept(sqlite_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    manual = backup.backup_now(_path(sqlite_db), directory=folder)
    made = [
        backup.backup_now(_path(sqlite_db), kind="auto", directory=folder, keep=3) for _ in range(5)
    ]
    infos = backup.list_backups(_path(sqlite_db), folder)
    assert [b.path for b in infos if b.kind == "auto"] == made[:-4:-1]
    assert manual in [b.path for b in infos]
    assert infos[0].kind_text == "每日自动"


def test_daily_backup_only_when_the_last_is_over_a_day_old(sqlite_db: Database) -> None:
    path = _path(sqlite_db)
    assert backup.backup_due(path)
    thread = backup.start_daily_backup(sqlite_db.url)
    assert thread is not None
    thread.join(30)
    (first,) = backup.list_backups(path)
    assert first.kind == "auto"
    assert not backup.backup_due(path)
    assert backup.start_daily_backup(sqlite_db.url) is None
    assert backup.backup_due(path, now=datetime.now() + timedelta(hours=25))
    assert not backup.backup_due(path, now=datetime.now() - timedelta(hours=2))
    assert backup.start_daily_backup("postgresql+psycopg://u@h/db") is None


def test_restore_replaces_the_file_and_keeps_the_old_one(sqlite_db: Database) -> None:
    path = _path(sqlite_db)
    _add(sqlite_db, "甲")
    dest = backup.backup_now(path)
    _add(sqlite_db, "乙")
    sqlite_db.dispose()
    aside = backup.restore(dest, path)
    assert aside is not None and aside.name.startswith("test.before-restore-")
    assert _names(path) == ["甲"]
    assert _names(aside) == ["甲", "乙"]
    backup.record_restore(path, dest, aside)
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as s:
            last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
            assert (last.action, last.entity) == ("restore", "database")
            assert last.after["backup"] == dest.name
        assert audit.verify_chain(db) is None
    finally:
        db.dispose()


def test_restore_refuses_a_backup_failing_the_integrity_check(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = _path(sqlite_db)
    _add(sqlite_db, "甲")
    good = backup.backup_now(path)
    damaged = tmp_path / "damaged.sqlite"
    data = good.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])  # half the pages lost
    not_ours = tmp_path / "other.sqlite"
    sqlite3.connect(not_ours).execute("CREATE TABLE t (x)").connection.close()
    sqlite_db.dispose()
    before = path.read_bytes()
    for bad, why in [(damaged, "未通过检查"), (not_ours, "不是双随机"), (tmp_path / "x", "不存在")]:
        with pytest.raises(BackupError, match=why):
            backup.restore(bad, path)
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*before-restore*"))


def test_a_corrupted_database_file_is_recognised_and_restored(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = _path(sqlite_db)
    _add(sqlite_db, "甲")
    backup.backup_now(path, kind="auto")
    sqlite_db.dispose()
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(DatabaseError, match="无法打开数据库"):
        open_database(f"sqlite:///{path}")
    assert backup.is_damaged(path)
    latest = backup.latest_backup(path)
    assert latest is not None
    backup.restore(latest.path, path)
    assert not backup.is_damaged(path)
    open_database(f"sqlite:///{path}").dispose()
    assert _names(path) == ["甲"]


def test_postgresql_is_pointed_to_pg_dump() -> None:
    with pytest.raises(BackupError, match="pg_dump"):
        backup.sqlite_file("postgresql+psycopg://u@db.local/dr")


def test_only_administrators_back_up_by_hand_or_restore(sqlite_db: Database) -> None:
    from app.domain.auth import Role
    from app.services.access import auth

    path = _path(sqlite_db)
    good = backup.backup_now(path)
    clerk = auth.Principal(3, "clerk", "办事员", frozenset({Role.PLANNER}))
    with auth.acting_as(clerk):
        with pytest.raises(auth.PermissionDenied, match="管理数据库、备份与恢复"):
            backup.backup_now(path)
        with pytest.raises(auth.PermissionDenied):
            backup.restore(good, path)
        assert backup.backup_now(path, kind="auto").exists()  # the daily one runs for anyone
