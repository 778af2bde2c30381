"""`dualrandom plan list|export` and `dualrandom manifest`.

    dualrandom plan list [--db URL] [--json]
    dualrandom plan export PLAN_CODE OUT.xlsx|OUT.pdf [--db URL]
    dualrandom manifest TASK_CODE --out M.json [--db URL] [--on YYYY-MM-DD]

`plan list --json` prints one JSON object on its last line:
{"plans": [{"code", "year", "state", "tasks": [{"code", "state"}]}]}, states
as the stable codes draft, filed, published, drawn, inspecting, done.
`manifest` writes exactly the canonical bytes of the DRAW-1 manifest, prints
what was excluded and why, and `manifest_hash: …` as its last line.
Exit status 2: the database cannot be opened or the request is refused.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from app.cli import BadPath, add_db_option, open_db, output_file, refuse
from app.domain.planning import PlanState

STATE_HELP = "、".join(f"{s.value}={s.label}" for s in PlanState)


def register(subparsers: Any) -> None:
    plan = subparsers.add_parser(
        "plan",
        help="年度抽查计划：列出、导出",
        description=f"年度抽查计划与抽查任务。状态代码：{STATE_HELP}。",
    )
    sub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    lister = sub.add_parser(
        "list",
        help="列出计划及其任务（编号与状态）",
        description=(
            "列出全部年度抽查计划及其抽查任务。加 --json 时最后一行输出一个 JSON 对象："
            '{"plans": [{"code", "year", "state", "tasks": [{"code", "state"}]}]}，'
            f"state 为稳定的英文代码（{STATE_HELP}）。"
        ),
    )
    lister.add_argument("--json", action="store_true", help="最后一行输出 JSON")
    add_db_option(lister)
    lister.set_defaults(run=run_plan_list)

    export = sub.add_parser(
        "export",
        help="导出计划为 xlsx 或公示用 PDF",
        description="按文件扩展名导出：.xlsx 为表格，.pdf 为 A4 公示文本（含页码）。",
    )
    export.add_argument("plan_code", metavar="PLAN_CODE", help="计划编号，如 LC-LH-2026")
    export.add_argument("out", metavar="OUT", help="输出文件（.xlsx 或 .pdf）")
    add_db_option(export)
    export.set_defaults(run=run_plan_export)

    manifest = subparsers.add_parser(
        "manifest",
        help="生成抽查任务当前的 DRAW-1 清单文件",
        description=(
            "按任务的范围与规则从数据库生成 DRAW-1 清单（规范 JSON 字节），"
            "列出被排除的对象、人员与排除对及原因，最后一行输出 manifest_hash。"
        ),
    )
    manifest.add_argument("task_code", metavar="TASK_CODE", help="任务编号，如 LC-SCJGJ-2026-003")
    manifest.add_argument("--out", metavar="M.json", required=True, help="清单文件")
    manifest.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        type=date.fromisoformat,
        default=None,
        help="抽取日（判断执法证是否有效），默认今天",
    )
    add_db_option(manifest)
    manifest.set_defaults(run=run_manifest)


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def run_plan_list(args: argparse.Namespace) -> int:
    from app.models.db import DatabaseError
    from app.services.plans.planning import list_plans

    try:
        db = open_db(args)
    except DatabaseError as exc:
        return refuse(str(exc))
    try:
        plans = list_plans(db)
    finally:
        db.dispose()
    if not plans:
        print("没有年度抽查计划。")
    for p in plans:
        state = f"{p.state.label}（{p.state.value}）"
        print(f"{p.code}  {p.year} 年  {state}  第 {p.version_no} 版  {p.title}")
        for t in p.tasks:
            joint = "联合" if t.is_joint else "单部门"
            print(f"    {t.code}  {t.state.label}（{t.state.value}）  {joint}  {t.title}")
    if args.json:
        doc = {
            "plans": [
                {
                    "code": p.code,
                    "year": p.year,
                    "state": p.state.value,
                    "tasks": [{"code": t.code, "state": t.state.value} for t in p.tasks],
                }
                for p in plans
            ]
        }
        print(json.dumps(doc, ensure_ascii=False))
    return 0


def run_plan_export(args: argparse.Namespace) -> int:
    from app.models.db import DatabaseError
    from app.services.plans.export import ExportError, export_plan
    from app.services.plans.values import PlanError

    try:
        out = output_file(args.out, "导出文件")
        db = open_db(args)
    except (DatabaseError, BadPath) as exc:
        return refuse(str(exc))
    try:
        written = export_plan(db, args.plan_code, out)
    except (PlanError, ExportError) as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    print(f"已导出计划 {args.plan_code}：{written}")
    return 0


def run_manifest(args: argparse.Namespace) -> int:
    from app.draw.protocol import DrawInputError
    from app.models.db import DatabaseError
    from app.services.draws.manifest import build_task_manifest
    from app.services.plans.values import PlanError

    try:
        out = output_file(args.out, "清单文件")
        db = open_db(args)
    except (DatabaseError, BadPath) as exc:
        return refuse(str(exc))
    try:
        _manifest, report = build_task_manifest(db, args.task_code, on=args.on)
    except (PlanError, DrawInputError) as exc:
        return refuse(f"任务 {args.task_code} 无法生成清单：{exc}")
    finally:
        db.dispose()
    try:
        _write_atomically(out, report.canonical_bytes)
    except OSError as exc:
        return refuse(f"无法写入清单文件 {out}：{exc.strerror or exc}")
    for line in report.lines():
        print(line)
    print(f"清单文件：{out}")
    print(f"manifest_hash: {report.manifest_hash}")
    return 0
