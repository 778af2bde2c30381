"""`dualrandom inspections|review …`: inspections from a draw and the review of results.

    dualrandom inspections create TASK_CODE [--db URL]
    dualrandom inspections list TASK_CODE [--db URL] [--json]
    dualrandom review TASK_CODE --approve-all | --return INSPECTION --reason TEXT
                      [--reviewer NAME] [--user USERNAME [--password-stdin]] [--db URL]

INSPECTION is the inspection's number or its target's 统一社会信用代码. On a
database with user accounts `review` signs in (`--user`, the password from
the terminal or stdin) and the reviewer is that user; on one without,
`--reviewer` names the person. Exit 0 done, 2 refused (reason on stderr).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from app.cli import EXIT_REFUSED, add_db_option, cli_actor, open_db, refuse


def register(subparsers: Any) -> None:
    ins = subparsers.add_parser("inspections", help="根据抽取结果生成检查、查看检查")
    sub = ins.add_subparsers(dest="inspections_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="按任务的抽取结果为每户抽中对象生成一次检查")
    create.add_argument("task_code", metavar="TASK_CODE")
    add_db_option(create)
    create.set_defaults(run=run_create)
    lst = sub.add_parser("list", help="列出任务的检查、检查组和结果状态")
    lst.add_argument("task_code", metavar="TASK_CODE")
    lst.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
    add_db_option(lst)
    lst.set_defaults(run=run_list)

    rev = subparsers.add_parser("review", help="审核检查结果：全部通过或退回某一检查")
    rev.add_argument("task_code", metavar="TASK_CODE")
    what = rev.add_mutually_exclusive_group(required=True)
    what.add_argument("--approve-all", action="store_true", help="通过本任务全部待审核的检查")
    what.add_argument(
        "--return",
        dest="return_ref",
        metavar="INSPECTION",
        help="退回一次检查（检查编号或统一社会信用代码）",
    )
    rev.add_argument("--reason", metavar="TEXT", help="退回原因（--return 时必填）")
    rev.add_argument("--reviewer", metavar="NAME", help="审核人姓名（数据库未设用户账号时）")
    add_db_option(rev)
    rev.set_defaults(run=run_review)


def run_create(args: argparse.Namespace) -> int:
    from app.services.inspections.common import InspectionError
    from app.services.inspections.creation import create_from_draw

    db = open_db(args)
    try:
        print(create_from_draw(db, args.task_code).message)
    except InspectionError as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    return 0


def run_list(args: argparse.Namespace) -> int:
    from app.services.inspections.common import InspectionError
    from app.services.inspections.queries import task_inspections

    db = open_db(args)
    try:
        rows = task_inspections(db, args.task_code, today=date.today())
    except InspectionError as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    for r in rows:
        if args.json:
            print(json.dumps(r.as_json(), ensure_ascii=False))
        else:
            print(
                f"{r.inspection_id:>6}  {r.uscc}  {r.target_name}  {r.state_label}  "
                f"组长 {r.lead}  期限 {r.due_text}"
            )
    return 0


def run_review(args: argparse.Namespace) -> int:
    from app.services.access.audit import acting_as
    from app.services.access.auth import LoginError, PermissionDenied
    from app.services.inspections import review
    from app.services.inspections.common import InspectionError

    if args.return_ref and not (args.reason or "").strip():
        return refuse("退回须用 --reason 说明原因")
    db = open_db(args)
    try:
        with acting_as(cli_actor()):
            if args.approve_all:
                print(review.approve_all(db, args.task_code, reviewer=args.reviewer).message)
            else:
                iid = review.find_inspection_id(db, args.task_code, args.return_ref)
                print(review.send_back(db, iid, args.reason, reviewer=args.reviewer))
    except (InspectionError, PermissionDenied, LoginError) as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    return 0


__all__ = ["EXIT_REFUSED", "register"]
