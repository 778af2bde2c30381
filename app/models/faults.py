"""Database faults told as Chinese messages: a server that is down or went away, a full disk.

`Database.session()` turns a fault inside a unit of work into one of these
errors after rolling the unit back, so every service reports it the same
way and nothing is left half-written:

- the connection was lost (server restarted, network cut, the backend was
  terminated): `DatabaseUnavailable`; the engine's `pool_pre_ping` replaces
  the dead connection, so simply trying again works once the server is back;
- the disk is full (SQLite "database or disk is full", PostgreSQL 53100):
  `StorageFull`;
- another writer held the database past the busy timeout (SQLite "database
  is locked" while an import or another PC writes; PostgreSQL 55P03 lock
  not available): `DatabaseBusy`.

`open_failure` words the reason a database cannot be opened at start.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from app.domain.errors import UserError


class DatabaseError(UserError, RuntimeError):
    """A database that cannot be opened or used; str() is a message for the user, in Chinese."""


class DatabaseUnavailable(DatabaseError):
    """The connection to the database was lost during a unit of work; it was rolled back."""


class StorageFull(DatabaseError):
    """The disk holding the database is full; the unit of work was rolled back."""


class DatabaseBusy(DatabaseError):
    """Another writer held the database past the busy timeout; the unit was rolled back."""


# PostgreSQL SQLSTATE classes of a lost or refused connection, and of a full disk.
_PG_CONNECTION_CLASSES = ("08", "57P")
_PG_DISK_FULL = "53100"
_PG_LOCK_NOT_AVAILABLE = "55P03"
_PG_BAD_LOGIN = ("28P01", "28000")


def _orig(exc: BaseException) -> BaseException:
    return exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc


def _sqlstate(exc: BaseException) -> str | None:
    return getattr(_orig(exc), "sqlstate", None)


def _first_line(exc: BaseException) -> str:
    text = str(_orig(exc)).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def is_disk_full(exc: BaseException) -> bool:
    orig = _orig(exc)
    if isinstance(orig, sqlite3.OperationalError):
        return getattr(orig, "sqlite_errorname", "") == "SQLITE_FULL" or (
            "database or disk is full" in str(orig)
        )
    return _sqlstate(exc) == _PG_DISK_FULL


def is_busy(exc: BaseException) -> bool:
    orig = _orig(exc)
    if isinstance(orig, sqlite3.OperationalError):
        return getattr(orig, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED") or (
            "database is locked" in str(orig)
        )
    return _sqlstate(exc) == _PG_LOCK_NOT_AVAILABLE


def is_connection_lost(exc: BaseException) -> bool:
    """The connection broke (or could not be made) rather than a statement failing."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = _orig(exc)
    if type(orig).__module__.split(".")[0] != "psycopg":
        return False
    state = _sqlstate(exc)
    if state is None:
        # psycopg gives connection-level failures (refused, closed) no SQLSTATE.
        return type(orig).__name__ in ("OperationalError", "InterfaceError")
    return state.startswith(_PG_CONNECTION_CLASSES)


def fault_of(exc: BaseException, where: str) -> DatabaseError | None:
    """The user's message for a fault that ended a unit of work, or None for other errors."""
    if isinstance(exc, DatabaseError):
        return None
    if is_disk_full(exc):
        return StorageFull(
            f"数据库（{where}）所在磁盘空间已满，本次操作未能完成，已全部撤销，"
            "数据库保持操作前的状态。请清理磁盘空间（或请系统管理员扩容）后重试。"
        )
    if is_busy(exc):
        return DatabaseBusy(
            f"数据库（{where}）正被其他操作占用（可能正在导入名录，或其他电脑正在保存），"
            "本次操作未保存，已全部撤销。请稍后再试。"
        )
    if is_connection_lost(exc):
        return DatabaseUnavailable(
            f"与数据库（{where}）的连接中断，本次操作未能完成，已全部撤销，没有保存任何内容。"
            "请检查网络和数据库服务器是否正常，然后重试；如问题持续，请联系系统管理员。"
        )
    return None


def open_failure(exc: BaseException, where: str) -> str:
    """Why the database at `where` cannot be opened, in words for the user."""
    head = f"无法打开数据库（{where}）："
    state = _sqlstate(exc)
    if state in _PG_BAD_LOGIN:
        return (
            head + "数据库用户名或密码错误。请在“系统设置 → 数据库连接”中核对，或联系系统管理员。"
        )
    if is_connection_lost(exc):
        return (
            head + "无法连接数据库服务器。服务器可能未启动、地址或端口有误，或网络不通；"
            f"请确认服务器已启动后重试，如问题持续请联系系统管理员。（{_first_line(exc)}）"
        )
    if is_disk_full(exc):
        return head + "磁盘空间已满，请清理磁盘空间后重试。"
    return head + _first_line(exc)
