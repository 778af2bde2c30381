"""`dualrandom import|export|template`: the registries' spreadsheets, headless.

    dualrandom import targets|inspectors|items|recusals FILE [--db URL]
                      [--report OUT.xlsx] [--json]
    dualrandom import plan FILE --year YEAR [--db URL] [--report OUT.xlsx] [--json]
    dualrandom export targets|inspectors|items|recusals OUT.xlsx [--db URL]
    dualrandom template targets|inspectors|items|recusals OUT.xlsx
    dualrandom template results TASK_CODE OUT.xlsx [--db URL]
    dualrandom import results FILE [--db URL] [--report OUT.xlsx] [--json]

`results` is the inspection results of a drawn task: the template is
pre-filled with the task's targets and items (one row per target and item)
and has drop-downs of the result categories; import follows the same rules
and prints the same summary (app.services.inspections.transfer).

`import --json` prints one JSON object as its last line:
{"total", "inserted", "updated", "unchanged", "rejected", "warnings"}, with
inserted + updated + unchanged + rejected == total; `import plan` adds
"tasks" (the tasks of the new draft plan). With --report the understanding
of each column is printed too. Exit status 0 when the
file was processed (rejected rows included), 2 when it could not be read
(the reason on stderr, in Chinese), 2 when the database could not be opened
or the request is refused. export and template exit 1 when the output file
cannot be written (a folder, a device, a folder that does not exist
included).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from app.cli import BadPath, add_db_option, input_file, open_db, output_file, refuse
from app.excel.templates import KINDS, TEMPLATES

if TYPE_CHECKING:
    from app.services.registry.imports.base import ImportReport

EXIT_UNREADABLE = 2
EXIT_DATABASE = 2
EXIT_CANNOT_WRITE = 1
# Wrong arguments, as argparse itself exits.
EXIT_USAGE = 2
# Rejected rows printed on screen; the report workbook has all of them.
SHOWN_ISSUES = 20

PLAN_KIND = "plan"
_KIND_HELP = "、".join(f"{k}（{TEMPLATES[k].title}）" for k in KINDS) + (
    f"、{PLAN_KIND}（年度抽查计划表，导入为草稿计划，须加 --year）"
)


_RESULTS_HELP = "、results（检查结果）"


def register(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import",
        help="从 Excel（.xlsx）导入名录库或抽查事项清单",
        description="导入一个 .xlsx 文件；整个导入是一个事务，读不了的文件不改动任何数据。",
    )
    imp.add_argument(
        "kind",
        metavar="KIND",
        choices=(*KINDS, PLAN_KIND, "results"),
        help=_KIND_HELP + _RESULTS_HELP,
    )
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
    exp.add_argument("kind", metavar="KIND", choices=KINDS, help=_KIND_HELP)
    exp.add_argument("out", metavar="OUT.xlsx", help="导出文件")
    add_db_option(exp)
    exp.set_defaults(run=run_export)

    tpl = subparsers.add_parser(
        "template",
        help="生成空白导入模板（每列表头带填写说明批注）",
        description="生成空白导入模板：表头每列有批注说明填写格式，另附“填写说明”工作表。",
    )
    tpl.add_argument(
        "kind",
        metavar="KIND",
        choices=(*KINDS, "results"),
        help=_KIND_HELP + "、results（检查结果）",
    )
    tpl.add_argument(
        "paths",
        nargs="+",
        metavar="[TASK_CODE] OUT.xlsx",
        help="模板文件；results 先写任务编号，再写模板文件",
    )
    add_db_option(tpl)
    tpl.set_defaults(run=run_template)


def _cannot_write(path: str, exc: OSError) -> int:
    print(
        f"无法写入文件“{path}”：{exc.strerror or exc}"
        "（请检查文件夹是否存在、文件是否正被 Excel 打开）",
        file=sys.stderr,
    )
    return EXIT_CANNOT_WRITE


def _bad_output(path: str, exc: BadPath) -> int:
    print(f"无法写入文件“{path}”：{exc}", file=sys.stderr)
    return EXIT_CANNOT_WRITE


def run_import(args: argparse.Namespace) -> int:
    from datetime import date

    from app.excel.reader import WorkbookError
    from app.models.db import DatabaseError
    from app.services.inspections.transfer import import_results
    from app.services.registry.imports.engine import import_registry

    if args.kind == PLAN_KIND and args.year is None:
        print("导入年度抽查计划须用 --year 指定计划年度，如 --year 2026", file=sys.stderr)
        return EXIT_USAGE
    try:
        source = input_file(args.file, "导入文件")
        if args.report:
            output_file(args.report, "导入报告")
    except BadPath as exc:
        return refuse(str(exc))
    try:
        db = open_db(args)
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATABASE
    report: ImportReport
    try:
        if args.kind == PLAN_KIND:
            from app.services.plans.imports import import_plan

            report = import_plan(db, source, args.year)
            title = "年度抽查计划表"
        elif args.kind == "results":
            report = import_results(db, source, today=date.today())
            title = "检查结果"
        else:
            report = import_registry(db, args.kind, source)
            title = TEMPLATES[args.kind].title
    except WorkbookError as exc:
        print(f"{exc}。未导入任何数据。", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        db.dispose()
    print(f"{title}导入完成：{report.text()}")
    if args.report and report.columns:
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
        out = output_file(args.out, "导出文件")
    except BadPath as exc:
        return _bad_output(args.out, exc)
    try:
        db = open_db(args)
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATABASE
    try:
        count = export_registry(db, args.kind, out)
    except OSError as exc:
        return _cannot_write(args.out, exc)
    finally:
        db.dispose()
    print(f"已导出{TEMPLATES[args.kind].title} {count} 行：{args.out}")
    return 0


def run_template(args: argparse.Namespace) -> int:
    from app.excel.writer import write_template

    if args.kind == "results":
        return _results_template(args)
    if len(args.paths) != 1:
        return _usage(
            f"template {args.kind} 只需要一个输出文件：dualrandom template {args.kind} OUT.xlsx"
        )
    args.out = args.paths[0]

    try:
        out = output_file(args.out, "模板文件")
    except BadPath as exc:
        return _bad_output(args.out, exc)
    try:
        write_template(out, TEMPLATES[args.kind])
    except OSError as exc:
        return _cannot_write(args.out, exc)
    print(f"已生成{TEMPLATES[args.kind].title}导入模板：{args.out}")
    return 0


def _usage(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_USAGE


def _results_template(args: argparse.Namespace) -> int:
    from app.models.db import DatabaseError
    from app.services.inspections.common import InspectionError
    from app.services.inspections.transfer import write_template as write_results

    if len(args.paths) != 2:
        return _usage("用法：dualrandom template results TASK_CODE OUT.xlsx")
    task_code, out = args.paths
    try:
        target = output_file(out, "模板文件")
    except BadPath as exc:
        return _bad_output(out, exc)
    try:
        db = open_db(args)
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATABASE
    try:
        rows = write_results(db, task_code, target)
    except InspectionError as exc:
        print(f"拒绝执行：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as exc:
        return _cannot_write(out, exc)
    finally:
        db.dispose()
    print(f"已生成任务“{task_code}”的检查结果模板（{rows} 行）：{out}")
    return 0
