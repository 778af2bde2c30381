"""A task's draw from the command line, recorded exactly as the console records it.

    dualrandom draw --task TASK_CODE --witness DIGITS --witness-name NAME
                    [--witness-unit UNIT] … [--operator NAME]
                    [--redraw-reason TEXT --supervisor NAME
                     [--supervisor-password-stdin]]
                    [--db URL] [--user NAME [--password-stdin]]
    dualrandom draw --task TASK_CODE --resume            (completes a computed draw)
    dualrandom draw --task TASK_CODE --abandon --reason TEXT
    dualrandom bundle TASK_CODE OUT.zip [--db URL]

`draw --task` (dispatched here by app.commands.draw) stores the attempt and
its commitment first, then each witness's digits, then the seed and result
(with every row derived from it) in one transaction, through
app.services.draws.ceremony like the GUI; its last line is `result_hash: …`.
The nonce lives only in this process until then: a `draw --task` killed
before the result can never be completed, and `--resume` records it as
interrupted (中断); one killed after it is shown again by `--resume` exactly.
On a database with accounts the operator is the signed-in user (`--user`), and
a redraw's supervisor signs in with their own password (a second prompt,
`--supervisor-password-stdin` — the line after the operator's — or
DUALRANDOM_SUPERVISOR_PASSWORD), as in the console.
`bundle` writes the verification bundle of the task's result of record.
Both exit 2 with a Chinese reason on stderr when refused.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli import BadPath, add_db_option, open_db, output_file, refuse

if TYPE_CHECKING:
    from app.draw.documents import ResultDoc


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
        help="见证人单位（可省略），与 --witness 按顺序对应（仅与 --task 一起使用）",
    )
    draw.add_argument(
        "--operator",
        metavar="NAME",
        help="操作人员姓名（未启用账号登录的数据库必填；已登录时为登录用户）",
    )
    draw.add_argument("--redraw-reason", metavar="TEXT", help="重新抽取的原因（任务已有结果时）")
    draw.add_argument(
        "--supervisor",
        metavar="NAME",
        help="确认重新抽取的监督人员（已启用用户账户时为其用户名，须输入其本人密码）",
    )
    draw.add_argument(
        "--supervisor-password-stdin",
        action="store_true",
        help="监督人员的密码从标准输入读取（在操作人员登录密码之后的一行；"
        "也可用环境变量 DUALRANDOM_SUPERVISOR_PASSWORD）",
    )
    draw.add_argument(
        "--resume",
        action="store_true",
        help="完成已计算的抽取（只读取存档结果，绝不重算）；计算前中断的抽取记为中断",
    )
    draw.add_argument(
        "--abandon", action="store_true", help="作废该任务进行中的抽取（须 --reason）"
    )
    draw.add_argument("--reason", metavar="TEXT", help="作废的原因（与 --abandon 一起使用）")


def _units(values: list[str], n: int) -> list[str]:
    if len(values) > n:
        raise ValueError(f"--witness-unit 有 {len(values)} 个，多于 --witness 的 {n} 个")
    return values + [""] * (n - len(values))


def _print_outcome(result: ResultDoc, result_hash: str) -> None:
    print(f"seed: {result['seed']}")
    for s in result["strata"]:
        print(f"层 {s['name']}：抽中 {s['selected']} 户 / 候选 {s['candidates']} 户")
    print(f"抽中检查对象 {len(result['targets'])} 户，检查组缺员的对象 {len(result['missing'])} 户")
    print(f"result_hash: {result_hash}")


def _check_operator(args: argparse.Namespace) -> None:
    """Signed in, the operator is that user: --operator may not name someone else."""
    from app.services.access.auth import PermissionDenied, current_principal

    who = current_principal()
    named = (args.operator or "").strip()
    if who.user_id is not None and named and named not in (who.username, who.display_name):
        raise PermissionDenied(
            f"已以“{who.username}”登录，操作人员就是登录的用户，不能用 --operator 另指他人。"
        )


def _supervisor(db: Any, args: argparse.Namespace) -> str | None:
    """Who confirms a redraw: signed in with their own password where accounts exist."""
    from app.commands.signin import supervisor_password
    from app.services.draws.supervision import confirm_supervisor, supervisor_sign_in_required

    name = (args.supervisor or "").strip()
    if not name or not supervisor_sign_in_required(db):
        return name or None
    return confirm_supervisor(db, args.task, name, supervisor_password(args, name))


def run_task_draw(args: argparse.Namespace) -> int:
    from app.draw.protocol import DrawInputError, check_witness_digits
    from app.models.db import DatabaseError
    from app.services.access.auth import LoginError, PermissionDenied
    from app.services.draws.ceremony import DrawCeremony, DrawError

    if args.manifest or args.out or args.nonce:
        return refuse("--task 与 --manifest、--out、--nonce 不能同时使用：随机数由系统生成并存档")
    if args.resume or args.abandon:
        return _settle(args)
    if not args.witness:
        return refuse("至少需要一位见证人：请用 --witness 给出 6 到 32 位数字")
    names = [n.strip() for n in args.witness_name]
    if len(names) != len(args.witness) or not all(names):
        return refuse(
            f"每位见证人都须写明姓名：--witness 有 {len(args.witness)} 个，"
            f"--witness-name 有 {len([n for n in names if n])} 个，须按顺序一一对应"
        )
    try:
        units = _units(args.witness_unit, len(args.witness))
        for position, digits in enumerate(args.witness, start=1):
            check_witness_digits(digits, position)
    except (ValueError, DrawInputError) as exc:
        return refuse(str(exc))
    try:
        db = open_db(args)
    except DatabaseError as exc:
        return refuse(str(exc))
    try:
        _check_operator(args)
        supervisor = _supervisor(db, args)
        ceremony = DrawCeremony.open(
            db,
            args.task,
            args.operator or "",
            redraw_reason=args.redraw_reason,
            supervisor=supervisor,
        )
        info = ceremony.info()
        print(f"任务 {args.task} 第 {info.attempt_no} 次抽取，操作人员：{info.operator}")
        print(f"manifest_hash: {info.manifest_hash}")
        print(f"nonce_commitment: {info.nonce_commitment}")
        for name, unit, digits in zip(names, units, args.witness, strict=True):
            row = ceremony.add_witness(name, unit, digits)
            print(f"见证人 {row.position}：{row.name} {row.digits}")
        outcome = ceremony.compute()
    except (DrawError, LoginError, PermissionDenied) as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    _print_outcome(outcome.result, outcome.result_hash)
    return 0


def _settle(args: argparse.Namespace) -> int:
    """`--resume` and `--abandon`: the way out of an interrupted `draw --task`."""
    from app.models.db import DatabaseError
    from app.services.draws.ceremony import DrawCeremony, DrawError, record_interruption

    if args.resume and args.abandon:
        return refuse("--resume 与 --abandon 只能选一个")
    if args.witness or args.witness_name or args.witness_unit:
        return refuse("--resume / --abandon 不接受见证人参数")
    if args.abandon and not (args.reason or "").strip():
        return refuse("作废进行中的抽取须用 --reason 说明原因")
    try:
        db = open_db(args)
    except DatabaseError as exc:
        return refuse(str(exc))
    try:
        if args.abandon:
            ceremony = DrawCeremony.resume(db, args.task)
            if ceremony is None or not ceremony.state.is_open:
                return refuse(f"任务“{args.task}”没有进行中的抽取可以作废")
            ceremony.abort(args.reason)
            info = ceremony.info()
            print(f"任务 {args.task} 第 {info.attempt_no} 次抽取已作废，原因已记录：{args.reason}")
            print(f"nonce_commitment: {info.nonce_commitment}")
            return 0
        number = record_interruption(db, args.task)
        ceremony = DrawCeremony.resume(db, args.task)
        if number is not None:
            return refuse(
                f"任务“{args.task}”的第 {number} 次抽取在计算结果前中断，随机数已随程序丢失，"
                "无法完成；已记为中断，将印在抽取记录上。重新抽取须用 --redraw-reason 说明原因"
                "并由 --supervisor 确认。"
            )
        if ceremony is None:
            return refuse(f"任务“{args.task}”没有可以继续的抽取")
        if ceremony.state.is_open:
            info = ceremony.info()
            return refuse(
                f"任务“{args.task}”的第 {info.attempt_no} 次抽取仍由工作站 "
                f"{info.workstation or '（未知）'} 上的程序进行中，只能在该程序中完成，"
                "或用 --abandon --reason 作废"
            )
        written = ceremony.complete() if ceremony.needs_completion else 0
        outcome = ceremony.outcome()
        assert outcome is not None
        info = ceremony.info()
    except DrawError as exc:
        return refuse(str(exc))
    finally:
        db.dispose()
    print(f"任务 {args.task} 第 {info.attempt_no} 次抽取：已读取存档结果（未重算）")
    if written:
        print(f"补记抽中对象 {written} 户")
    print(f"manifest_hash: {info.manifest_hash}")
    print(f"nonce_commitment: {info.nonce_commitment}")
    _print_outcome(outcome.result, outcome.result_hash)
    return 0


def run_bundle(args: argparse.Namespace) -> int:
    from app.models.db import DatabaseError
    from app.services.draws.attempts import DrawError
    from app.services.draws.bundle import write_bundle

    try:
        out = output_file(args.out, "核验包")
        db = open_db(args)
    except (DatabaseError, BadPath) as exc:
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
