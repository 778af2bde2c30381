"""Faults to survive: a server down at start, lost mid-import, a full disk, a wrong password.

Each ends in a Chinese message that says what and where, never a traceback,
and leaves the database exactly as it was before the unit of work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError

from app import cli
from app.models import AuditEntry, Department, Target
from app.models.db import Database, DatabaseError, open_database
from app.models.faults import DatabaseUnavailable, StorageFull, open_failure
from app.services.registry.imports import engine as registry_import
from app.services.registry.imports.targets import TargetHandler
from tests.registry_data import target_code
from tests.xlsx_files import target_rows, write_xlsx

CHUNK = TargetHandler.chunk_size


def _state(db: Database) -> tuple[list[tuple], list[tuple]]:
    """Every target and every audit entry: what "exactly as before" compares."""
    with db.session() as s:
        targets = [tuple(r) for r in s.execute(select(Target.__table__).order_by(Target.id))]
        log = [tuple(r) for r in s.execute(select(AuditEntry.__table__).order_by(AuditEntry.seq))]
    return targets, log


def _big_file(tmp_path: Path, start: int = 0, n: int = CHUNK * 2 + 10) -> Path:
    codes = [target_code(i) for i in range(start, start + n)]
    return write_xlsx(tmp_path / f"targets-{start}.xlsx", target_rows(codes))


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Target)) or 0)


# --- server down at start, wrong password -----------------------------------------------


def test_server_down_at_start_is_a_chinese_message() -> None:
    url = "postgresql+psycopg://clerk:s3cret@127.0.0.1:1/dr?connect_timeout=2"
    with pytest.raises(DatabaseError) as err:
        open_database(url)
    message = str(err.value)
    where = "PostgreSQL：clerk@127.0.0.1:1/dr"
    assert message.startswith(f"无法打开数据库（{where}）：无法连接数据库服务器")
    assert "请确认服务器已启动" in message
    assert "s3cret" not in message and "Traceback" not in message and "sqlalche.me" not in message


def _wrapped(orig: Exception) -> OperationalError:
    return OperationalError("SELECT 1", {}, orig)


def test_wrong_server_password_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = _wrapped(
        psycopg.errors.InvalidPassword('password authentication failed for user "clerk"')
    )
    assert "用户名或密码错误" in open_failure(refused, "PostgreSQL：clerk@db:5432/dr")

    def refuse(_engine: object) -> None:
        raise refused

    monkeypatch.setattr("app.models.migrate.upgrade_to_head", refuse)
    with pytest.raises(DatabaseError, match="数据库用户名或密码错误") as err:
        open_database("postgresql+psycopg://clerk:s3cret@db.invalid:5432/dr")
    assert "s3cret" not in str(err.value)


# --- server lost mid-session ------------------------------------------------------------


@pytest.fixture
def kill(db: Database) -> Iterator[Callable[[], int]]:
    """Ends every other server process of `db`'s database (pg_terminate_backend)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: a server process to terminate")
    admin = create_engine(db.url, isolation_level="AUTOCOMMIT")

    def terminate() -> int:
        with admin.connect() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            )

    yield terminate
    admin.dispose()


def test_server_lost_mid_import_rolls_back_and_a_retry_works(
    db: Database, tmp_path: Path, kill: Callable[[], int]
) -> None:
    registry_import.import_registry(db, "targets", _big_file(tmp_path, 900_000, 3))
    before = _state(db)
    killed: list[int] = []

    def progress(done: int, _total: int) -> None:
        if not killed:  # after the first chunk is written, inside the transaction
            killed.append(kill())

    path = _big_file(tmp_path)
    with pytest.raises(DatabaseUnavailable) as err:
        registry_import.import_registry(db, "targets", path, progress=progress)
    assert killed and killed[0] >= 1
    message = str(err.value)
    assert "连接中断" in message and "已全部撤销" in message and "PostgreSQL：" in message
    # The pool's dead connections are replaced (pool_pre_ping): reading works at once …
    assert _state(db) == before
    # … and so does doing it again.
    report = registry_import.import_registry(db, "targets", path)
    assert report.inserted == CHUNK * 2 + 10
    assert _count(db) == CHUNK * 2 + 13


