"""Schema: every revision applies on an empty database and the head matches the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.models import Base, Department
from app.models.db import Database, DatabaseError, make_engine, open_database
from app.models.migrate import alembic_config, current_revision, head_revision


def _not_search_index(name: str | None, type_: str, _parent: object) -> bool:
    # Full-text search tables and triggers live outside the ORM metadata.
    return not (name or "").startswith("targets_fts")


def test_empty_database_upgrades_to_head_matching_models(db: Database) -> None:
    assert current_revision(db.engine) == head_revision(db.engine)
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_name": _not_search_index},
        )
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == []


def test_sqlite_pragmas(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_upgrade_copies_sqlite_file_to_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    script = ScriptDirectory.from_config(alembic_config(engine))
    previous = script.get_revision(script.get_current_head()).down_revision
    if previous is None:
        pytest.skip("only one revision so far: nothing to upgrade from")
    command.upgrade(alembic_config(engine), str(previous))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO departments (code, name, sort_order) VALUES ('X', '甲', 1)"))
    engine.dispose()

    db = open_database(f"sqlite:///{path}")
    try:
        assert current_revision(db.engine) == head_revision(db.engine)
        with db.session() as s:
            assert s.query(Department).count() == 1
    finally:
        db.dispose()
    backups = list(tmp_path.glob("old.before-upgrade-*.sqlite"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    try:
        rev = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert rev == previous
        assert con.execute("SELECT name FROM departments").fetchall() == [("甲",)]
    finally:
        con.close()


def test_database_from_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    open_database(f"sqlite:///{path}").dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()

    with pytest.raises(DatabaseError, match="比本程序新"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*before-upgrade*"))


def test_unreadable_file_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is a text file, not a database\n" * 100)
    with pytest.raises(DatabaseError, match="无法打开数据库"):
        open_database(f"sqlite:///{path}")
