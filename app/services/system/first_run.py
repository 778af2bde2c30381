"""First run: where the data lives, who administers it, the bureau, the first data.

The wizard (app/views/setup_wizard.py) only asks; everything it decided is
done here, in order, by `apply_first_run`. The choice of database is saved
last, so a first run that fails or is cancelled leaves nothing that would
skip the wizard at the next start.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from app import connection
from app.config import ENV_DB, default_db_path
from app.connection import ConnectionSettings, KeyringUnavailable
from app.domain.errors import InvalidInput
from app.models import User
from app.models.db import Database, DatabaseError, open_database
from app.services.access import auth
from app.services.access.auth import Principal, acting_as
from app.services.system.bureau import BureauProfile, save_bureau

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

DATA_DEMO = "demo"
DATA_IMPORT = "import"
DATA_EMPTY = "empty"
# Registries in the order an import must run: items name departments that
# inspectors and 回避 refer to; targets before 回避.
IMPORT_ORDER = ("items", "targets", "inspectors", "recusals")


class FirstRunFailed(InvalidInput):
    """The first run could not finish; str() tells the clerk what and where."""


@dataclass(frozen=True)
class AdminAccount:
    username: str
    display_name: str
    password: str


@dataclass(frozen=True)
class FirstRunPlan:
    connection: ConnectionSettings
    password: str = ""  # a server's; goes to the OS keyring, never to a file
    # None: a single PC without accounts, or a server some other PC set up.
    admin: AdminAccount | None = None
    bureau: BureauProfile | None = None  # None: keep what the database has
    data: str = DATA_EMPTY
    imports: dict[str, str] = field(default_factory=dict)  # kind → xlsx path
    demo_targets: int = 20_000


@dataclass(frozen=True)
class FirstRunOutcome:
    url: str  # what this session opens (with the password, never saved)
    principal: Principal | None  # the administrator just created, signed in at once
    notes: tuple[str, ...] = ()


def needs_first_run(db_arg: str | None) -> bool:
    """No database named anywhere (option, $DUALRANDOM_DB, 系统设置) and none made yet."""
    if db_arg or os.environ.get(ENV_DB):
        return False
    if connection.settings_path().exists():
        return False
    return not default_db_path().exists()


def single_pc_settings(path: Path | None = None) -> ConnectionSettings:
    return ConnectionSettings("sqlite", path=str(path or default_db_path()))


def server_is_set_up(settings: ConnectionSettings, password: str = "") -> bool:
    """The server's database already has this program's tables and accounts.

    Then another PC ran the first run: this one only connects and logs in.
    """
    from sqlalchemy import create_engine

    engine = create_engine(settings.url(password or None))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("users"):
                return False
            return bool(conn.execute(select(func.count()).select_from(User.__table__)).scalar())
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def apply_first_run(
    plan: FirstRunPlan, progress: Progress | None = None, cancel: Cancel | None = None
) -> FirstRunOutcome:
    """Open (and create) the database, the administrator, the bureau, the first data."""
    settings = plan.connection
    settings.validate()
    notes: list[str] = []
    url = settings.url(plan.password or None)
    new_file = None if settings.is_server else Path(settings.path).expanduser()
    if new_file is not None and new_file.exists():
        new_file = None  # an existing file is the clerk's: never removed below
    try:
        db = open_database(url)
    except DatabaseError as exc:
        raise FirstRunFailed(f"无法打开数据库：{exc}") from exc
    try:
        principal = _administrator(db, plan)
        acting = principal or auth.anonymous_principal()
        with acting_as(acting):
            if plan.bureau is not None:
                save_bureau(db, plan.bureau)
            notes += _first_data(db, plan, progress, cancel)
    except BaseException:
        db.dispose()
        if new_file is not None:  # half set up: the next start asks again
            for suffix in ("", "-wal", "-shm"):
                Path(f"{new_file}{suffix}").unlink(missing_ok=True)
        raise
    db.dispose()
    if settings.is_server and plan.password:
        try:
            connection.set_password(settings, plan.password)
        except KeyringUnavailable as exc:
            notes.append(str(exc))
    connection.save(settings)
    return FirstRunOutcome(url, principal, tuple(notes))


def _administrator(db: Database, plan: FirstRunPlan) -> Principal | None:
    if plan.admin is None:
        if plan.connection.is_server and not _has_users(db):
            raise FirstRunFailed("共用的服务器数据库必须有系统管理员账户：请创建一个。")
        return None
    a = plan.admin
    principal = auth.create_first_admin(db, a.username, a.display_name, a.password)
    if not plan.connection.is_server:
        # A single PC that chose accounts asks for a login from now on.
        from app.services.access.users import set_anonymous_allowed

        with acting_as(principal):
            set_anonymous_allowed(db, False)
    return principal


def _has_users(db: Database) -> bool:
    with db.session() as s:
        return bool(s.scalar(select(func.count()).select_from(User)))


def _first_data(
    db: Database, plan: FirstRunPlan, progress: Progress | None, cancel: Cancel | None
) -> list[str]:
    if plan.data == DATA_DEMO:
        from app.services.demo.fill import DemoRefused, fill_demo

        try:
            summary = fill_demo(db, targets=plan.demo_targets, progress=progress)
        except DemoRefused as exc:
            return [str(exc)]
        return [f"已装入演示数据：检查对象 {summary.targets:,} 个。"]
    if plan.data == DATA_IMPORT:
        from app.services.registry.imports.engine import import_registry

        notes = []
        for kind in IMPORT_ORDER:
            path = plan.imports.get(kind)
            if not path:
                continue
            report = import_registry(db, kind, path, progress=progress, cancel=cancel)
            notes.append(f"{Path(path).name}：{report.text()}")
        return notes
    return []
