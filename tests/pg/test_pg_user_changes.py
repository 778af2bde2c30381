"""The insider with the application role's password and psql: changes to `users` show.

Every office PC holds the application role's password, so it can rewrite
`users` directly (raise a role, reactivate an account, put a known password
hash on a supervisor). It cannot be refused — the program changes users with
the same role — but revision 0018 journals every change as the owner, and
`dualrandom audit verify` reports those no audit entry of the program
describes. The application role can read the journal, never write it.
An administrator who has looked into a finding acknowledges it with
`dualrandom audit acknowledge`; verify then passes and lists it apart.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import cli
from app.domain.auth import Role
from app.models.db import Database, open_database
from app.services.access import auth
from app.services.access import users as user_admin
from app.services.access.user_changes import unrecorded_user_changes
from tests.pg_server import setup_server

ADMIN_PW = "Admin2026x"
PW = "Clerk2026x"


def _verify(app_url: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("DUALRANDOM_PASSWORD", ADMIN_PW)
    try:
        return cli.main(["audit", "verify", "--db", app_url, "--user", "admin"])
    finally:
        auth.sign_in(None)


def _direct(db: Database, sql: str, **params: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def _refused(db: Database, sql: str) -> str:
    with pytest.raises(DBAPIError) as caught, db.engine.begin() as conn:
        conn.execute(text(sql))
    return str(caught.value.orig)


@pytest.fixture
def app(server: tuple[str, str, str]) -> Iterator[Database]:
    """The program connected as the application role, with an admin and two clerks."""
    owner_url, role, app_url = server
    assert setup_server(owner_url, role) == 0
    db = open_database(app_url)
    admin = auth.create_first_admin(db, "admin", "管理员", ADMIN_PW)
    with auth.acting_as(admin):
        user_admin.create_user(db, "zhangsan", "张三", PW, {Role.PLANNER})
        uid = user_admin.create_user(db, "wangwu", "王五", PW, {Role.DRAW_OPERATOR})
        version = {u.id: u.version for u in user_admin.list_users(db)}[uid]
        user_admin.update_user(
            db,
            uid,
            version=version,
            display_name="王五",
            roles={Role.DRAW_OPERATOR},
            department_id=None,
            inspector_id=None,
            active=False,
        )
    yield db
    db.dispose()


def test_direct_changes_as_the_application_role_are_reported(
    server: tuple[str, str, str],
    app: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, role, app_url = server
    assert _verify(app_url, monkeypatch) == 0
    assert "审计日志完整" in capsys.readouterr().out

    # psql as the application role: a role raised, an account reactivated,
    # a supervisor's password replaced by one the insider knows.
    _direct(app, "UPDATE users SET roles = '[\"admin\"]' WHERE username = 'zhangsan'")
    _direct(app, "UPDATE users SET active = true WHERE username = 'wangwu'")
    known = auth.hash_password("Known2026x")
    _direct(app, "UPDATE users SET password_hash = :h WHERE username = 'admin'", h=known)
    _direct(app, "UPDATE users SET password_hash = :h WHERE username = 'admin'", h=known)

    monkeypatch.setenv("DUALRANDOM_PASSWORD", "Known2026x")
    assert cli.main(["audit", "verify", "--db", app_url, "--user", "admin"]) == 1
    auth.sign_in(None)
    out = capsys.readouterr().out
    lines = [line.strip() for line in out.splitlines() if "用户表在应用之外被修改" in line]
    assert len(lines) == 3, out  # the second, identical write changed nothing
    assert f"数据库角色 {role}" in lines[0]
    assert "用户 zhangsan，角色 planner→admin（审计日志中无对应记录）" in lines[0]
    assert "用户 wangwu，状态 停用→启用" in lines[1]
    assert "用户 admin，密码哈希被改写" in lines[2]

    # The application role reads the journal; it never holds a password hash.
    with app.engine.connect() as conn:
        dump = " ".join(
            f"{b} {a}"
            for b, a in conn.execute(text("SELECT before::text, after::text FROM user_changes"))
        )
        assert conn.scalar(text("SELECT count(DISTINCT db_role) FROM user_changes")) == 1
    assert "$argon2" not in dump and known not in dump


def test_the_application_role_cannot_touch_the_journal(
    server: tuple[str, str, str], app: Database
) -> None:
    owner_url = server[0]
    for sql in (
        "INSERT INTO user_changes (at, db_role, operation) VALUES (now(), 'x', 'update')",
        "UPDATE user_changes SET db_role = 'x'",
        "DELETE FROM user_changes",
        "TRUNCATE user_changes",
        "SELECT nextval(pg_get_serial_sequence('user_changes', 'id'))",
        "ALTER TABLE users DISABLE TRIGGER users_journal",
        "DROP TRIGGER users_journal ON users",
        "CREATE OR REPLACE FUNCTION dualrandom_journal_user_change() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
        "SET session_replication_role = replica",
        "TRUNCATE users CASCADE",
    ):
        message = _refused(app, sql)
        assert "permission denied" in message or "must be owner" in message, (sql, message)
    with app.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM user_changes")) == 4

    # The append-only triggers hold for the owner too.
    owner = open_database(owner_url)
    try:
        assert "只能追加" in _refused(owner, "UPDATE user_changes SET db_role = 'x'")
        assert "只能追加" in _refused(owner, "DELETE FROM user_changes")
        assert "只能追加" in _refused(owner, "TRUNCATE user_changes")
    finally:
        owner.dispose()


def test_recovery_with_the_owner_connection_verifies_clean(
    server: tuple[str, str, str], app: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The owner's own legitimate change (a recovery) is journaled under its role and matched."""
    owner_url, role, app_url = server
    argv = ["user", "reset-password", "admin", "--recovery", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("Recover2026x\n"))
    assert cli.main([*argv, "--db", app_url, "--admin-db", owner_url]) == 0
    with auth.acting_as(auth.SYSTEM):
        assert unrecorded_user_changes(app) == []
    with app.engine.connect() as conn:
        roles = conn.execute(
            text("SELECT db_role, after::text FROM user_changes WHERE username = 'admin'")
        ).all()
    assert [r for r, _ in roles][-1] != role  # the owner wrote it
    assert "password_hash" in roles[-1][1] and "must_change_password" in roles[-1][1]


