"""`dualrandom audit verify [--anchor N:HASH …]`: the audit chain, against outside anchors.

    exit 0  "审计日志完整：共 N 条，末条哈希 …"
    exit 1  an entry was changed, the log lost entries, an anchor no longer holds,
            the database holds data the log does not describe (emptied log), or
            (PostgreSQL) the user change journal shows a change to `users` that
            no audit entry describes: made around the program, e.g. with psql
    exit 2  the database cannot be read, or the request is refused

An anchor `N:HASH` is a chain head written down earlier (on a draw record,
in a bundle README, a backup's metadata or the paper ledger).
"""

from __future__ import annotations

import argparse
import sys

from app.cli import add_db_option, open_db


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="审计日志")
    audit_sub = audit.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True, title="操作"
    )
    verify = audit_sub.add_parser(
        "verify",
        help="校验审计日志的哈希链，报告第一条被改动的记录",
        description=(
            "校验审计日志的哈希链。--anchor 给出此前记下的链头（条目序号:哈希，"
            "印在随机抽取记录、核验包说明和备份信息上），日志不再含有该条目或哈希不符时报错。"
        ),
    )
    verify.add_argument(
        "--anchor",
        metavar="N:HASH",
        action="append",
        default=[],
        help="此前记下的链头，可重复给出",
    )
    add_db_option(verify)
    verify.set_defaults(run=run_audit_verify)


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def run_audit_verify(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from app.config import normalize_db_url
    from app.domain.auth import Permission
    from app.models.db import DatabaseError, describe
    from app.services.access.anchors import Anchor
    from app.services.access.audit import check_chain, log_problems
    from app.services.access.auth import require

    try:
        anchors = [Anchor.parse(a) for a in args.anchor]
    except ValueError as exc:
        return _err(str(exc))
    where = describe(normalize_db_url(args.db))
    try:
        db = open_db(args, migrate=False)
    except DatabaseError as exc:
        return _err(f"无法读取审计日志（{where}）：{exc}")
    try:
        require(Permission.VIEW_AUDIT)
        report = check_chain(db)
        problems = log_problems(db, anchors)
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        return _err(f"无法读取审计日志（{where}）：{exc.__class__.__name__}: {cause}")
    finally:
        db.dispose()
    if report.broken is not None:
        print(f"审计日志已被篡改或损坏（{where}）")
        print(str(report.broken))
        print(f"此前的 {report.entries} 条完好。")
        for p in problems:
            print(p)
        return 1
    if problems:
        print(f"审计日志不完整（{where}）：哈希链本身连贯（共 {report.entries} 条），但")
        for p in problems:
            print(f"  {p}")
        return 1
    print(f"审计日志完整：共 {report.entries} 条，末条哈希 {report.head_hash}（{where}）")
    for a in anchors:
        print(f"锚点 {a.seq}:{a.hash[:12]}… 成立。")
    return 0
