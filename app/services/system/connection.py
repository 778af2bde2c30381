"""测试连接: can this PC reach the chosen database, and what is in it?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.connection import CONNECT_TIMEOUT, ConnectionSettings
from app.models.db import describe


@dataclass(frozen=True)
class ConnectionReport:
    ok: bool
    message: str


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return lines[0] if lines else exc.__class__.__name__


# (what the driver says, lower case) → what the clerk reads; first match wins.
# {host} {port} {database} {user} are filled from the settings tried.
_FAILURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("password authentication failed",),
        "用户名或密码不对：服务器拒绝了用户“{user}”的登录。请核对密码（区分大小写）。",
    ),
    (
        ("no password supplied", "password is required"),
        "服务器要求密码：请填写用户“{user}”的密码。",
    ),
    (
        ("no pg_hba.conf entry",),
        "服务器不允许这台电脑连接（pg_hba.conf 中没有本机的记录）：请服务器管理员放行本机地址。",
    ),
    (
        ("does not exist",),
        "",  # role or database: told apart below
    ),
    (
        (
            "could not translate host name",
            "name or service not known",
            "nodename nor servname",
            "no such host",
            "temporary failure in name resolution",
            "unknown host",
        ),
        "找不到服务器“{host}”：请检查服务器地址（计算机名或 IP 地址）是否写对、本机是否联网。",
    ),
    (
        ("connection refused", "actively refused"),
        "服务器 {host} 的端口 {port} 拒绝连接：PostgreSQL 没有运行、端口不对，或被防火墙拦截。",
    ),
    (
        ("timeout expired", "timed out", "could not receive data"),
        "连接服务器 {host}:{port} 超时（{timeout} 秒无应答）：请检查网络、服务器是否开机和防火墙。",
    ),
    (
        ("permission denied",),
        "用户“{user}”没有数据库“{database}”的使用权限：请服务器管理员授权。",
    ),
    (
        ("too many connections", "remaining connection slots"),
        "服务器的连接数已满：请稍后再试，或请管理员调大 max_connections。",
    ),
    (
        ("ssl",),
        "与服务器建立加密连接失败：请向服务器管理员确认 SSL 设置。",
    ),
)


def explain_failure(settings: ConnectionSettings, exc: BaseException) -> str:
    """A Chinese sentence for why the server could not be reached, and what to do."""
    detail = _first_line(exc)
    low = str(getattr(exc, "orig", None) or exc).lower()
    fill = {
        "host": settings.host,
        "port": settings.port,
        "database": settings.database,
        "user": settings.user,
        "timeout": CONNECT_TIMEOUT,
    }
    for needles, message in _FAILURES:
        if not any(n in low for n in needles):
            continue
        if not message:  # "… does not exist": a role or a database
            if "role" in low:
                message = "服务器上没有用户“{user}”：请核对用户名，或请服务器管理员建立该用户。"
            elif "database" in low:
                message = (
                    "服务器上没有名为“{database}”的数据库：请核对数据库名，"
                    "或请服务器管理员先建库（见管理员指南）。"
                )
            else:
                continue
        return message.format(**fill) + f"\n（服务器返回：{detail}）"
    return f"无法连接 {settings.host}:{settings.port}/{settings.database}：{detail}"


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
        return ConnectionReport(False, explain_failure(settings, exc))
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
