"""关于: the versions a support call asks for — program, Qt, Python, database, protocol."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app import __version__
from app.draw.protocol import PROTOCOL
from app.models.db import Database
from app.models.migrate import current_revision


@dataclass(frozen=True)
class Versions:
    app: str
    python: str
    system: str
    database: str  # "SQLite 3.45.1" or "PostgreSQL 16.4"
    schema: str  # the alembic revision the database is at
    protocol: str

    def lines(self, qt: str) -> list[tuple[str, str]]:
        """(label, value) rows for the about box; Qt's version comes from the view."""
        return [
            ("程序版本", self.app),
            ("Qt", qt),
            ("Python", self.python),
            ("操作系统", self.system),
            ("数据库", self.database),
            ("数据库结构版本", self.schema),
            ("随机抽取规则", self.protocol),
        ]


def database_version(db: Database) -> str:
    """The server's (or the SQLite library's) own version, asked from the database."""
    try:
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "sqlite":
                return f"SQLite {conn.execute(text('SELECT sqlite_version()')).scalar()}"
            return f"PostgreSQL {conn.execute(text('SHOW server_version')).scalar()}"
    except SQLAlchemyError as exc:
        return f"无法读取（{exc.__class__.__name__}）"


def versions(db: Database) -> Versions:
    try:
        schema = current_revision(db.engine) or "（空）"
    except SQLAlchemyError:
        schema = "无法读取"
    return Versions(
        app=__version__,
        python=f"{platform.python_version()} ({sys.platform}, {platform.machine()})",
        system=platform.platform(terse=True),
        database=database_version(db),
        schema=schema,
        protocol=PROTOCOL,
    )
