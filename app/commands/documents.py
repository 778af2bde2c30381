"""`dualrandom notices|checklists …`: a task's printed documents, headless.

    dualrandom notices TASK_CODE OUT.pdf [--per-enterprise DIR] [--db URL]
    dualrandom checklists TASK_CODE OUT.pdf [--per-enterprise DIR] [--db URL]

TASK_CODE may be CASE-<number> for a case or special inspection (个案检查,
专项检查): its one document, the notice saying the source instead of a draw.
OUT.pdf holds every document of the task, each from a new page and numbered
on its own (for the printer); --per-enterprise also writes one PDF per
enterprise into DIR. Exit 0 written, 2 refused, 1 when a file cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from app.cli import add_db_option, open_db, refuse

EXIT_CANNOT_WRITE = 1


def register(subparsers: Any) -> None:
    for name, help_text in (
        ("notices", "生成任务的检查通知书 PDF（每户一份，可另存每户一个文件）"),
        ("checklists", "生成任务的检查记录表 PDF（按抽查细则和检查要点）"),
    ):
        p = subparsers.add_parser(name, help=help_text)
        p.add_argument("task_code", metavar="TASK_CODE", help="任务编号，或 CASE-检查编号")
        p.add_argument("out", metavar="OUT.pdf")
        p.add_argument("--per-enterprise", metavar="DIR", help="另在此文件夹为每户生成一个 PDF")
        add_db_option(p)
        p.set_defaults(run=run_documents, document=name)


def run_documents(args: argparse.Namespace) -> int:
    from app.services.inspections import documents
    from app.services.inspections.common import InspectionError

    db = open_db(args)
    per = Path(args.per_enterprise) if args.per_enterprise else None
    try:
        if args.document == "notices":
            text = documents.write_task_notices(
                db, args.task_code, Path(args.out), issued_on=date.today(), per_enterprise=per
            )
        else:
            text = documents.write_task_checklists(
                db, args.task_code, Path(args.out), per_enterprise=per
            )
    except InspectionError as exc:
        return refuse(str(exc))
    except OSError as exc:
        print(f"无法写入文件：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_CANNOT_WRITE
    finally:
        db.dispose()
    print(f"已生成{text}")
    return 0
