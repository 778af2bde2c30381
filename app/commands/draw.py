"""`dualrandom draw` and `dualrandom verify`: DRAW-1 on files, without the database.

    dualrandom draw --manifest M.json --witness DIGITS [--witness DIGITS …]
                    [--witness-name NAME …] [--nonce HEX] --out RESULT.json
    dualrandom verify M.json RESULT.json [--target ID] [--all]
    dualrandom draw --task TASK_CODE --witness DIGITS …   (app/commands/ceremony.py)

`draw` prints `manifest_hash: …`, `nonce_commitment: …`, `seed: …`, a summary,
and `result_hash: …` as its last line; it exits 2 with a Chinese reason on
stderr when it refuses its input. `verify` is app/draw/verify.py as is.
"""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path
from typing import Any

from app.cli import BadPath, add_db_option, input_file, output_file, refuse
from app.commands.ceremony import add_task_options, run_task_draw


def register(subparsers: Any) -> None:
    draw = subparsers.add_parser(
        "draw",
        help="按 DRAW-1 协议抽取检查对象并分派检查人员",
        description=(
            "按 DRAW-1 协议对清单文件抽取：见证人数字 + 随机数 → 种子 → 抽中对象与检查组。"
            "结果以规范 JSON 写入 --out，最后一行输出 result_hash。"
        ),
    )
    draw.add_argument(
        "--manifest", metavar="M.json", help="清单文件（规范 JSON 字节，见 docs/draw-protocol.md）"
    )
    draw.add_argument(
        "--witness",
        metavar="DIGITS",
        action="append",
        default=[],
        help="一位见证人给出的 6 到 32 位数字；多位见证人按顺序重复本参数",
    )
    draw.add_argument(
        "--witness-name",
        metavar="NAME",
        action="append",
        default=[],
        help="见证人姓名，与 --witness 按顺序一一对应（不参与种子计算）",
    )
    draw.add_argument(
        "--nonce",
        metavar="HEX",
        help="64 位十六进制随机数，仅用于复现与测试；省略时由操作系统安全随机源生成",
    )
    draw.add_argument("--out", metavar="RESULT.json", help="结果文件（规范 JSON）")
    add_task_options(draw)
    add_db_option(draw)
    draw.set_defaults(run=run_draw)

    verify = subparsers.add_parser(
        "verify",
        help="独立验证一次抽取（与 verify.py 相同）",
        description="由清单文件与结果文件独立重算并比对；一致时输出 VERIFIED，否则列出每处差异。",
    )
    verify.add_argument("manifest", metavar="M.json", help="清单文件")
    verify.add_argument("result", metavar="RESULT.json", help="结果文件")
    verify.add_argument("--target", metavar="ID", help="查询某一检查对象的票号、门槛与是否抽中")
    verify.add_argument("--all", action="store_true", help="列出全部差异")
    add_db_option(verify)
    verify.set_defaults(run=run_verify)


def _write_atomically(path: Path, data: bytes) -> None:
    # A half-written result file must never be mistaken for a record.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def run_draw(args: argparse.Namespace) -> int:
    from app import __version__
    from app.draw.documents import result_doc
    from app.draw.engine import result_bytes, run_draw
    from app.draw.protocol import (
        DrawInputError,
        check_witness_digits,
        parse_nonce_hex,
        sha256_hex,
    )
    from app.draw.validate import load_manifest_bytes

    if args.task:
        return run_task_draw(args)
    if args.manifest is None:
        return refuse("请用 --manifest 指定清单文件（或用 --task 抽取数据库中的任务）")
    if args.out is None:
        return refuse("请用 --out 指定结果文件")
    if not args.witness:
        return refuse("至少需要一位见证人：请用 --witness 给出 6 到 32 位数字")
    try:
        input_file(args.manifest, "清单文件")
    except BadPath as exc:
        return refuse(f"无法读取清单文件：{exc}")
    try:
        output_file(args.out, "结果文件")
    except BadPath as exc:
        return refuse(f"无法写入结果文件：{exc}")
    names = args.witness_name or [""] * len(args.witness)
    if len(names) != len(args.witness):
        return refuse(
            f"--witness-name 有 {len(names)} 个，--witness 有 {len(args.witness)} 个，"
            "须一一对应（或都不给姓名）"
        )
    try:
        for position, digits in enumerate(args.witness, start=1):
            check_witness_digits(digits, position)
        nonce = parse_nonce_hex(args.nonce) if args.nonce else secrets.token_bytes(32)
    except DrawInputError as exc:
        return refuse(str(exc))
    try:
        data = Path(args.manifest).read_bytes()
    except OSError as exc:
        return refuse(f"无法读取清单文件 {args.manifest}：{exc.strerror or exc}")
    try:
        manifest = load_manifest_bytes(data)
        witnesses = [{"name": n, "digits": d} for n, d in zip(names, args.witness, strict=True)]
        result = result_doc(run_draw(manifest, witnesses, nonce, f"dualrandom {__version__}"))
    except DrawInputError as exc:
        return refuse(str(exc))
    out = result_bytes(result)
    try:
        _write_atomically(Path(args.out), out)
    except OSError as exc:
        return refuse(f"无法写入结果文件 {args.out}：{exc.strerror or exc}")

    understaffed = len(result["missing"])
    print(f"manifest_hash: {result['manifest_hash']}")
    print(f"nonce_commitment: {result['nonce_commitment']}")
    print(f"seed: {result['seed']}")
    for s in result["strata"]:
        print(f"层 {s['name']}：抽中 {s['selected']} 户 / 候选 {s['candidates']} 户")
    print(f"抽中检查对象 {len(result['targets'])} 户，检查组缺员的对象 {understaffed} 户")
    print(f"结果文件：{args.out}")
    print(f"result_hash: {sha256_hex(out)}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from app.draw.verify import main

    argv = [args.manifest, args.result]
    if args.target is not None:
        argv += ["--target", args.target]
    if args.all:
        argv.append("--all")
    return main(argv)
