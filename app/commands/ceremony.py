"""A task's draw from the command line, recorded exactly as the console records it.

    dualrandom draw --task TASK_CODE --witness DIGITS [--witness-name NAME]
                    [--witness-unit UNIT] … [--operator NAME]
                    [--redraw-reason TEXT --supervisor NAME] [--db URL]
    dualrandom bundle TASK_CODE OUT.zip [--db URL]

`draw --task` (dispatched here by app.commands.draw) stores the attempt and
its commitment first, then each witness's digits, then the seed and result
in one transaction, through app.services.draws.ceremony like the GUI; its last line
is `result_hash: …`. `bundle` writes the verification bundle of the task's
result of record. Both exit 2 with a Chinese reason on stderr when refused.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from app.cli import add_db_option, open_db, refuse


def register(subparsers: Any) -> None:
    bundle = subparsers.add_parser(
        "bundle",
        help="导出任务随机抽取的核验包（zip）",
        description=(
            "导出核验包：清单与结果（原始字节）、随机抽取记录 PDF、独立核验程序 verify.py "
            "和中文说明。解压后运行 python verify.py manifest.json result.json 即可核验。"
        ),
    )
    bundle.add_argument("task_code", metavar="TASK_CODE", help="抽查任务编号")
    bundle.add_argument("out", metavar="OUT.zip", help="核验包文件")
    add_db_option(bundle)
    bundle.set_defaults(run=run_bundle)


def add_task_options(draw: argparse.ArgumentParser) -> None:
    """The options `dualrandom draw` takes for a task in the database."""
    draw.add_argument("--task", metavar="TASK_CODE", help="从数据库抽取该抽查任务（记录在案）")
    draw.add_argument(
        "--witness-unit",
        metavar="UNIT",
        action="append",
        default=[],
        help="见证人单位，与 --witness 按顺序对应（仅与 --task 一起使用）",
    )
    draw.add_argument("--operator", metavar="NAME", help="操作人员姓名（默认为当前系统用户）")
    draw.add_argument("--redraw-reason", metavar="TEXT", help="重新抽取的原因（任务已有结果时）")
    draw.add_argument("--supervisor", metavar="NAME", help="确认重新抽取的监督人员")


def _pad(values: list[str], n: int, what: str) -> list[str]:
    if values and len(values) != n:
        raise ValueError(f"{what} 有 {len(values)} 个，--witness 有 {n} 个，须一一对应")
    return values or [""] * n


def run_task_draw(args: argparse.Namespace) -> int:
    from app.draw.protocol import DrawInputError, check_witness_digits
    from app.models.db import DatabaseError
    from app.services.draws.attempts import DrawError
    from app.services.draws.ceremony import DrawCeremony

    if args.manifest or args.out or args.nonce:
        return refuse("--task 与 --manifest、--out、--nonce 不能同时使用：随机数由系统生成并存档")
    if not args.witness:
        return refuse("至少需要一位见证人：请用 --witness 给出 6 到 32 位数字")
    try:
        names = _pad(args.witness_name, len(args.witness), "--witness-name")
        units = _pad(args.witness_unit, len(args.witness), "--witness-unit")
    except ValueError as exc:
        return refuse(str(exc))
    try:
        for position, digits in enumerate(args.witness, start=1):
            check_witness_digits(digits, position)
    except DrawInputError as exc:
        return refuse(str(exc))
    names = [n or f"见证人{k}" for k, n in enumerate(names, start=1)]
    operator = args.operator or getpass.getuser()
    try:
        db = open_db(args)
    except DatabaseError as exc:
        return refuse(str(exc))
    try:
        ceremony = DrawCeremony.open(
            db,
            args.task,
            operator,
            redraw_reason=args.redraw_reason,
            supervisor=args.supervisor,
        )
        info = ceremony.info()
        print(f"任务 {args.task} 第 {info.attempt_no} 次抽取，操作人员 {operator}")
        print(f"manifest_hash: {info.manifest_hash}")
        print(f"nonce_commitment: {info.nonce_commitment}")
        for name, unit, digits in zip(names, units, args.witness, strict=True):
            row = ceremony.add_witness(name, unit, digits)
            print(f"witness {row.position}: {row.name} {row.digits}")
        outcome = ceremony.compute()
        ceremony.index_targets(outcome)
    except DrawError as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    result = outcome.result
    print(f"seed: {result['seed']}")
    for s in result["strata"]:
        print(f"stratum {s['name']}: {s['selected']} / {s['candidates']}")
    print(f"targets: {len(result['targets'])}，检查组缺员的对象: {len(result['missing'])}")
    print(f"result_hash: {outcome.result_hash}")
    return 0


def run_bundle(args: argparse.Namespace) -> int:
    from app.models.db import DatabaseError
    from app.services.draws.attempts import DrawError
    from app.services.draws.bundle import write_bundle

    out = Path(args.out).expanduser()
    try:
        db = open_db(args)
    except DatabaseError as exc:
        return refuse(str(exc))
    try:
        result_hash = write_bundle(db, args.task_code, out)
    except DrawError as exc:
        return refuse(str(exc))
    except OSError as exc:
        return refuse(f"无法写入核验包 {out}：{exc.strerror or exc}")
    finally:
        db.dispose()
    print(f"核验包：{out}")
    print("核验：解压后运行 python verify.py manifest.json result.json")
    print(f"result_hash: {result_hash}")
    return 0
