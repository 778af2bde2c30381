"""Acknowledging a finding of the user change journal, and PCs whose clocks are wrong.

An administrator who has looked into a change made around the program
acknowledges it with a reason; the audit entry is the acknowledgement.
Verify stops failing on it but lists it. The pairing of journal rows with
audit entries tolerates a PC clock hours off without letting a direct change
hide behind a legitimate one. The command-line flow is in
tests/pg/test_pg_user_changes.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo

import pytest
from sqlalchemy import select, text

from app.domain.auth import Principal, Role
from app.domain.errors import InvalidInput
from app.models import auditing
from app.models.audit import AuditEntry
from app.models.db import Database
from app.services.access import auth
from app.services.access import users as user_admin
from app.services.access.audit import (
    AuditFilter,
    check_chain,
    list_entries,
    log_notes,
    log_problems,
)
from app.services.access.audit_text import describe_entries
from app.services.access.user_changes import (
    acknowledge_user_change,
    unrecorded_user_changes,
    user_change_report,
)

PW = "Clerk2026x"


@pytest.fixture
def admin(db: Database) -> Iterator[Principal]:
    principal = auth.create_first_admin(db, "admin", "管理员", "Admin2026x")
    with auth.acting_as(principal):
        user_admin.create_user(db, "zhangsan", "张三", PW, {Role.PLANNER})
        yield principal


def _direct(db: Database, sql: str, **params: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def _uid(db: Database, name: str) -> int:
    return {u.username: u.id for u in user_admin.list_users(db)}[name]


def test_a_reason_is_required(db: Database, admin: Principal) -> None:
    with pytest.raises(InvalidInput, match="须写明理由"):
        acknowledge_user_change(db, 1, "  \n ")


def test_a_row_that_does_not_exist_is_refused(db: Database, admin: Principal) -> None:
    # On SQLite there is no journal at all: nothing can be acknowledged.
    with pytest.raises(InvalidInput, match="没有这条用户表变更记录（变更 999999）"):
        acknowledge_user_change(db, 999999, "查过了")
    with db.session() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "acknowledge")) is None


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PLANNER])
def test_only_an_administrator_may_acknowledge(db: Database, admin: Principal, role: Role) -> None:
    clerk = Principal(None, "clerk", "办事员", frozenset({role}))
    with auth.acting_as(clerk), pytest.raises(auth.PermissionDenied, match="管理用户与角色"):
        acknowledge_user_change(db, 1, "查过了")


@pytest.mark.pg
def test_an_acknowledged_finding_no_longer_fails_but_is_listed(
    db: Database, admin: Principal
) -> None:
    _direct(db, "UPDATE users SET roles = '[\"admin\"]' WHERE username = 'zhangsan'")
    [row] = unrecorded_user_changes(db)
    [problem] = log_problems(db)
    assert problem.startswith(f"［变更 {row.id}］用户表在应用之外被修改：")
    assert log_notes(db) == []

    done = acknowledge_user_change(db, row.id, "信息科 李工 用 psql 临时提权排查故障，已改回")
    assert done.row.id == row.id and done.ack.actor == "admin"
    assert unrecorded_user_changes(db) == []
    assert log_problems(db) == []
    [note] = log_notes(db)
    assert note == str(done)
    assert re.fullmatch(
        f"［变更 {row.id}］已核实的用户表直接修改：\\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d，"
        ".*用户 zhangsan，角色 planner→admin；核实人 admin（\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d），"
        "理由 信息科 李工 用 psql 临时提权排查故障，已改回",
        note,
    ), note

    # The acknowledgement is an ordinary entry of the hash-chained log.
    assert check_chain(db).ok
    [entry] = [
        e for e in list_entries(db, AuditFilter(entity="user_changes")) if e.action == "acknowledge"
    ]
    assert (entry.actor, entry.entity, entry.entity_id) == ("admin", "user_changes", str(row.id))
    assert entry.after["reason"] == "信息科 李工 用 psql 临时提权排查故障，已改回"
    assert (
        entry.summary
        == f"核实用户表变更记录 {row.id}：信息科 李工 用 psql 临时提权排查故障，已改回"
    )
    with db.session() as s:
        assert describe_entries(s, [entry]) == [entry.summary]

    with pytest.raises(InvalidInput, match=f"变更 {row.id} 已由 admin 于 .* 核实"):
        acknowledge_user_change(db, row.id, "再核实一次")
    # A row the program wrote (zhangsan's creation) is no finding.
    with db.engine.connect() as conn:
        created = conn.scalar(text("SELECT min(id) FROM user_changes WHERE username = 'zhangsan'"))
    with pytest.raises(InvalidInput, match=f"变更 {created} 在审计日志中有对应记录"):
        acknowledge_user_change(db, created, "不需要")
    assert (
        len(
            [
                e
                for e in list_entries(db, AuditFilter(entity="user_changes"))
                if e.action == "acknowledge"
            ]
        )
        == 1
    )

    # A new direct change is a finding again, the acknowledged one stays listed.
    _direct(db, "UPDATE users SET active = false WHERE username = 'zhangsan'")
    report = user_change_report(db)
    assert [r.after for r in report.findings] == [{"active": False}]
    assert [a.row.id for a in report.acknowledged] == [row.id]


@pytest.mark.pg
def test_an_acknowledged_row_takes_no_entry_from_a_later_legitimate_change(
    db: Database, admin: Principal
) -> None:
    uid = _uid(db, "zhangsan")
    _direct(
        db,
        "UPDATE users SET password_hash = :h WHERE username = 'zhangsan'",
        h=auth.hash_password("Known2026x"),
    )
    [row] = unrecorded_user_changes(db)
    acknowledge_user_change(db, row.id, "管理员本人用 psql 重设，已当面确认")
    # The same kind of change through the program, minutes later: its own entry answers it.
    user_admin.reset_password(db, uid, "Again2026x")
    assert unrecorded_user_changes(db) == []
    assert log_problems(db) == []


class _PcClock(datetime):
    """The clerk's PC: its clock (or its time zone) `skew` off the server's."""

    skew = timedelta(0)

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _PcClock:
        at = datetime.now(tz) + cls.skew
        return cls.fromtimestamp(at.timestamp(), tz)


@pytest.fixture(params=[-8, 8], ids=["8h-slow", "8h-fast"])
def pc_off_by_hours(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> timedelta:
    skew = timedelta(hours=request.param)
    monkeypatch.setattr(_PcClock, "skew", skew)
    monkeypatch.setattr(auditing, "datetime", _PcClock)
    return skew


def _entry_and_row_gap(db: Database, uid: int) -> timedelta:
    with db.engine.connect() as conn:
        logged = conn.scalar(
            text(
                "SELECT max(at) FROM audit_log WHERE entity = 'users' AND entity_id = :u "
                "AND action = 'update'"
            ),
            {"u": str(uid)},
        )
        journaled = conn.scalar(
            text("SELECT max(at) FROM user_changes WHERE user_id = :u"), {"u": uid}
        )
    return logged.replace(tzinfo=logged.tzinfo or UTC) - journaled


@pytest.mark.pg
def test_a_change_from_a_pc_eight_hours_off_still_matches(
    db: Database, admin: Principal, pc_off_by_hours: timedelta
) -> None:
    uid = _uid(db, "zhangsan")
    version = {u.id: u.version for u in user_admin.list_users(db)}[uid]
    user_admin.update_user(
        db,
        uid,
        version=version,
        display_name="张三",
        roles={Role.PLANNER, Role.VIEWER},
        department_id=None,
        inspector_id=None,
        active=True,
    )
    user_admin.reset_password(db, uid, "Again2026x")
    gap = _entry_and_row_gap(db, uid)
    assert abs(gap - pc_off_by_hours) < timedelta(minutes=1), gap
    assert unrecorded_user_changes(db) == []
    assert log_problems(db) == []


@pytest.mark.pg
def test_a_direct_change_a_minute_after_the_same_legitimate_one_is_reported(
    db: Database, admin: Principal, pc_off_by_hours: timedelta
) -> None:
    """Two journal rows, one audit entry: exactly one finding, the direct change."""
    uid = _uid(db, "zhangsan")
    user_admin.reset_password(db, uid, "Again2026x")
    _direct(
        db,
        "UPDATE users SET password_hash = :h WHERE username = 'zhangsan'",
        h=auth.hash_password("Known2026x"),
    )
    # The insider's write came a minute after the legitimate one.
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        last = conn.scalar(text("SELECT max(id) FROM user_changes"))
        conn.execute(
            text("UPDATE user_changes SET at = at + interval '1 minute' WHERE id = :i"),
            {"i": last},
        )
    found = unrecorded_user_changes(db)
    assert [(f.id, f.username, sorted(f.after)) for f in found] == [
        (last, "zhangsan", ["password_hash"])
    ]
    assert len(log_problems(db)) == 1