def test_server_lost_inside_a_plain_unit_of_work(db: Database, kill: Callable[[], int]) -> None:
    with pytest.raises(DatabaseUnavailable, match="没有保存任何内容"), db.session() as s:
        s.add(Department(code="SJ", name="市场监管局"))
        s.flush()
        kill()
        s.add(Department(code="YJ", name="应急管理局"))
        s.flush()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Department)) == 0
        s.add(Department(code="SJ", name="市场监管局"))
    with db.session() as s:
        assert s.scalars(select(Department.code)).all() == ["SJ"]


# --- disk full during an import ---------------------------------------------------------


def test_disk_full_during_an_import_on_sqlite(sqlite_db: Database, tmp_path: Path) -> None:
    db = sqlite_db
    registry_import.import_registry(db, "targets", _big_file(tmp_path, 900_000, 3))
    before = _state(db)
    with db.engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())

    # A disk with room for a few more pages: every new connection is capped.
    def cap(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 40}")

    db.engine.dispose()
    event.listen(db.engine, "connect", cap)
    path = _big_file(tmp_path)
    with pytest.raises(StorageFull) as err:
        registry_import.import_registry(db, "targets", path)
    message = str(err.value)
    assert "磁盘空间已满" in message and "已全部撤销" in message
    assert str(Path(db.engine.url.database or "")) in message
    assert _state(db) == before
    # Room again: the same file imports in full.
    event.remove(db.engine, "connect", cap)
    db.engine.dispose()
    assert registry_import.import_registry(db, "targets", path).inserted == CHUNK * 2 + 10


def _full_after_first_chunk(monkeypatch: pytest.MonkeyPatch, dialect: str) -> None:
    """The disk fills while the second chunk is written (as the driver reports it)."""
    original = TargetHandler.apply
    calls: list[int] = []

    def apply(self: TargetHandler, records: list) -> None:
        calls.append(1)
        if len(calls) == 2:
            orig: Exception = (
                sqlite3.OperationalError("database or disk is full")
                if dialect == "sqlite"
                else psycopg.errors.DiskFull("could not extend file: No space left on device")
            )
            raise _wrapped(orig)
        original(self, records)

    monkeypatch.setattr(TargetHandler, "apply", apply)


def test_disk_full_reported_by_either_server_rolls_back(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_import.import_registry(db, "targets", _big_file(tmp_path, 900_000, 3))
    before = _state(db)
    _full_after_first_chunk(monkeypatch, db.engine.dialect.name)
    with pytest.raises(StorageFull, match="磁盘空间已满"):
        registry_import.import_registry(db, "targets", _big_file(tmp_path))
    assert _state(db) == before


def test_disk_full_on_the_command_line_is_a_message(
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _full_after_first_chunk(monkeypatch, "sqlite")
    path = _big_file(tmp_path)
    code = cli.main(["import", "targets", str(path), "--db", sqlite_db.url])
    err = capsys.readouterr().err
    assert code == cli.EXIT_REFUSED
    assert "磁盘空间已满" in err and "Traceback" not in err
    assert _count(sqlite_db) == 0


def test_busy_sqlite_database_is_a_message_and_rolls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import app.models.db as dbmod
    import app.models.engine as enginemod
    from app.models import Department
    from app.models.faults import DatabaseBusy

    # Another writer (an import, another PC) holds the file longer than we wait.
    monkeypatch.setattr(enginemod, "SQLITE_BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "busy.sqlite"
    database = dbmod.open_database(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseBusy, match="稍后再试"), database.session() as s:
            s.add(Department(code="BUSY", name="忙碌局", sort_order=1))
        other.execute("ROLLBACK")
        with database.session() as s:
            assert s.query(Department).filter_by(code="BUSY").count() == 0
            s.add(Department(code="BUSY", name="忙碌局", sort_order=1))
        with database.session() as s:
            assert s.query(Department).filter_by(code="BUSY").count() == 1
    finally:
        other.close()
        database.dispose()
