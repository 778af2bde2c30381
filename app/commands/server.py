"""`dualrandom db setup-server --admin-db URL [--app-role NAME] [--app-password …]`.

Run by the administrator with the database owner's connection (see
app/services/system/server.py and docs/admin-guide.md); idempotent. Prints
the address the clients use. Exit status 2 when refused or the server
cannot be reached.
"""

from __future__ import annotations

import argparse
import os
import sys

ENV_APP_PASSWORD = "DUALRANDOM_APP_PASSWORD"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help="共用数据库服务器的管理")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True, title="操作")
    setup = db_sub.add_parser(
        "setup-server",
        help="以数据库所有者身份升级结构，并创建或更新各电脑使用的应用角色及其权限",
        description=(
            "以数据库所有者（--admin-db）的连接升级数据库结构，创建或更新应用角色，"
            "授予其日常使用所需的权限：审计日志与抽取记录只能读取和追加，不能修改、删除或清空；"
            "用户表变更记录只能读取；应用角色不能改动表结构。可重复运行；安装新版本后请再运行一次。"
        ),
    )
    setup.add_argument("--admin-db", metavar="URL", required=True, help="数据库所有者的连接地址")
    setup.add_argument(
        "--app-role",
        metavar="NAME",
        default="dualrandom_app",
        help="各电脑使用的应用角色（默认 dualrandom_app）",
    )
    setup.add_argument(
        "--app-password",
        metavar="TEXT",
        default=None,
        help=f"应用角色的密码（也可用环境变量 {ENV_APP_PASSWORD}，以免出现在命令历史中）；"
        "省略时不修改已有密码",
    )
    setup.set_defaults(run=run_setup_server)


def run_setup_server(args: argparse.Namespace) -> int:
    from app.models.db import DatabaseError
    from app.services.system.server import ServerSetupError, setup_server

    password = args.app_password or os.environ.get(ENV_APP_PASSWORD) or None
    try:
        report = setup_server(args.admin_db, args.app_role, password)
    except (ServerSetupError, DatabaseError) as exc:
        print(f"拒绝执行：{exc}", file=sys.stderr)
        return 2
    made = "已创建" if report.created else "已更新"
    print(f"数据库“{report.database}”结构已是最新（所有者：{report.owner}）。")
    print(
        f"{made}应用角色“{report.app_role}”及其权限：审计日志与抽取记录只能读取和追加，用户表变更记录只能读取。"
    )
    print(f"各电脑的数据库连接地址：{report.app_url}")
    return 0
