"""Command line: `dualrandom [--db URL] [COMMAND …]`.

Thin on purpose: each command module in `app.commands` registers its
subparser and a `run(args) -> int` handler that calls a service and prints.
Commands, flags and JSON shapes are contracts for outside scripts.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import sys
from typing import Any

from app import __version__

# Exit code of a command refused (permission, stale edit) or ended by a database fault.
EXIT_REFUSED = 2

# One module per group of subcommands; each exposes register(subparsers).
COMMAND_MODULES: tuple[str, ...] = (
    "app.commands.admin",
    "app.commands.ceremony",
    "app.commands.demo",
    "app.commands.documents",
    "app.commands.draw",
    "app.commands.plans",
    "app.commands.registry",
    "app.commands.results",
    "app.commands.stats",
    "app.commands.workdays",
)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """`--db URL` on a subcommand (the top-level one works too)."""
    parser.add_argument(
        "--db",
        dest="sub_db",
        metavar="URL",
        default=None,
        help="数据库：SQLite 文件路径或 postgresql+psycopg://… 地址",
    )


def open_db(args: argparse.Namespace, *, migrate: bool = True) -> Any:
    """The database named by `--db` (or DUALRANDOM_DB); raises DatabaseError."""
    from app.config import normalize_db_url
    from app.models.db import open_database

    return open_database(normalize_db_url(args.db), migrate=migrate)


def refuse(message: str) -> int:
    """Print `拒绝执行：…` on stderr and return EXIT_REFUSED."""
    print(f"拒绝执行：{message}", file=sys.stderr)
    return EXIT_REFUSED


def cli_actor() -> str:
    """The audit actor of a command: `cli:` and the operating system's user name."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except Exception:  # no user name in the environment
        return "cli"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dualrandom",
        description="双随机一公开监管工作台。不带子命令时启动图形界面。",
    )
    parser.add_argument("--version", action="version", version=f"dualrandom {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="数据库：SQLite 文件路径或 postgresql+psycopg://… 地址（或环境变量 DUALRANDOM_DB）",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # A subcommand's own --db wins over the top-level one.
    if getattr(args, "sub_db", None):
        args.db = args.sub_db
    if args.command is None:
        from app.gui import run_gui

        return run_gui(args.db)
    from app.services.common.errors import USER_ERRORS

    try:
        return int(args.run(args) or 0)
    except USER_ERRORS as exc:
        # Refused or a database fault: the message is for the user, not a traceback.
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
