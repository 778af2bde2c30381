"""`dualrandom user list|unlock|reset-password|create-admin`.

On a database with accounts these sign in like every command (`--user`), and
the services allow them to a 系统管理员 only. A locked-out administrator is
recovered with `user reset-password NAME --recovery`:
- SQLite: whoever can write the database file can do it (they could replace
  the file anyway); the output says so and the log records a recovery;
- PostgreSQL: only with the database owner's credentials (`--admin-db URL`),
  never over the clerks' application connection.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app.cli import add_db_option, open_db
from app.models.db import Database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser("user", help="用户：列出、解锁、重设密码、创建首个管理员")
    user_sub = user.add_subparsers(
        dest="user_command", metavar="ACTION", required=True, title="操作"
    )
    lst = user_sub.add_parser("list", help="列出用户")
    add_db_option(lst)
    lst.set_defaults(run=run_user)
    for name, text in (
        ("unlock", "解除因密码错误造成的锁定"),
        ("reset-password", "重设密码（从终端输入）"),
        ("create-admin", "数据库中还没有用户时，创建首个系统管理员"),
    ):
        p = user_sub.add_parser(name, help=text)
        p.add_argument("username", metavar="USERNAME")
        if name != "unlock":
            p.add_argument(
                "--password-stdin",
                action="store_true",
                help="新密码从标准输入读一行（与登录密码同时从标准输入读取时，登录密码在第一行）",
            )
        if name == "create-admin":
            p.add_argument("--display-name", default="", help="姓名")
        if name == "reset-password":
            p.add_argument(
                "--recovery",
                action="store_true",
                help="恢复被锁在外的管理员：SQLite 上能写数据库文件即可；"
                "PostgreSQL 上须同时给出 --admin-db（数据库所有者的连接）",
            )
            p.add_argument(
                "--admin-db",
                metavar="URL",
                help="PostgreSQL 数据库所有者的连接地址（仅用于 --recovery）",
            )
        add_db_option(p)
        p.set_defaults(run=run_user)


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ValueError("两次输入的密码不一致。")
    return first


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment
        return "unknown"


def run_user(args: argparse.Namespace) -> int:
    from app.models.db import DatabaseError
    from app.services.access import auth

    if getattr(args, "recovery", False):
        return run_recovery(args)
    if getattr(args, "admin_db", None):
        return _err("--admin-db 只用于 --recovery（恢复被锁在外的管理员）。")
    try:
        db = open_db(args)
    except DatabaseError as exc:
        return _err(str(exc))
    from app.cli import cli_actor
    from app.services.access.audit import acting_as

    try:
        with acting_as(cli_actor()):
            return _run(db, args)
    except (ValueError, auth.PermissionDenied) as exc:
        return _err(str(exc))
    finally:
        db.dispose()


def _run(db: Database, args: argparse.Namespace) -> int:
    from app.domain.auth import roles_text
    from app.services.access import auth
    from app.services.access import users as user_admin

    if args.user_command == "list":
        users = user_admin.list_users(db)
        if not users:
            print(
                "没有用户账户：本数据库以单机免登录方式使用。"
                "如需多人分权使用，请用 dualrandom user create-admin 用户名 创建首个系统管理员，"
                "再在“系统设置 → 用户与权限”中添加用户并关闭免登录。"
            )
        for u in users:
            state = "启用" if u.active else "停用"
            if u.locked():
                state += "，已锁定"
            dept = u.department_name or "—"
            print(f"{u.username}\t{u.display_name}\t{roles_text(u.roles)}\t{dept}\t{state}")
    elif args.user_command == "unlock":
        user_admin.unlock_user(db, user_admin.find_user_id(db, args.username))
        print(f"已解锁用户“{args.username}”。")
    elif args.user_command == "reset-password":
        uid = user_admin.find_user_id(db, args.username)
        user_admin.reset_password(db, uid, _read_password(args))
        print(f"已重设用户“{args.username}”的密码（首次登录须修改）。")
    elif args.user_command == "create-admin":
        auth.create_first_admin(db, args.username, args.display_name or "", _read_password(args))
        print(f"已创建系统管理员“{args.username}”。")
    return 0


# --- recovery -------------------------------------------------------------------------


def _owner_problem(db: Database) -> str | None:
    """None when the connection is the database owner's (or a superuser's)."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        ok = conn.scalar(
            text(
                "SELECT rolsuper OR pg_has_role(current_user, "
                "(SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename = 'audit_log'), 'USAGE') FROM pg_roles WHERE rolname = current_user"
            )
        )
        who = conn.scalar(text("SELECT current_user"))
    if ok:
        return None
    return (
        f"--admin-db 连接的角色“{who}”不是数据库的所有者：恢复管理员须用数据库所有者的连接"
        "（见《管理员手册》），不能用各电脑上的应用连接。"
    )


def run_recovery(args: argparse.Namespace) -> int:
    from app.cli import check_db_exists, sqlite_file_of
    from app.config import normalize_db_url
    from app.models.db import DatabaseError, open_database
    from app.services.access import audit, auth
    from app.services.access import users as user_admin

    if args.user_command != "reset-password":
        return _err("--recovery 只用于 reset-password。")
    url = normalize_db_url(args.db)
    path = sqlite_file_of(url)
    if path is None and not args.admin_db:
        return _err(
            "PostgreSQL 上恢复管理员须用数据库所有者的连接：请加 --admin-db "
            "postgresql+psycopg://所有者@服务器/数据库（应用连接不能重设密码）。"
        )
    if path is not None and args.admin_db:
        return _err("SQLite 数据库不需要 --admin-db：能写入数据库文件即可恢复。")
    try:
        if path is not None:
            check_db_exists(url)
            if not os.access(path, os.W_OK):
                return _err(f"没有写入数据库文件“{path}”的权限，不能恢复。")
        db = open_database(normalize_db_url(args.admin_db) if args.admin_db else url)
    except DatabaseError as exc:
        return _err(str(exc))
    try:
        if path is None:
            problem = _owner_problem(db)
            if problem:
                return _err(problem)
        how = f"写入数据库文件 {path}" if path is not None else "数据库所有者的连接"
        with auth.acting_as(auth.SYSTEM), audit.acting_as(f"recovery:{_os_user()}"):
            uid = user_admin.find_user_id(db, args.username)
            user_admin.reset_password(db, uid, _read_password(args))
            with db.session() as s:
                audit.record(
                    s,
                    "recovery",
                    "users",
                    uid,
                    None,
                    {"username": args.username, "os_user": _os_user(), "by": how},
                )
    except ValueError as exc:
        return _err(str(exc))
    finally:
        db.dispose()
    if path is not None:
        print(
            f"恢复模式：已重设用户“{args.username}”的密码（首次登录须修改），并解除锁定。"
            f"注意：任何能写入数据库文件“{path}”的人都能这样做，请妥善保管该文件的访问权限。"
            "本次恢复已记入审计日志。"
        )
    else:
        print(
            f"恢复模式：已用数据库所有者的连接重设用户“{args.username}”的密码"
            "（首次登录须修改），并解除锁定。本次恢复已记入审计日志。"
        )
    return 0
