"""Issue 11.2: on a database with accounts every command signs in, as the desktop does.

Run on SQLite (login switched on) and on PostgreSQL (always login).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from app import cli
from app.domain.auth import Role
from app.models import AuditEntry, DrawAttempt, Target, User
from app.models.db import Database
from app.services.access import auth
from app.services.access import users as user_admin
from tests.draw_data import publish_task
from tests.registry_data import target_code
from tests.xlsx_files import target_rows, write_xlsx

ADMIN_PW = "Admin2026x"
PW = "Clerk2026x"


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    monkeypatch.delenv("DUALRANDOM_PASSWORD", raising=False)
    monkeypatch.delenv("DUALRANDOM_SUPERVISOR_PASSWORD", raising=False)


@pytest.fixture
def accounts(db: Database) -> Database:
    """An administrator, a viewer, a draw operator and a planner; login required."""
    auth.create_first_admin(db, "admin", "管理员", ADMIN_PW)
    for name, role in (
        ("viewer", Role.VIEWER),
        ("operator", Role.DRAW_OPERATOR),
        ("planner", Role.PLANNER),
    ):
        user_admin.create_user(db, name, f"{name}显示名", PW, {role})
    with db.session() as s:  # past their first login
        s.execute(update(User).values(must_change_password=False))
    if db.engine.dialect.name == "sqlite":
        user_admin.set_anonymous_allowed(db, False)
    return db


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        return cli.main(argv)
    finally:
        auth.sign_in(None)  # the process principal of the in-process command


def _password_hash(db: Database, name: str) -> str:
    with db.session() as s:
        return s.scalars(select(User.password_hash).where(User.username == name)).one()


def test_a_command_without_sign_in_is_refused(
    accounts: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    path = write_xlsx(tmp_path / "名录.xlsx", target_rows([target_code(1)]))
    code = _run(["import", "targets", str(path), "--db", accounts.url], monkeypatch)
    assert code == 2
    assert "须登录" in capsys.readouterr().err
    with accounts.session() as s:
        assert s.scalars(select(Target)).first() is None
    before = _password_hash(accounts, "admin")
    argv = ["user", "reset-password", "admin", "--password-stdin", "--db", accounts.url]
    assert _run(argv, monkeypatch, "Hijack2026x\n") == 2
    assert _password_hash(accounts, "admin") == before


def test_the_service_checks_apply_and_the_audit_names_the_user(
    accounts: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = _password_hash(accounts, "admin")
    # A viewer signs in but may not reset passwords: refused in the service.
    argv = ["--user", "viewer", "--password-stdin", "user", "reset-password", "admin"]
    argv += ["--password-stdin", "--db", accounts.url]
    assert _run(argv, monkeypatch, f"{PW}\nHijack2026x\n") == 2
    assert "没有“管理用户与角色”的权限" in capsys.readouterr().err
    assert _password_hash(accounts, "admin") == before
    # The administrator may; the log names them.
    argv[1], argv[5] = "admin", "viewer"
    viewer_before = _password_hash(accounts, "viewer")
    assert _run(argv, monkeypatch, f"{ADMIN_PW}\nNewPass2026x\n") == 0
    assert _password_hash(accounts, "viewer") != viewer_before
    with accounts.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "users", AuditEntry.action == "update")
        ).all()[-1]
    assert entry.actor == "admin"


def test_password_from_the_environment_and_import_audited_as_the_user(
    accounts: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUALRANDOM_PASSWORD", ADMIN_PW)
    path = write_xlsx(tmp_path / "名录.xlsx", target_rows([target_code(1), target_code(2)]))
    argv = ["import", "targets", str(path), "--db", accounts.url, "--user", "admin"]
    assert _run(argv, monkeypatch) == 0
    with accounts.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.actor == "admin"


def test_failed_sign_ins_are_audited_under_the_name_tried(
    accounts: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    argv = ["user", "list", "--db", accounts.url, "--user", "admin", "--password-stdin"]
    assert _run(argv, monkeypatch, "Xyzzy-one\n") == 2
    assert "登录失败" in capsys.readouterr().err
    argv[5] = "nobody"
    assert _run(argv, monkeypatch, "Xyzzy-two\n") == 2
    with accounts.session() as s:
        failed = s.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert [(e.actor, e.after["reason"]) for e in failed] == [
        ("admin", "wrong_password"),
        ("nobody", "unknown_user"),
    ]
    assert all("Xyzzy" not in str(e.after) for e in failed)  # never the password


def test_recovery_on_sqlite_is_for_whoever_can_write_the_file(
    accounts: Database, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    if accounts.engine.dialect.name != "sqlite":
        argv = ["user", "reset-password", "admin", "--recovery", "--password-stdin"]
        assert _run([*argv, "--db", accounts.url], monkeypatch, "Recover2026x\n") == 2
        assert "--admin-db" in capsys.readouterr().err
        return
    before = _password_hash(accounts, "admin")
    argv = ["user", "reset-password", "admin", "--recovery", "--password-stdin"]
    assert _run([*argv, "--db", accounts.url], monkeypatch, "Recover2026x\n") == 0
    out = capsys.readouterr().out
    assert "任何能写入数据库文件" in out and "审计日志" in out
    assert _password_hash(accounts, "admin") != before
    with accounts.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "recovery")).one()
    assert entry.actor.startswith("recovery:") and entry.after["username"] == "admin"


def test_a_redraw_supervisor_signs_in_with_their_own_password(
    accounts: Database, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    task = publish_task(accounts)
    base = ["draw", "--task", task, "--witness", "123456", "--witness-name", "甲"]
    base += ["--db", accounts.url, "--user", "operator", "--password-stdin"]
    assert _run(base, monkeypatch, f"{PW}\n") == 0
    redraw = [*base, "--redraw-reason", "见证人数字录错", "--supervisor", "planner"]
    redraw.append("--supervisor-password-stdin")
    # A typed name is not enough: the supervisor's password is asked and checked.
    assert _run(redraw, monkeypatch, f"{PW}\nnot-the-password\n") == 2
    assert "用户名或密码错误" in capsys.readouterr().err
    with accounts.session() as s:
        assert len(s.scalars(select(DrawAttempt)).all()) == 1
    assert _run(redraw, monkeypatch, f"{PW}\n{PW}\n") == 0
    out = capsys.readouterr().out
    assert "抽中检查对象" in out and "stratum" not in out and "targets:" not in out
    with accounts.session() as s:
        attempts = s.scalars(select(DrawAttempt).order_by(DrawAttempt.attempt_no)).all()
        assert attempts[-1].supervisor == "planner显示名（planner）"
        assert attempts[-1].operator == "operator显示名"
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "draw_attempts", AuditEntry.action == "insert")
            .order_by(AuditEntry.seq.desc())
        ).first()
    assert entry is not None and entry.actor == "operator"


def test_single_pc_database_without_accounts_runs_as_before(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    path = write_xlsx(tmp_path / "名录.xlsx", target_rows([target_code(1)]))
    assert _run(["import", "targets", str(path), "--db", db.url], monkeypatch) == 0
    assert _run(["user", "list", "--db", db.url], monkeypatch) == 0
    assert "没有用户账户" in capsys.readouterr().out
