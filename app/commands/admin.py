"""Administrator's commands: backup and restore (audit: app.commands.audit; user: .users).

    dualrandom backup OUT [--db URL]        SQLite only; OUT is a file, or a folder (an
                                            existing one, or any path ending in /) that
                                            receives a dated backup file
    dualrandom restore IN [--db URL] [--yes]
                                            SQLite only; the replaced file is kept beside
                                            it; refused while any process has it open

Both sign in where the database has accounts and need the 系统管理员 role.
A backup prints, and writes beside itself (OUT.json), the audit chain head
it holds: an anchor for `audit verify --anchor`. A backup whose audit chain is
broken is restored only after confirmation (`--yes` for scripts).
Exit status 2: the database cannot be reached or the request is refused.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from app.cli import BadPath, add_db_option, cli_actor, input_file, open_db, output_file


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _signed_in_admin(args: argparse.Namespace) -> None:
    """Sign in (where the database asks for it) and check the administrator's right."""
    from app.domain.auth import Permission
    from app.services.access.auth import require

    db = open_db(args, migrate=False)
    try:
        require(Permission.MANAGE_SYSTEM)
    finally:
        db.dispose()


def _backup_target(text: str, src: Path) -> Path:
    folder = Path(text).expanduser()
    if text.endswith(("/", "\\")) or folder.is_dir():
        if not folder.is_dir():
            raise BadPath(f"文件夹“{folder}”不存在，请先建好文件夹（或给出备份文件名）。")
        return folder / f"{src.stem}__{datetime.now():%Y%m%d-%H%M%S}__manual.sqlite"
    return output_file(text, "备份文件")


def run_backup(args: argparse.Namespace) -> int:
    from app.config import normalize_db_url
    from app.models.db import DatabaseError
    from app.services.system.backup import (
        BackupError,
        copy_database,
        sqlite_file,
        write_metadata,
    )

    try:
        src = sqlite_file(normalize_db_url(args.db))
        _signed_in_admin(args)
        out = _backup_target(args.out, src)
        if out.resolve() == src.resolve():
            return _err("备份文件不能是数据库文件本身。")
        copy_database(src, out)
        head = write_metadata(src, out)
    except (BackupError, DatabaseError, BadPath) as exc:
        return _err(str(exc))
    print(f"已备份：{src} → {out}")
    if head is not None:
        print(f"备份中的审计日志链头：第 {head[0]} 条，锚点 {head[0]}:{head[1]}")
    return 0


def _confirm(problem: str, source: Path, assume_yes: bool) -> bool:
    print(f"警告：备份“{source}”中的审计日志不完整或已被改动：{problem}", file=sys.stderr)
    if assume_yes:
        print("已按 --yes 继续恢复。", file=sys.stderr)
        return True
    if not sys.stdin.isatty():
        print("未恢复。确认要用这份备份恢复时，请加 --yes。", file=sys.stderr)
        return False
    answer = input("仍要用这份备份恢复吗？输入“是”确认：").strip()
    return answer in ("是", "yes", "y")


def run_restore(args: argparse.Namespace) -> int:
    from app.config import normalize_db_url
    from app.models.db import DatabaseError
    from app.services.access.audit import acting_as
    from app.services.system.backup import (
        BackupError,
        audit_problem,
        integrity_problems,
        record_restore,
        restore,
        sqlite_file,
    )

    try:
        target = sqlite_file(normalize_db_url(args.db))
        source = input_file(args.source, "备份文件")
        _signed_in_admin(args)
        # A file that fails its integrity check is refused by restore() itself.
        problem = None if integrity_problems(source) else audit_problem(source)
        if problem is not None and not _confirm(problem, source, args.yes):
            return 2
        aside = restore(source, target)
    except (BackupError, DatabaseError, BadPath) as exc:
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser("backup", help="备份 SQLite 数据库（在线备份，程序运行时也可）")
    backup.add_argument(
        "out",
        metavar="OUT",
        help="备份文件路径；或文件夹（已有的文件夹，或以 / 结尾），在其中生成带日期的备份文件",
    )
    add_db_option(backup)
    backup.set_defaults(run=run_backup)

    restore = sub.add_parser(
        "restore", help="从备份恢复 SQLite 数据库（须先关闭所有使用该数据库的程序）"
    )
    restore.add_argument("source", metavar="IN", help="备份文件")
    restore.add_argument(
        "--yes", action="store_true", help="备份中的审计日志不完整时也不再询问，直接恢复"
    )
    add_db_option(restore)
    restore.set_defaults(run=run_restore)
