"""One engine per process, a short Session per unit of work, migrations on open."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.models.engine import SQLITE_BUSY_TIMEOUT_MS as SQLITE_BUSY_TIMEOUT_MS
from app.models.engine import backup_sqlite_file, make_engine, sqlite_path
from app.models.faults import DatabaseBusy, DatabaseError, fault_of, open_failure
from app.models.inuse import InUseLock, LockHeld

__all__ = [
    "Database",
    "DatabaseError",
    "backup_sqlite_file",
    "describe",
    "make_engine",
    "open_database",
    "sqlite_path",
]

log = logging.getLogger(__name__)


def describe(url: str) -> str:
    """What the status bar shows: the file path or the server, never a password."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return f"SQLite：{u.database}"
    host = u.host or "localhost"
    port = f":{u.port}" if u.port else ""
    user = f"{u.username}@" if u.username else ""
    return f"PostgreSQL：{user}{host}{port}/{u.database or ''}"


@dataclass
class Database:
    """An opened, migrated database: the engine and its session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    # SQLite: the shared "in use" lock that keeps a restore from replacing the file under us.
    inuse: InUseLock | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception.

        A lost connection or a full disk comes out as a DatabaseError with a
        Chinese message (app.models.faults), after the rollback.
        """
        s = self.sessions()
        try:
            yield s
            s.commit()
        except BaseException as exc:
            fault = fault_of(exc, self.describe())
            try:
                s.rollback()
            except Exception:
                if fault is None:
                    raise
                log.warning("rollback after a database fault failed", exc_info=True)
            if fault is not None:
                log.warning("unit of work ended by a database fault: %s", exc)
                raise fault from exc
            raise
        finally:
            s.close()

    def describe(self) -> str:
        return describe(self.url)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.inuse is not None:
            self.inuse.release()
            self.inuse = None


# How long opening waits for a restore that holds the file (it copies, then lets go).
INUSE_WAIT_SECONDS = SQLITE_BUSY_TIMEOUT_MS / 1000


def _hold_in_use(path: Path) -> InUseLock:
    """The shared lock every process holding `path` open keeps until it disposes."""
    lock = InUseLock(path)
    deadline = time.monotonic() + INUSE_WAIT_SECONDS
    while True:
        try:
            lock.acquire_shared()
            return lock
        except LockHeld:
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"数据库（SQLite：{path}）正在从备份恢复，暂时不能打开。请稍后再试。"
                ) from None
            time.sleep(0.2)
        except OSError as exc:  # a read-only folder: nothing can be restored there either
            log.warning("cannot take the in-use lock of %s: %s", path, exc)
            return lock


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and bring the schema to this version's head."""
    # Looked up at call time: tests replace it to simulate a refused server.
    from app.models.migrate import upgrade_to_head

    engine = make_engine(url)
    path = sqlite_path(engine)
    inuse = _hold_in_use(path) if path is not None else None
    try:
        if migrate:
            upgrade_to_head(engine)
    except BaseException as exc:
        engine.dispose()
        if inuse is not None:
            inuse.release()
        if isinstance(exc, DatabaseError) or not isinstance(exc, Exception):
            raise
        # connection refused, wrong password, not a database file, …
        raise DatabaseError(open_failure(exc, describe(url))) from exc
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False), inuse)
