"""Command line: `dualrandom [--db URL] [--user NAME] [COMMAND …]`.

Thin on purpose: each command module in `app.commands` registers its
subparser and a `run(args) -> int` handler that calls a service and prints.
Commands, flags and JSON shapes are contracts for outside scripts.

`open_db` is the one way a command reaches the database: it refuses a
SQLite file that does not exist (a mistyped path must not become a new,
empty database; `--create` makes one on purpose) and signs in where the
database has user accounts (app.commands.signin), so the services'
permission checks and the audit log name the user, as in the desktop.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import stat
import sys
from pathlib import Path
from typing import Any

from app import __version__
from app.domain.errors import InvalidInput
from app.models.faults import DatabaseError

# Exit code of a command refused (permission, stale edit) or ended by a database fault.
EXIT_REFUSED = 2

# One module per group of subcommands; each exposes register(subparsers).
COMMAND_MODULES: tuple[str, ...] = (
    "app.commands.admin",
    "app.commands.audit",
    "app.commands.ceremony",
    "app.commands.demo",
    "app.commands.documents",
    "app.commands.draw",
    "app.commands.plans",
    "app.commands.publication",
    "app.commands.registry",
    "app.commands.results",
    "app.commands.server",
    "app.commands.stats",
    "app.commands.users",
    "app.commands.workdays",
)

# Options a subcommand repeats from the top level: (flag, sub dest, top-level dest).
_SHARED = (
    ("--db", "sub_db", "db"),
    ("--user", "sub_user", "user"),
    ("--password-stdin", "sub_password_stdin_signin", "password_stdin_signin"),
    ("--create", "sub_create", "create"),
)


class DatabaseMissing(DatabaseError):
    """`--db` names a SQLite file that does not exist (and --create was not given)."""


class BadPath(InvalidInput):
    """An input or output path that cannot be used; str() says which and why, in Chinese."""


def _add_shared(parser: argparse.ArgumentParser, *, top: bool) -> None:
    def dest(sub: str, main: str) -> str:
        return main if top else sub

    parser.add_argument(
        "--db",
        dest=dest("sub_db", "db"),
        metavar="URL",
        default=None,
        help="数据库：SQLite 文件路径或 postgresql+psycopg://… 地址（或环境变量 DUALRANDOM_DB）",
    )
    parser.add_argument(
        "--user",
        dest=dest("sub_user", "user"),
        metavar="NAME",
        default=None,
        help="以该用户登录（数据库已启用用户账户时必须）；密码在提示时输入",
    )
    if "--password-stdin" not in parser._option_string_actions:
        parser.add_argument(
            "--password-stdin",
            dest=dest("sub_password_stdin_signin", "password_stdin_signin"),
            action="store_true",
            help="登录密码从标准输入的第一行读取（也可用环境变量 DUALRANDOM_PASSWORD）",
        )
    parser.add_argument(
        "--create",
        dest=dest("sub_create", "create"),
        action="store_true",
        help="SQLite 数据库文件不存在时新建（否则拒绝，以免路径写错时建出空数据库）",
    )


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """`--db URL`, `--user NAME`, `--password-stdin` and `--create` on a subcommand."""
    _add_shared(parser, top=False)


def sqlite_file_of(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database)
    return None


def check_db_exists(url: str, create: bool = False) -> None:
    """Refuse a SQLite file that is not there, naming the path."""
    path = sqlite_file_of(url)
    if path is None or create:
        return
    if path.is_dir():
        raise DatabaseMissing(f"“{path}”是文件夹，不是数据库文件。请用 --db 指定数据库文件。")
    if not path.exists():
        raise DatabaseMissing(
            f"数据库文件“{path}”不存在。请检查 --db 给出的路径是否写错；"
            "确要新建一个空数据库时，请加 --create。"
        )


def open_db(args: argparse.Namespace, *, migrate: bool = True) -> Any:
    """The database named by `--db` (or DUALRANDOM_DB), signed in; raises DatabaseError.

    Sign-in refusals raise app.commands.signin.SignInRefused (a PermissionDenied).
    """
    from app.commands.signin import sign_in
    from app.config import normalize_db_url
    from app.models.db import open_database

    url = normalize_db_url(args.db)
    check_db_exists(url, bool(getattr(args, "create", False)))
    db = open_database(url, migrate=migrate)
    try:
        sign_in(db, args)
    except BaseException:
        db.dispose()
        raise
    return db


def refuse(message: str) -> int:
    """Print `拒绝执行：…` on stderr and return EXIT_REFUSED."""
    print(f"拒绝执行：{message}", file=sys.stderr)
    return EXIT_REFUSED


def cli_actor() -> str:
    """The audit actor of a command: the signed-in user, else `cli:` and the system user."""
    from app.commands.signin import signed_in_name

    name = signed_in_name()
    if name:
        return name
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except Exception:  # no user name in the environment
        return "cli"


# --- paths ----------------------------------------------------------------------------


def input_file(text: str, what: str = "文件") -> Path:
    """An existing regular file to read; BadPath otherwise (a folder is called a folder)."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise BadPath(f"“{path}”是文件夹，不是{what}。请给出{what}的路径。")
    if not path.exists():
        raise BadPath(f"{what}“{path}”不存在。")
    if not path.is_file():
        raise BadPath(f"“{path}”不是普通文件（可能是设备或管道），不能作为{what}。")
    return path


def output_file(text: str, what: str = "输出文件") -> Path:
    """A path a command may write: a new or regular file in an existing folder."""
    path = Path(text).expanduser()
    if text.endswith(("/", "\\")) or path.is_dir():
        raise BadPath(f"“{text}”是文件夹，请给出{what}的文件名（如 {Path(text) / '结果.xlsx'}）。")
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise BadPath(f"无法访问{what}“{path}”：{exc.strerror or exc}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise BadPath(f"“{path}”不是普通文件（可能是设备或管道），不能写入{what}。")
    parent = path.parent
    if not parent.is_dir():
        raise BadPath(f"{what}“{path}”所在的文件夹“{parent}”不存在，请先建好文件夹。")
    return path


# --- the parser -----------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from app.commands.parsing import ZhArgumentParser, install

    install()
    parser = ZhArgumentParser(
        prog="dualrandom",
        description="双随机一公开监管工作台。不带子命令时启动图形界面。",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"dualrandom {__version__}",
        help="显示版本号并退出",
    )
    _add_shared(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="子命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def merge_shared(args: argparse.Namespace) -> None:
    """A subcommand's own --db/--user/… win over the top-level ones."""
    for _flag, sub, top in _SHARED:
        value = getattr(args, sub, None)
        if value:
            setattr(args, top, value)
        elif not hasattr(args, top):
            setattr(args, top, None)


def main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    merge_shared(args)
    if args.command is None:
        from app.gui import run_gui

        return run_gui(args.db)
    from app.services.access import auth
    from app.services.common.errors import UserError

    try:
        return int(args.run(args) or 0)
    except UserError as exc:
        # Refused or a database fault: the message is for the user, not a traceback.
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        # A command's sign-in lasts as long as the command, also when run in-process.
        auth.sign_in(None)
