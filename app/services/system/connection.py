"""测试连接: can this PC reach the chosen database, and what is in it?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.connection import ConnectionSettings
from app.models.db import describe


@dataclass(frozen=True)
class ConnectionReport:
    ok: bool
    message: str


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return lines[0] if lines else exc.__class__.__name__


def check_connection(settings: ConnectionSettings, password: str | None = None) -> ConnectionReport:
    """Connect once (never creates or changes anything) and describe what answered."""
    from app.models.migrate import head_revision
    from app.services.system.backup import integrity_problems

    try:
        settings.validate()
    except ValueError as exc:
        return ConnectionReport(False, str(exc))

    if not settings.is_server:
        path = Path(settings.path).expanduser()
        if not path.exists():
            return ConnectionReport(True, f"文件“{path}”尚不存在：首次打开时将新建一个空数据库。")
        problems = integrity_problems(path)
        if problems:
            return ConnectionReport(False, f"无法使用“{path}”：{problems[0]}")
        return ConnectionReport(True, f"“{path}”是完好的本程序数据库。")

    url = settings.url(password)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
            has_schema = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
            rev = (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if has_schema
                else None
            )
    except SQLAlchemyError as exc:
        return ConnectionReport(False, f"无法连接 {describe(url)}：{_first_line(exc)}")
    finally:
        engine.dispose()
    head = head_revision(engine)
    where = f"已连接 {describe(url)}（PostgreSQL {version}）"
    if rev is None:
        return ConnectionReport(True, f"{where}。数据库为空：首次打开时将建立表结构。")
    if rev == head:
        return ConnectionReport(True, f"{where}。数据库结构为最新版本（{rev}）。")
    return ConnectionReport(
        True,
        f"{where}。数据库结构版本为 {rev}，本程序为 {head}："
        "打开时将自动升级（若数据库比本程序新则拒绝打开）。",
    )
