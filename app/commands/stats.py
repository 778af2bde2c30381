"""`dualrandom stats`: the year's figures, as text, JSON or a file.

    dualrandom stats --year YEAR [--db URL] [--json] [--out OUT.xlsx|OUT.pdf]
                     [--user USERNAME [--password-stdin]]

With --json the headline figures are one JSON object on the last line. With
--out the tables (xlsx) or the report with its charts (pdf) are written.
On a database with user accounts the command signs in like `review`.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from app.cli import BadPath, add_db_option, cli_actor, open_db, output_file, refuse


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("stats", help="统计分析：年度抽查统计、导出 xlsx 或 PDF 报告")
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="统计年度")
    p.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")
    p.add_argument("--out", metavar="OUT.xlsx|OUT.pdf", help="导出统计表（xlsx）或报告（pdf）")
    add_db_option(p)  # --db, and --user/--password-stdin where the database has accounts
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from app.services.access.audit import acting_as
    from app.services.access.auth import LoginError, PermissionDenied
    from app.services.stats.dashboard import build_dashboard
    from app.services.stats.frames import Period

    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".pdf"):
        return refuse(f"--out 只能是 .xlsx 或 .pdf 文件：{out}")
    try:
        if out is not None:
            out = output_file(args.out, "统计导出文件")
    except BadPath as exc:
        return refuse(str(exc))
    db = open_db(args)
    try:
        with acting_as(cli_actor()):
            dash = build_dashboard(db, Period.year(args.year), today=date.today())
            if out is not None:
                from app.services.stats.export import write_export

                write_export(db, dash, out)
    except (PermissionDenied, LoginError, OSError) as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    head = dash.headline()
    if not args.json:
        t = head["tasks"]
        print(f"{args.year}年 抽查任务 计划 {t['planned']} 已抽取 {t['drawn']} 已完成 {t['done']}")
        print(
            f"双随机检查 {head['inspections']} 户次，结果已录入 {head['inspected']}，"
            f"发现问题 {head['with_problems']}（{head['problem_rate'] * 100:.1f}%）"
        )
        for cls, v in head["by_risk_class"].items():
            print(f"  {cls}类 已检查 {v['inspected']} 发现问题 {v['with_problems']}")
        print(
            f"结果按时录入 {head['results_on_time']} 逾期录入 {head['results_late']} "
            f"逾期未录入 {head['results_overdue']}；多次被检查的企业 "
            f"{head['enterprises_visited_more_than_once']} 户"
        )
        if out is not None:
            print(f"已导出：{out}")
    else:
        if out is not None:
            print(f"已导出：{out}")
        print(json.dumps(head, ensure_ascii=False))
    return 0
