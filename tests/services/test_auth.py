"""Login, lock-out, first administrator, permissions and department scope."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.domain.auth import Permission, Role
from app.models import AuditEntry, Department, User
from app.models.db import Database
from app.services.access import auth
from app.services.access import users as user_admin
from app.services.access.auth import LoginError, PermissionDenied, Principal, StartMode

PASSWORD = "Chouqu2026"


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    # Real argon2id, cheap parameters: the suite hashes many passwords.
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def _depts(db: Database) -> tuple[int, int]:
    with db.session() as s:
        a, b = Department(code="SJ", name="市场监管局"), Department(code="YJ", name="应急管理局")
        s.add_all([a, b])
        s.flush()
        return a.id, b.id


def _principal(*roles: Role, dept: int | None = None, inspector: int | None = None) -> Principal:
    return Principal(7, "u7", "某人", frozenset(roles), dept, "市场监管局", inspector)


def test_first_admin_then_login(db: Database) -> None:
    admin = auth.create_first_admin(db, " admin ", "李管理", PASSWORD)
    assert admin.username == "admin" and Role.ADMIN in admin.roles
    p = auth.login(db, "admin", PASSWORD)
    assert p.user_id == admin.user_id and p.may(Permission.MANAGE_USERS)
    with pytest.raises(PermissionDenied, match="已有用户"):
        auth.create_first_admin(db, "other", "", PASSWORD)
    with db.session() as s:
        logins = s.scalars(select(AuditEntry).where(AuditEntry.action == "login")).all()
        assert [(e.actor, e.after) for e in logins] == [("admin", {"username": "admin"})]


def test_weak_passwords_are_refused(db: Database) -> None:
    for bad, why in [("short1", "至少"), ("abcdefghij", "字母和数字"), ("admin", "至少")]:
        with pytest.raises(ValueError, match=why):
            auth.create_first_admin(db, "admin", "", bad)


def test_wrong_password_counts_down_then_locks(db: Database, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    auth.create_first_admin(db, "admin", "", PASSWORD)
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with pytest.raises(LoginError, match="还可再试 4 次"):
        auth.login(db, "admin", "wrong-pass-1", now=t0)
    for _ in range(3):
        with pytest.raises(LoginError, match="用户名或密码错误"):
            auth.login(db, "admin", "wrong-pass-1", now=t0)
    with pytest.raises(LoginError, match="已被锁定 15 分钟"):
        auth.login(db, "admin", "wrong-pass-1", now=t0)
    # Locked: even the right password is refused, without checking it.
    with pytest.raises(LoginError, match="已被锁定"):
        auth.login(db, "admin", PASSWORD, now=t0 + timedelta(minutes=14))
    assert auth.login(db, "admin", PASSWORD, now=t0 + timedelta(minutes=16)).username == "admin"
    assert "wrong-pass-1" not in caplog.text and PASSWORD not in caplog.text
    with db.session() as s:
        user = s.scalar(select(User))
        assert user.failed_attempts == 0 and user.locked_until is None
        actors = set(s.scalars(select(AuditEntry.actor)))
        assert "admin" in actors


def test_unknown_user_gets_the_same_message(db: Database) -> None:
    auth.create_first_admin(db, "admin", "", PASSWORD)
    with pytest.raises(LoginError) as unknown:
        auth.login(db, "nobody", PASSWORD)
    assert str(unknown.value) == "用户名或密码错误，请重新输入。"


def test_inactive_user_is_refused_and_admin_can_unlock(db: Database) -> None:
    auth.create_first_admin(db, "admin", "", PASSWORD)
    uid = user_admin.create_user(db, "zhang", "张三", PASSWORD, [Role.PLANNER])
    for _ in range(5):
        with pytest.raises(LoginError):
            auth.login(db, "zhang", "not-the-1")
    user_admin.unlock_user(db, uid)
    p = auth.login(db, "zhang", PASSWORD)
    assert p.must_change_password  # an initial password set by the administrator
    info = next(u for u in user_admin.list_users(db) if u.id == uid)
    user_admin.update_user(
        db,
        uid,
        version=info.version,
        display_name="张三",
        roles=[Role.PLANNER],
        department_id=None,
        inspector_id=None,
        active=False,
    )
    with pytest.raises(LoginError, match="已停用"):
        auth.login(db, "zhang", PASSWORD)


def test_change_password(db: Database) -> None:
    admin = auth.create_first_admin(db, "admin", "", PASSWORD)
    with auth.acting_as(admin):
        with pytest.raises(LoginError, match="原密码不正确"):
            auth.change_password(db, "nope-1234", "Newpass2026")
        auth.change_password(db, PASSWORD, "Newpass2026")
    assert auth.login(db, "admin", "Newpass2026").username == "admin"
    with pytest.raises(PermissionDenied):
        auth.change_password(db, "x", "Newpass2027")  # SYSTEM has no password


def test_permission_refusals_say_who_and_what() -> None:
    with auth.acting_as(_principal(Role.VIEWER)), pytest.raises(PermissionDenied) as exc:
        auth.require(Permission.MANAGE_PLANS)
    assert "只读/领导" in str(exc.value) and "制定和调整抽查计划" in str(exc.value)
    with auth.acting_as(_principal(Role.PLANNER)):
        assert auth.require(Permission.MANAGE_PLANS).username == "u7"


def test_department_scope_and_joint_tasks() -> None:
    planner = _principal(Role.PLANNER, dept=1)
    with auth.acting_as(planner):
        auth.require(Permission.MANAGE_PLANS, department_id=1)
        with pytest.raises(PermissionDenied, match="只能处理市场监管局"):
            auth.require(Permission.MANAGE_PLANS, department_id=2)
        # A joint task of departments 2 and 1 is visible to (and editable by) both.
        auth.require(Permission.MANAGE_PLANS, department_ids=[2, 1])
        assert auth.in_scope([2, 1]) and not auth.in_scope([2, 3])
        assert auth.visible_department_ids() == frozenset({1})
    assert auth.in_scope([5], _principal(Role.ADMIN, dept=1))
    assert auth.in_scope([5], _principal(Role.VIEWER))  # no department: city-wide
    assert auth.visible_department_ids(_principal(Role.VIEWER)) is None


def test_inspector_enters_only_own_results() -> None:
    with auth.acting_as(_principal(Role.INSPECTOR, dept=1, inspector=42)):
        auth.require(Permission.ENTER_RESULTS, department_id=1, inspector_ids=[41, 42])
        with pytest.raises(PermissionDenied, match="本人承担"):
            auth.require(Permission.ENTER_RESULTS, department_id=1, inspector_ids=[41])
    with auth.acting_as(_principal(Role.PLANNER, dept=1)):
        auth.require(Permission.ENTER_RESULTS, department_id=1, inspector_ids=[41])


def test_scope_clause_narrows_a_query(db: Database) -> None:
    _, b = _depts(db)
    with db.session() as s:
        q = select(Department.name).order_by(Department.id)
        with auth.acting_as(_principal(Role.PLANNER, dept=b)):
            assert s.scalars(q.where(auth.scope_clause(Department.id))).all() == ["应急管理局"]
        with auth.acting_as(_principal(Role.ADMIN, dept=b)):
            assert len(s.scalars(q.where(auth.scope_clause(Department.id))).all()) == 2


def test_services_refuse_unauthorised_callers(db: Database) -> None:
    auth.create_first_admin(db, "admin", "", PASSWORD)
    with auth.acting_as(_principal(Role.PLANNER, Role.PUBLISHER)):
        with pytest.raises(PermissionDenied):
            user_admin.create_user(db, "x", "", PASSWORD, [Role.ADMIN])
        with pytest.raises(PermissionDenied):
            user_admin.list_users(db)
        with pytest.raises(PermissionDenied):
            user_admin.set_anonymous_allowed(db, False)
    assert [u.username for u in user_admin.list_users(db)] == ["admin"]


def test_changes_name_the_acting_user(db: Database) -> None:
    with auth.acting_as(_principal(Role.ADMIN)):
        _depts(db)
    with db.session() as s:
        assert set(s.scalars(select(AuditEntry.actor))) == {"u7"}


def test_the_last_administrator_stays(db: Database) -> None:
    admin = auth.create_first_admin(db, "admin", "", PASSWORD)
    info = user_admin.list_users(db)[0]
    with pytest.raises(PermissionDenied, match="唯一启用的系统管理员"):
        user_admin.update_user(
            db,
            admin.user_id,
            version=info.version,
            display_name="",
            roles=[Role.VIEWER],
            department_id=None,
            inspector_id=None,
            active=True,
        )
    user_admin.create_user(db, "li", "李四", PASSWORD, [Role.ADMIN])
    user_admin.update_user(
        db,
        admin.user_id,
        version=info.version,
        display_name="",
        roles=[Role.VIEWER],
        department_id=None,
        inspector_id=None,
        active=True,
    )


def test_user_form_checks(db: Database) -> None:
    a, _ = _depts(db)
    with pytest.raises(ValueError, match="至少选择一个角色"):
        user_admin.create_user(db, "x", "", PASSWORD, [])
    with pytest.raises(ValueError, match="空格"):
        user_admin.create_user(db, "x y", "", PASSWORD, [Role.VIEWER])
    with pytest.raises(ValueError, match="不存在"):
        user_admin.create_user(db, "x", "", PASSWORD, [Role.VIEWER], department_id=999)
    uid = user_admin.create_user(db, "x", "小王", PASSWORD, [Role.VIEWER, Role.PLANNER], a)
    with pytest.raises(ValueError, match="已被使用"):
        user_admin.create_user(db, "x", "", PASSWORD, [Role.VIEWER])
    (info,) = user_admin.list_users(db)
    assert info.id == uid and info.department_name == "市场监管局"
    assert info.roles == {Role.PLANNER, Role.VIEWER}
    with db.session() as s:
        assert s.get(User, uid).roles == ["planner", "viewer"]


def test_start_mode(db: Database) -> None:
    if db.engine.dialect.name == "sqlite":
        # A fresh single-PC install opens without login …
        assert auth.start_mode(db) is StartMode.ANONYMOUS
        with pytest.raises(PermissionDenied, match="请先"):
            user_admin.set_anonymous_allowed(db, False)
        auth.create_first_admin(db, "admin", "", PASSWORD)
        assert auth.start_mode(db) is StartMode.ANONYMOUS
        # … until the administrator asks for a login.
        user_admin.set_anonymous_allowed(db, False)
        assert auth.start_mode(db) is StartMode.LOGIN
        user_admin.set_anonymous_allowed(db, True)
        assert auth.start_mode(db) is StartMode.ANONYMOUS
    else:
        # A shared server always asks; its first run creates the administrator.
        assert auth.start_mode(db) is StartMode.CREATE_ADMIN
        with pytest.raises(PermissionDenied, match="PostgreSQL"):
            user_admin.set_anonymous_allowed(db, True)
        auth.create_first_admin(db, "admin", "", PASSWORD)
        assert auth.start_mode(db) is StartMode.LOGIN


def test_sign_in_is_process_wide_and_names_the_actor(db: Database) -> None:
    import threading

    p = _principal(Role.PLANNER)
    auth.sign_in(p)
    seen: list[str] = []
    try:
        t = threading.Thread(target=lambda: seen.append(auth.current_principal().username))
        t.start()
        t.join()
        _depts(db)
    finally:
        auth.sign_in(None)
    assert seen == ["u7"]
    assert auth.current_principal() is auth.SYSTEM
    with db.session() as s:
        assert set(s.scalars(select(AuditEntry.actor))) == {"u7"}
