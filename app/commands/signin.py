"""Signing in on the command line, as the desktop login does.

On a database with user accounts (the desktop would ask for a login), every
command that opens it signs in first: `--user NAME` and the password from a
no-echo prompt, `--password-stdin` (the first line of standard input) or the
environment variable DUALRANDOM_PASSWORD. The signed-in user is the process's
principal, so the services' permission checks and the audit log name them,
exactly as in the desktop. A wrong password counts towards the lock-out and
is audited under the name tried.

On a single-PC database without login, commands run as before (the
administrator's rights; the audit actor `cli:` + the system user name).
A redraw's supervisor signs in too (`--supervisor NAME`, then the
supervisor's password from a second prompt, `--supervisor-password-stdin`
or DUALRANDOM_SUPERVISOR_PASSWORD).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app.models.db import Database
from app.services.access.auth import PermissionDenied

ENV_PASSWORD = "DUALRANDOM_PASSWORD"
ENV_SUPERVISOR_PASSWORD = "DUALRANDOM_SUPERVISOR_PASSWORD"

HOW_TO_SIGN_IN = (
    "请用 --user 用户名 登录（密码在提示时输入，或用 --password-stdin 从标准输入读取，"
    f"或设置环境变量 {ENV_PASSWORD}）"
)


class SignInRefused(PermissionDenied):
    """A command that may not run: no sign-in, a wrong password, a locked account …"""


def _stdin_line(what: str) -> str:
    line = sys.stdin.readline()
    if not line:
        raise SignInRefused(f"标准输入中没有{what}（--password-stdin 须在第一行给出密码）。")
    return line.rstrip("\r\n")


def read_password(*, from_stdin: bool, env: str, prompt: str, what: str) -> str:
    """A password from standard input, the environment, or a no-echo prompt on a terminal."""
    if from_stdin:
        return _stdin_line(what)
    if env in os.environ:
        return os.environ[env]
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise SignInRefused(
        f"需要{what}，但没有终端可以输入：请用 --password-stdin 或环境变量 {env} 提供。"
    )


def signed_in_name() -> str | None:
    """The signed-in user's name, None when the command runs without login."""
    from app.services.access.auth import current_principal

    p = current_principal()
    return p.username if p.user_id is not None else None


def sign_in(db: Database, args: argparse.Namespace) -> None:
    """Sign in as `--user` where the database asks for it (or whenever --user is given)."""
    from app.services.access import auth

    user = (getattr(args, "user", None) or "").strip()
    if getattr(args, "recovery", False):
        return  # `user reset-password --recovery` decides for itself (app.commands.admin)
    mode = auth.start_mode(db)
    if not user:
        if mode is auth.StartMode.LOGIN:
            raise SignInRefused(
                f"数据库（{db.describe()}）已启用用户账户，命令须登录：{HOW_TO_SIGN_IN}。"
            )
        return
    password = read_password(
        from_stdin=bool(getattr(args, "password_stdin_signin", False)),
        env=ENV_PASSWORD,
        prompt=f"用户“{user}”的密码：",
        what=f"用户“{user}”的密码",
    )
    try:
        principal = auth.login(db, user, password)
    except auth.LoginError as exc:
        raise SignInRefused(f"登录失败：{exc}") from None
    if principal.must_change_password:
        raise SignInRefused(
            f"用户“{user}”须先修改初始密码：请在图形界面登录一次并修改密码，再使用命令行。"
        )
    auth.sign_in(principal)


def supervisor_password(args: argparse.Namespace, name: str) -> str:
    return read_password(
        from_stdin=bool(getattr(args, "supervisor_password_stdin", False)),
        env=ENV_SUPERVISOR_PASSWORD,
        prompt=f"监督人员“{name}”的密码：",
        what=f"监督人员“{name}”的密码",
    )
