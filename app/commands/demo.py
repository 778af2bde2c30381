"""`dualrandom demo`: fill an empty database with demo data for 聊城市.

    dualrandom demo [--targets N] [--seed S] [--if-empty] [--db URL]

Prints a Chinese summary (counts and seconds). Exit status 2: the database
cannot be opened, or it already holds data (nothing is changed then) —
except with --if-empty, which says so and exits 0, so the quick start can
run it every time before opening the app.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli import add_db_option, cli_actor

EXIT_REFUSED = 2


def register(subparsers: Any) -> None:
    from app.services.demo.targets import MAX_TARGETS

    demo = subparsers.add_parser(
        "demo",
        help="向空数据库填充演示数据（聊城市）",
        description=(
            "向空数据库填充演示数据：17 个成员单位、抽查事项清单及抽查细则、"
            "检查对象名录库、执法检查人员名录库和回避记录。同一种子生成相同的数据。"
            "数据库中已有数据时拒绝执行，不做任何修改。"
        ),
    )
    demo.add_argument(
        "--targets",
        type=int,
        default=20_000,
        metavar="N",
        help=f"检查对象数量（默认 20000，最多 {MAX_TARGETS}）",
    )
    demo.add_argument("--seed", type=int, default=2026, metavar="S", help="随机种子（默认 2026）")
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="数据库已有数据时不报错，直接跳过（用于每次启动前的快速开始命令）",
    )
    add_db_option(demo)
    demo.set_defaults(run=run_demo)


def _progress_printer() -> Any:
    """Progress on stderr, only when someone is watching a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r正在生成检查对象：{done:,} / {total:,}", end=end, file=sys.stderr, flush=True)

    return show


def run_demo(args: argparse.Namespace) -> int:
    from app.config import normalize_db_url
    from app.models.db import DatabaseError, describe, open_database
    from app.services.access.audit import acting_as
    from app.services.demo.fill import DemoRefused, fill_demo
    from app.services.demo.targets import MAX_TARGETS

    if not 0 <= args.targets <= MAX_TARGETS:
        print(f"检查对象数量应在 0 到 {MAX_TARGETS:,} 之间", file=sys.stderr)
        return EXIT_REFUSED
    url = normalize_db_url(args.db)
    try:
        db = open_database(url)
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    try:
        with acting_as(cli_actor()):
            summary = fill_demo(
                db, targets=args.targets, seed=args.seed, progress=_progress_printer()
            )
    except DemoRefused as exc:
        if args.if_empty:
            print(f"数据库已有数据，未填充演示数据（{describe(url)}）。")
            return 0
        print(f"拒绝执行：{exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        db.dispose()
    print(f"已填充演示数据（{describe(url)}，种子 {args.seed}）：")
    print(f"  成员单位 {summary.departments} 个")
    print(
        f"  抽查事项 {summary.items} 项（检查要点 {summary.checkpoints} 条，"
        f"联合抽查事项 {summary.joint_groups} 组）"
    )
    print(f"  检查对象 {summary.targets:,} 个")
    print(
        f"  执法检查人员 {summary.inspectors} 名（执法资质 {summary.qualifications} 项），"
        f"回避记录 {summary.recusals} 条"
    )
    print(f"用时 {summary.seconds:.1f} 秒")
    return 0
