"""`dualrandom audit verify [--anchor N:HASH …]`: the audit chain, against outside anchors;
`dualrandom audit acknowledge --change ID --reason TEXT`: a finding looked into.

verify:
    exit 0  "审计日志完整：共 N 条，末条哈希 …", then any acknowledged findings
            ("已核实的用户表直接修改：…") for information
    exit 1  an entry was changed, the log lost entries, an anchor no longer holds,
            the database holds data the log does not describe (emptied log), or
            (PostgreSQL) the user change journal shows a change to `users` that
            no audit entry describes: made around the program, e.g. with psql
    exit 2  the database cannot be read, or the request is refused

An anchor `N:HASH` is a chain head written down earlier (on a draw record,
in a bundle README, a backup's metadata or the paper ledger).

acknowledge (an administrator, after looking into a finding `［变更 ID］…`):
    exit 0  the acknowledgement is in the audit log; verify no longer fails on it
    exit 2  refused: no reason, no such row, no finding, acknowledged already,
            not an administrator, or the database cannot be written
"""

from __future__ import annotations

import argparse
import sys

from app.cli import add_db_option, open_db
from app.domain.errors import UserError


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
    ack = audit_sub.add_parser(
        "acknowledge",
        help="核实一处用户表直接修改（写明理由），此后校验不再因它报错",
        description=(
            "管理员查明校验报告的用户表直接修改（如信息科人员用 psql 手工修复账户）后，"
            "按报告中的编号［变更 ID］记下核实理由。核实本身记入审计日志；"
            "校验仍会列出已核实的修改，但不再返回 1。"
        ),
    )
    ack.add_argument(
        "--change", metavar="ID", type=int, required=True, help="校验报告中［变更 ID］的编号"
    )
    ack.add_argument("--reason", metavar="TEXT", required=True, help="核实理由：查明的经过")
    add_db_option(ack)
    ack.set_defaults(run=run_audit_acknowledge)


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def run_audit_verify(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from app.config import normalize_db_url
    from app.domain.auth import Permission
    from app.models.db import DatabaseError, describe
    from app.services.access.anchors import Anchor
    from app.services.access.audit import check_chain, log_notes, log_problems
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
        notes = log_notes(db)
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
        _print_notes(notes)
        return 1
    if problems:
        print(f"审计日志不完整（{where}）：哈希链本身连贯（共 {report.entries} 条），但")
        for p in problems:
            print(f"  {p}")
        _print_notes(notes)
        return 1
    print(f"审计日志完整：共 {report.entries} 条，末条哈希 {report.head_hash}（{where}）")
    for a in anchors:
        print(f"锚点 {a.seq}:{a.hash[:12]}… 成立。")
    _print_notes(notes)
    return 0


def _print_notes(notes: list[str]) -> None:
    """Acknowledged findings: no failure, but an auditor must see them."""
    if notes:
        print(f"另有 {len(notes)} 处用户表直接修改已由管理员核实（仅供查阅，不影响校验结果）：")
        for n in notes:
            print(f"  {n}")


def run_audit_acknowledge(args: argparse.Namespace) -> int:
    from app.cli import cli_actor, refuse
    from app.config import normalize_db_url
    from app.models.db import DatabaseError, describe
    from app.services.access.audit import acting_as
    from app.services.access.user_changes import acknowledge_user_change

    where = describe(normalize_db_url(args.db))
    try:
        db = open_db(args)
    except DatabaseError as exc:
        return _err(f"无法打开数据库（{where}）：{exc}")
    try:
        with acting_as(cli_actor()):
            done = acknowledge_user_change(db, args.change, args.reason)
    except UserError as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    print(f"已记入审计日志（{where}）：{done}")
    return 0
