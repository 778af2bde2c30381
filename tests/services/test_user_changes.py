"""The user change journal (revision 0018) against the audit log, on both backends.

Changes made through the program's services leave no finding; on PostgreSQL a
change written straight into `users` (as the database connection the test
holds) is reported with its time, role, user and values. SQLite keeps no
journal. The application role's privileges are in tests/pg/test_pg_user_changes.py.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.domain.auth import Principal, Role
from app.models import User, UserChange
from app.models.db import Database
from app.models.users import BOOKKEEPING_COLUMNS, JOURNALED_COLUMNS
from app.services.access import auth
from app.services.access import users as user_admin
from app.services.access.audit import log_problems
from app.services.access.user_changes import unrecorded_user_changes

PW = "Clerk2026x"


def test_every_users_column_is_journaled_or_bookkeeping() -> None:
    """A new column of `users` must be put in one list or the other, and the trigger told."""
    columns = set(User.__table__.columns.keys())
    assert columns == set(JOURNALED_COLUMNS) | set(BOOKKEEPING_COLUMNS)
    path = Path("app/migrations/versions/0018_user_changes.py")
    spec = importlib.util.spec_from_file_location("rev0018", path)
    assert spec is not None and spec.loader is not None
    rev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rev)
    assert tuple(rev.COLUMNS) == JOURNALED_COLUMNS


def work_through_the_program(db: Database) -> dict[str, int]:
    """Everything the program does to users: create, edit, lock out, unlock, passwords."""
    admin = auth.create_first_admin(db, "admin", "管理员", "Admin2026x")
    with auth.acting_as(admin):
        ids = {
            name: user_admin.create_user(db, name, f"{name}显示名", PW, {role})
            for name, role in (("zhangsan", Role.PLANNER), ("lisi", Role.DRAW_OPERATOR))
        }
        info = {u.id: u for u in user_admin.list_users(db)}[ids["zhangsan"]]
        user_admin.update_user(
            db,
            ids["zhangsan"],
            version=info.version,
            display_name="张三",
            roles={Role.PLANNER, Role.VIEWER},
            department_id=None,
            inspector_id=None,
            active=True,
        )
        user_admin.reset_password(db, ids["lisi"], "Reset2026x")
    for _ in range(5):  # the fifth failure locks the account
        with pytest.raises(auth.LoginError):
            auth.login(db, "zhangsan", "wrong-password")
    with auth.acting_as(admin):
        user_admin.unlock_user(db, ids["zhangsan"])
    with pytest.raises(auth.LoginError):
        auth.login(db, "zhangsan", "wrong-password")
    lisi = auth.login(db, "lisi", "Reset2026x")
    with auth.acting_as(lisi):
        auth.change_password(db, "Reset2026x", "Changed2026x")
    with auth.acting_as(admin):
        info = {u.id: u for u in user_admin.list_users(db)}[ids["lisi"]]
        user_admin.update_user(
            db,
            ids["lisi"],
            version=info.version,
            display_name=info.display_name,
            roles={Role.DRAW_OPERATOR},
            department_id=None,
            inspector_id=None,
            active=False,
        )
    return ids


def test_changes_through_the_program_leave_no_finding(db: Database) -> None:
    work_through_the_program(db)
    with auth.acting_as(auth.SYSTEM):
        assert unrecorded_user_changes(db) == []
        assert log_problems(db) == []
    with db.session() as s:
        journal = s.scalars(select(UserChange).order_by(UserChange.id)).all()
        if db.engine.dialect.name == "sqlite":
            assert journal == []  # no journal where the file's writer owns everything
            return
        me = s.scalar(text("SELECT session_user"))
        assert {j.db_role for j in journal} == {me}
        ops = [
            (j.operation, j.username, sorted((j.after or j.before or {}).keys())) for j in journal
        ]
    assert ops[0][:2] == ("insert", "admin")
    assert ("update", "zhangsan", ["display_name", "roles"]) in ops
    assert ("update", "zhangsan", ["failed_attempts", "locked_until"]) in ops
    assert ("update", "lisi", ["active"]) in ops


def _direct(db: Database, sql: str, **params: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


@pytest.mark.pg
def test_changes_written_straight_into_users_are_reported(db: Database) -> None:
    ids = work_through_the_program(db)
    _direct(db, "UPDATE users SET roles = '[\"admin\"]' WHERE username = 'zhangsan'")
    _direct(db, "UPDATE users SET active = true WHERE username = 'lisi'")
    stolen = auth.hash_password("Known2026x")
    _direct(db, "UPDATE users SET password_hash = :h WHERE username = 'admin'", h=stolen)
    _direct(
        db,
        "INSERT INTO users (username, display_name, roles, password_hash, "
        "must_change_password, failed_attempts, active, version) "
        "VALUES ('ghost', '', '[\"admin\"]', :h, false, 0, true, 1)",
        h=stolen,
    )
    _direct(db, "UPDATE users SET display_name = '改过' WHERE username = 'lisi'")
    _direct(db, "DELETE FROM users WHERE username = 'ghost'")
    with db.engine.connect() as conn:
        me = conn.scalar(text("SELECT session_user"))
    with auth.acting_as(auth.SYSTEM):
        found = unrecorded_user_changes(db)
        texts = log_problems(db)
    assert [(f.operation, f.username) for f in found] == [
        ("update", "zhangsan"),
        ("update", "lisi"),
        ("update", "admin"),
        ("insert", "ghost"),
        ("update", "lisi"),
        ("delete", "ghost"),
    ]
    assert found[0].user_id == ids["zhangsan"]
    assert texts[0].startswith(f"［变更 {found[0].id}］用户表在应用之外被修改：")
    assert re.search(
        f"：\\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d，数据库角色 {me}（来自 [0-9.:a-f]+）?，"
        "用户 zhangsan，角色 planner、viewer→admin（审计日志中无对应记录）$",
        texts[0],
    ), texts[0]
    assert "状态 停用→启用" in texts[1]
    assert "密码哈希被改写" in texts[2]
    assert "新增该用户（角色 admin，状态 启用）" in texts[3]
    assert "姓名 lisi显示名→改过" in texts[4]
    assert "删除该用户" in texts[5]
    # The journal holds the fingerprint of the hash, never the hash.
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT before::text, after::text FROM user_changes")).all()
        current = conn.scalar(text("SELECT password_hash FROM users WHERE username = 'admin'"))
    dump = " ".join(f"{b} {a}" for b, a in raw)
    assert "$argon2" not in dump and current not in dump
    assert "sha256:" + hashlib.sha256(stolen.encode()).hexdigest() in dump


@pytest.mark.pg
def test_a_direct_change_cannot_hide_behind_the_same_change_by_the_program(db: Database) -> None:
    """One audit entry answers for one journal row: a second password write is reported."""
    ids = work_through_the_program(db)
    with auth.acting_as(auth.SYSTEM):
        user_admin.reset_password(db, ids["zhangsan"], "Again2026x")
    _direct(
        db,
        "UPDATE users SET password_hash = :h, must_change_password = true, "
        "failed_attempts = 0 WHERE username = 'zhangsan'",
        h=auth.hash_password("Known2026x"),
    )
    with auth.acting_as(auth.SYSTEM):
        found = unrecorded_user_changes(db)
    assert [(f.operation, f.username, sorted(f.after)) for f in found] == [
        ("update", "zhangsan", ["password_hash"])
    ]


@pytest.mark.pg
def test_an_entry_far_from_the_change_does_not_answer_for_it(db: Database) -> None:
    work_through_the_program(db)
    with auth.acting_as(auth.SYSTEM):
        assert unrecorded_user_changes(db) == []
    # The journal row of zhangsan's role change, moved two days away (as the owner could).
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(
            text(
                "UPDATE user_changes SET at = at - interval '2 days' "
                "WHERE username = 'zhangsan' AND operation = 'update' AND after::jsonb ? 'roles'"
            )
        )
    with auth.acting_as(auth.SYSTEM):
        found = unrecorded_user_changes(db)
    assert [(f.username, sorted(f.after)) for f in found] == [
        ("zhangsan", ["display_name", "roles"])
    ]
    assert found[0].at < datetime.now(UTC) - timedelta(hours=47)


def test_reading_the_journal_needs_the_audit_permission(db: Database) -> None:
    planner = Principal(None, "planner", "规划员", frozenset({Role.PLANNER}))
    with auth.acting_as(planner), pytest.raises(auth.PermissionDenied):
        unrecorded_user_changes(db)
    with auth.acting_as(planner), pytest.raises(auth.PermissionDenied):
        log_problems(db)
