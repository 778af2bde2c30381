"""Schema upgrades with alembic, run when a database is opened.

A SQLite file is copied to a timestamped backup before any revision is
applied; a database stamped with a revision this program does not know was
made by a newer version and is refused rather than touched.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from app.models.engine import backup_sqlite_file, sqlite_path
from app.models.faults import DatabaseError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _require_owner(engine: Engine) -> None:
    """On a shared server only the owner migrates; the application role cannot run DDL."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        may = conn.scalar(text("SELECT has_schema_privilege(current_schema(), 'CREATE')"))
        who = conn.scalar(text("SELECT current_user"))
    if not may:
        raise DatabaseError(
            f"数据库结构需要升级到本程序的版本，但当前连接的角色“{who}”无权修改结构："
            "请系统管理员用数据库所有者的连接运行 dualrandom db setup-server --admin-db …"
            "（见《管理员手册》），再打开本程序。"
        )


def upgrade_to_head(engine: Engine) -> bool:
    """Apply pending revisions; return True when anything was applied."""
    cfg = alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    current = current_revision(engine)
    if current == head:
        return False
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseError(
                f"数据库的结构版本“{current}”比本程序新，请升级双随机一公开监管工作台后再打开。"
                "为保护数据，本程序不会修改它。"
            ) from None
        _require_owner(engine)
        path = sqlite_path(engine)
        if path is not None and path.exists():
            backup = backup_sqlite_file(path, "before-upgrade")
            log.info("backed up %s to %s before migrating", path, backup)
    log.info("migrating database from %s to %s", current, head)
    command.upgrade(cfg, "head")
    return True
