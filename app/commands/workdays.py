"""`dualrandom workdays|holidays …`: the working-day clock, headless.

    dualrandom workdays DATE N [--db URL]
    dualrandom holidays import FILE [--db URL] [--json]

`workdays` prints the date N working days after DATE (ISO, day 1 = the first
working day after DATE) as its last line; when a year of the count is
neither entered nor known to the calendar package, a line before it says the
answer counts Monday–Friday. The database (--db, DUALRANDOM_DB or the one
chosen in settings) supplies the entered days; if it cannot be opened the
package alone is used, with a warning on stderr. `holidays import` reads
日期 / 类型（放假、调休上班）/ 名称 columns in one transaction; --json prints
the registries' summary object as the last line; exit 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from app.cli import add_db_option, open_db, refuse

EXIT_UNREADABLE = 2


def register(subparsers: Any) -> None:
    wd = subparsers.add_parser(
        "workdays",
        help="计算某日之后第 N 个工作日（按节假日与调休）",
        description="第 1 个工作日是 DATE 之后的第一个工作日；最后一行输出结果日期。",
    )
    wd.add_argument("date", metavar="DATE", help="起算日期，如 2026-06-30")
    wd.add_argument("n", metavar="N", type=int, help="工作日数，如 20")
    add_db_option(wd)
    wd.set_defaults(run=run_workdays)

    hol = subparsers.add_parser("holidays", help="节假日与调休设置")
    sub = hol.add_subparsers(dest="holidays_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="从 Excel 导入节假日与调休（日期、类型、名称）")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--json", action="store_true", help="最后一行输出 JSON 格式的统计")
    add_db_option(imp)
    imp.set_defaults(run=run_holidays_import)


def run_workdays(args: argparse.Namespace) -> int:
    from app.services.inspections.holidays import workdays_after

    try:
        start = date.fromisoformat(args.date)
    except ValueError:
        return refuse(f"日期“{args.date}”应写成 YYYY-MM-DD，如 2026-06-30")
    from app.models.db import DatabaseError

    try:
        db = open_db(args)
    except DatabaseError as exc:
        # The arithmetic still works without the entered days: say so and go on.
        print(f"注意：无法打开数据库，未使用管理员录入的节假日（{exc}）", file=sys.stderr)
        db = None
    try:
        answer = workdays_after(db, start, args.n)
    finally:
        if db is not None:
            db.dispose()
    if answer.estimated:
        print(f"注意：{answer.note}")
    print(answer.day.isoformat())
    return 0


def run_holidays_import(args: argparse.Namespace) -> int:
    from app.excel.reader import WorkbookError
    from app.services.inspections.holidays import import_days

    db = open_db(args)
    try:
        report = import_days(db, args.file)
    except WorkbookError as exc:
        print(f"{exc}。未导入任何数据。", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        db.dispose()
    print(f"节假日与调休导入完成：{report.text()}")
    for note in report.notes:
        print(f"  说明：{note}")
    for issue in report.rejections[:20]:
        print(f"  第 {issue.row} 行未导入：{issue.reason}")
    if args.json:
        print(json.dumps(report.summary(), ensure_ascii=False))
    return 0
