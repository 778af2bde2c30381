"""One engine per process, a short Session per unit of work, migrations on open."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.models.engine import SQLITE_BUSY_TIMEOUT_MS as SQLITE_BUSY_TIMEOUT_MS
from app.models.engine import backup_sqlite_file, make_engine, sqlite_path
from app.models.faults import DatabaseError, fault_of, open_failure

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


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and bring the schema to this version's head."""
    # Looked up at call time: tests replace it to simulate a refused server.
    from app.models.migrate import upgrade_to_head

    engine = make_engine(url)
    try:
        if migrate:
            upgrade_to_head(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:  # connection refused, wrong password, not a database file, …
        engine.dispose()
        raise DatabaseError(open_failure(exc, describe(url))) from exc
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))