def _acknowledge(app_url: str, change: str, reason: str) -> int:
    argv = ["audit", "acknowledge", "--change", change, "--reason", reason]
    try:
        return cli.main([*argv, "--db", app_url, "--user", "admin"])
    finally:
        auth.sign_in(None)


def test_a_finding_looked_into_is_acknowledged_and_verify_passes_again(
    server: tuple[str, str, str],
    app: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The IT person fixed an account with psql: verify fails until the admin acknowledges it."""
    app_url = server[2]
    _direct(app, "UPDATE users SET active = true WHERE username = 'wangwu'")
    assert _verify(app_url, monkeypatch) == 1
    out = capsys.readouterr().out
    [finding] = [line.strip() for line in out.splitlines() if "用户表在应用之外被修改" in line]
    found = re.match(r"［变更 (\d+)］用户表在应用之外被修改：", finding)
    assert found, finding
    change = found.group(1)

    assert _acknowledge(app_url, change, "  ") == 2
    assert "须写明理由" in capsys.readouterr().err
    assert _acknowledge(app_url, "999999", "查过了") == 2
    assert "没有这条用户表变更记录（变更 999999）" in capsys.readouterr().err
    assert _verify(app_url, monkeypatch) == 1
    capsys.readouterr()

    reason = "信息科张工用 psql 重新启用王五的账户，已核对属实"
    assert _acknowledge(app_url, change, reason) == 0
    out = capsys.readouterr().out
    assert f"［变更 {change}］已核实的用户表直接修改：" in out and f"理由 {reason}" in out
    assert _acknowledge(app_url, change, "再来一次") == 2
    assert f"变更 {change} 已由 admin 于" in capsys.readouterr().err

    assert _verify(app_url, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "审计日志完整" in out
    assert "另有 1 处用户表直接修改已由管理员核实（仅供查阅，不影响校验结果）" in out
    [note] = [line.strip() for line in out.splitlines() if "已核实的用户表直接修改" in line]
    assert note.startswith(f"［变更 {change}］已核实的用户表直接修改：")
    assert "用户 wangwu，状态 停用→启用；核实人 admin（" in note and note.endswith(reason)

    # A new direct change fails verify again; the acknowledged one is still listed.
    _direct(app, "UPDATE users SET roles = '[\"admin\"]' WHERE username = 'zhangsan'")
    assert _verify(app_url, monkeypatch) == 1
    out = capsys.readouterr().out
    assert "用户 zhangsan，角色 planner→admin（审计日志中无对应记录）" in out
    assert f"［变更 {change}］已核实的用户表直接修改" in out
