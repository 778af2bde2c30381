"""`dualrandom import|export|template`: the registries' spreadsheets, headless.

    dualrandom import targets|inspectors|items|recusals FILE [--db URL]
                      [--report OUT.xlsx] [--json]
    dualrandom import plan FILE --year YEAR [--db URL] [--report OUT.xlsx] [--json]
    dualrandom export targets|inspectors|items|recusals OUT.xlsx [--db URL]
    dualrandom template targets|inspectors|items|recusals OUT.xlsx

`import --json` prints one JSON object as its last line:
{"total", "inserted", "updated", "unchanged", "rejected", "warnings"}, with
inserted + updated + unchanged + rejected == total; `import plan` adds
"tasks" (the tasks of the new draft plan). With --report the understanding
of each column is printed too. Exit status 0 when the
file was processed (rejected rows included), 2 when it could not be read
(the reason on stderr, in Chinese), 1 when the database could not be opened.
export and template exit 1 when the output file cannot be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli import add_db_option, open_db
from app.excel.templates import KINDS, TEMPLATES

EXIT_UNREADABLE = 2
EXIT_USAGE = 2
EXIT_DATABASE = 1
EXIT_CANNOT_WRITE = 1
# Rejected rows printed on screen; the report workbook has all of them.
SHOWN_ISSUES = 20

PLAN_KIND = "plan"
_KIND_HELP = "、".join(f"{k}（{TEMPLATES[k].title}）" for k in KINDS) + (
    f"、{PLAN_KIND}（年度抽查计划表，导入为草稿计划，须加 --year）"
)


def register(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import",
        help="从 Excel（.xlsx）导入名录库或抽查事项清单",
        description="导入一个 .xlsx 文件；整个导入是一个事务，读不了的文件不改动任何数据。",
    )
    imp.add_argument("kind", choices=(*KINDS, PLAN_KIND), help=_KIND_HELP)
    imp.add_argument("file", metavar="FILE", help="要导入的 .xlsx 文件")
    imp.add_argument(
        "--report", metavar="OUT.xlsx", help="把未导入的行和警告（含原始内容）写入此工作簿"
    )
    imp.add_argument("--json", action="store_true", help="最后一行输出 JSON 格式的统计")
    imp.add_argument("--year", type=int, metavar="YEAR", help="计划年度（仅 import plan，必填）")
    add_db_option(imp)
    imp.set_defaults(run=run_import)

    exp = subparsers.add_parser(
        "export",
        help="把名录库或抽查事项清单导出为 Excel（.xlsx）",
        description="导出的列与导入模板完全一致，可原样导回。",
    )
    exp.add_argument("kind", choices=KINDS, help=_KIND_HELP)
    exp.add_argument("out", metavar="OUT.xlsx", help="导出文件")
    add_db_option(exp)
    exp.set_defaults(run=run_export)

    tpl = subparsers.add_parser(
        "template",
        help="生成空白导入模板（每列表头带填写说明批注）",
        description="生成空白导入模板：表头每列有批注说明填写格式，另附“填写说明”工作表。",
    )
    tpl.add_argument("kind", choices=KINDS, help=_KIND_HELP)
    tpl.add_argument("out", metavar="OUT.xlsx", help="模板文件")
    tpl.set_defaults(run=run_template)


def _cannot_write(path: str, exc: OSError) -> int:
    print(
        f"无法写入文件“{path}”：{exc.strerror or exc}"
        "（请检查文件夹是否存在、文件是否正被 Excel 打开）",
        file=sys.stderr,
    )
    return EXIT_CANNOT_WRITE


def run_import(args: argparse.Namespace) -> int:
    from app.excel.reader import WorkbookError
    from app.models.db import DatabaseError
    from app.services.registry.imports.engine import import_registry

    if args.kind == PLAN_KIND and args.year is None:
        print("导入年度抽查计划须用 --year 指定计划年度，如 --year 2026", file=sys.stderr)
        return EXIT_USAGE
    try:
        db = open_db(args)
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATABASE
    try:
        if args.kind == PLAN_KIND:
            from app.services.plans.imports import import_plan

            report = import_plan(db, args.file, args.year)
            title = "年度抽查计划表"
        else:
            report = import_registry(db, args.kind, args.file)
            title = TEMPLATES[args.kind].title
    except WorkbookError as exc:
        print(f"{exc}。未导入任何数据。", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        db.dispose()
    print(f"{title}导入完成：{report.text()}")
    if args.report:
        print("  各列的识别：")
        for line in report.columns:
            print(f"    {line}")
    for note in report.notes:
        print(f"  说明：{note}")
    for issue in report.rejections[:SHOWN_ISSUES]:
        print(f"  第 {issue.row} 行未导入：{issue.reason}")
    for issue in report.warnings[: max(0, SHOWN_ISSUES - len(report.rejections))]:
        print(f"  第 {issue.row} 行警告（{issue.column}）：{issue.reason}")
    if len(report.rejections) + len(report.warnings) > SHOWN_ISSUES:
        print("  ……其余问题见导入报告（--report）")
    if args.report:
        try:
            report.write(args.report)
        except OSError as exc:
            print(f"无法写入导入报告“{args.report}”：{exc.strerror or exc}", file=sys.stderr)
        else:
            print(f"导入报告：{args.report}")
    if args.json:
        print(json.dumps(report.summary(), ensure_ascii=False))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from app.models.db import DatabaseError
    from app.services.registry.export import export_registry

    try:
        db = open_db(args)
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATABASE
    try:
        count = export_registry(db, args.kind, args.out)
    except OSError as exc:
        return _cannot_write(args.out, exc)
    finally:
        db.dispose()
    print(f"已导出{TEMPLATES[args.kind].title} {count} 行：{args.out}")
    return 0


def run_template(args: argparse.Namespace) -> int:
    from app.excel.writer import write_template

    try:
        write_template(args.out, TEMPLATES[args.kind])
    except OSError as exc:
        return _cannot_write(args.out, exc)
    print(f"已生成{TEMPLATES[args.kind].title}导入模板：{args.out}")
    return 0
