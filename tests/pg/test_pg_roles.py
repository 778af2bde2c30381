"""Issue 11.3: on the shared server the application role cannot change what is on record.

`dualrandom db setup-server` run with the owner's (here: the superuser's)
connection creates an application role; connected as that role, the program
works (audit entries appended, a whole draw stored), but deleting, editing or
truncating an audit entry or a stored draw, and any DDL, fail.
"""

from __future__ import annotations

import io

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app import cli
from app.models import Department, DrawResult
from app.models.db import Database, open_database
from app.services.access import auth
from app.services.access.audit import check_chain
from app.services.draws.ceremony import DrawCeremony
from tests.draw_data import publish_task
from tests.pg_server import setup_server


def _setup(owner_url: str, role: str) -> int:
    return setup_server(owner_url, role)


def _refused(db: Database, sql: str) -> str:
    with pytest.raises(DBAPIError) as caught, db.engine.begin() as conn:
        conn.execute(text(sql))
    return str(caught.value.orig)


def test_the_application_role_appends_but_cannot_change_the_record(
    server: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    owner_url, role, app_url = server
    assert _setup(owner_url, role) == 0
    assert _setup(owner_url, role) == 0  # idempotent
    assert role in capsys.readouterr().out

    app = open_database(app_url)  # at head: opening runs no DDL
    try:
        # Normal work: ORM changes append audit entries; a whole draw is stored.
        task = publish_task(app)
        c = DrawCeremony.open(app, task, "张三")
        c.add_witness("李建国", "市人大代表", "0038194556")
        c.compute()
        with app.session() as s:
            s.add(Department(code="X1", name="新部门"))
        assert check_chain(app).ok

        for sql in (
            "UPDATE audit_log SET actor = 'nobody' WHERE seq = 2",
            "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
            "TRUNCATE audit_log",
            "UPDATE draw_results SET seed = repeat('0', 64)",
            "DELETE FROM draw_results",
            "DELETE FROM draw_witnesses",
            "UPDATE draw_witnesses SET digits = '999999'",
            "DELETE FROM draw_targets",
            "UPDATE draw_targets SET candidate_id = 'X'",
            "DELETE FROM draw_attempts",
            "UPDATE draw_attempts SET manifest_hash = repeat('0', 64)",
            "CREATE TABLE sneaky (id int)",
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            "DROP TRIGGER audit_log_append_only ON audit_log",
            "UPDATE alembic_version SET version_num = '0001'",
        ):
            message = _refused(app, sql)
            refusals = ("permission denied", "must be owner", "只能追加", "不能改动")
            assert any(r in message for r in refusals), (sql, message)
        assert check_chain(app).ok
        with app.session() as s:
            assert s.scalars(select(DrawResult)).one().seed != "0" * 64
    finally:
        app.dispose()

    # The triggers hold for the owner too, unless the owner switches them off on purpose.
    owner = open_database(owner_url)
    try:
        assert "只能追加" in _refused(owner, "DELETE FROM audit_log")
        assert "只能追加" in _refused(owner, "UPDATE draw_results SET seed = 'x'")
    finally:
        owner.dispose()


def test_recovery_needs_the_owner_not_the_application_connection(
    server: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    owner_url, role, app_url = server
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    assert _setup(owner_url, role) == 0
    app = open_database(app_url)
    auth.create_first_admin(app, "admin", "管理员", "Admin2026x")
    app.dispose()
    argv = ["user", "reset-password", "admin", "--recovery", "--password-stdin", "--db", app_url]
    monkeypatch.setattr("sys.stdin", io.StringIO("Recover2026x\n"))
    assert cli.main(argv) == 2
    assert "--admin-db" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("Recover2026x\n"))
    assert cli.main([*argv, "--admin-db", app_url]) == 2
    assert "不是数据库的所有者" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("Recover2026x\n"))
    assert cli.main([*argv, "--admin-db", owner_url]) == 0
    assert "数据库所有者" in capsys.readouterr().out
    app = open_database(app_url)
    try:
        assert auth.login(app, "admin", "Recover2026x").username == "admin"
    finally:
        app.dispose()
