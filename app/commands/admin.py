"""Administrator's commands: audit verify, backup, restore, user.

    dualrandom audit verify [--db URL]      exit 0 "审计日志完整", 1 with the first broken entry
    dualrandom backup OUT [--db URL]        SQLite only; OUT is a file or a folder
    dualrandom restore IN [--db URL]        SQLite only; the replaced file is kept beside it
    dualrandom user list|unlock|reset-password|create-admin …

Exit status 2: the database cannot be reached or the request is refused.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.cli import add_db_option, cli_actor, open_db
from app.config import normalize_db_url


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


# --- audit ----------------------------------------------------------------------------


def run_audit_verify(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from app.models.db import DatabaseError, describe, open_database
    from app.services.access.audit import check_chain

    url = normalize_db_url(args.db)
    try:
        db = open_database(url, migrate=False)
    except DatabaseError as exc:
        return _err(str(exc))
    try:
        report = check_chain(db)
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc  # a DBAPIError carries the driver's error
        return _err(f"无法读取审计日志（{describe(url)}）：{exc.__class__.__name__}: {cause}")
    finally:
        db.dispose()
    if report.broken is not None:
        print(f"审计日志已被篡改或损坏（{describe(url)}）")
        print(str(report.broken))
        print(f"此前的 {report.entries} 条完好。")
        return 1
    print(f"审计日志完整：共 {report.entries} 条，末条哈希 {report.head_hash}（{describe(url)}）")
    return 0


# --- backup and restore ---------------------------------------------------------------


def run_backup(args: argparse.Namespace) -> int:
    from app.services.system.backup import BackupError, copy_database, sqlite_file

    try:
        src = sqlite_file(normalize_db_url(args.db))
        out = Path(args.out).expanduser()
        if out.is_dir():
            from datetime import datetime

            out = out / f"{src.stem}__{datetime.now():%Y%m%d-%H%M%S}__manual.sqlite"
        if out.resolve() == src.resolve():
            return _err("备份文件不能是数据库文件本身。")
        copy_database(src, out)
    except BackupError as exc:
        return _err(str(exc))
    print(f"已备份：{src} → {out}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from app.services.access.audit import acting_as
    from app.services.system.backup import BackupError, record_restore, restore, sqlite_file

    try:
        target = sqlite_file(normalize_db_url(args.db))
        source = Path(args.source).expanduser()
        aside = restore(source, target)
    except BackupError as exc:
        return _err(str(exc))
    print(f"已从“{source}”恢复数据库“{target}”。")
    if aside is not None:
        print(f"原数据库文件保留为：{aside}")
    try:
        with acting_as(cli_actor()):
            record_restore(target, source, aside)
    except Exception as exc:  # the restore itself is done; the note is a courtesy
        print(f"提示：恢复已完成，但未能写入审计日志：{exc}", file=sys.stderr)
    return 0


# --- users ----------------------------------------------------------------------------


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ValueError("两次输入的密码不一致。")
    return first


def run_user(args: argparse.Namespace) -> int:
    from app.domain.auth import roles_text
    from app.models.db import DatabaseError
    from app.services.access import auth
    from app.services.access import users as user_admin
    from app.services.access.audit import acting_as

    try:
        db = open_db(args)
    except DatabaseError as exc:
        return _err(str(exc))
    try:
        with acting_as(cli_actor()):
            if args.user_command == "list":
                for u in user_admin.list_users(db):
                    state = "启用" if u.active else "停用"
                    if u.locked():
                        state += "，已锁定"
                    roles = roles_text(u.roles)
                    dept = u.department_name or "—"
                    print(f"{u.username}\t{u.display_name}\t{roles}\t{dept}\t{state}")
            elif args.user_command == "unlock":
                user_admin.unlock_user(db, user_admin.find_user_id(db, args.username))
                print(f"已解锁用户“{args.username}”。")
            elif args.user_command == "reset-password":
                uid = user_admin.find_user_id(db, args.username)
                user_admin.reset_password(db, uid, _read_password(args))
                print(f"已重设用户“{args.username}”的密码（首次登录须修改）。")
            elif args.user_command == "create-admin":
                auth.create_first_admin(
                    db, args.username, args.display_name or "", _read_password(args)
                )
                print(f"已创建系统管理员“{args.username}”。")
    except (ValueError, auth.PermissionDenied) as exc:
        return _err(str(exc))
    finally:
        db.dispose()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="审计日志")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="校验审计日志的哈希链，报告第一条被改动的记录")
    add_db_option(verify)
    verify.set_defaults(run=run_audit_verify)

    backup = sub.add_parser("backup", help="备份 SQLite 数据库（在线备份，程序运行时也可）")
    backup.add_argument("out", metavar="OUT", help="备份文件路径或文件夹")
    add_db_option(backup)
    backup.set_defaults(run=run_backup)

    restore = sub.add_parser("restore", help="从备份恢复 SQLite 数据库（请先关闭程序）")
    restore.add_argument("source", metavar="IN", help="备份文件")
    add_db_option(restore)
    restore.set_defaults(run=run_restore)

    user = sub.add_parser("user", help="用户：列出、解锁、重设密码、创建首个管理员")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
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
            p.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
        if name == "create-admin":
            p.add_argument("--display-name", default="", help="姓名")
        add_db_option(p)
        p.set_defaults(run=run_user)
