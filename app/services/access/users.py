"""用户与角色 management (系统管理员 only) and the single-PC login setting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission, Role, parse_roles
from app.domain.errors import InvalidInput
from app.models import Department, Inspector, User
from app.models.db import Database
from app.services.access.auth import (
    SETTING_ALLOW_ANONYMOUS,
    PermissionDenied,
    check_new_password,
    check_username,
    count_active_admins,
    hash_password,
    is_sqlite,
    put_setting,
    require,
)
from app.services.common.concurrency import ensure_version, flush_or_explain


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    department_id: int | None
    department_name: str | None
    inspector_id: int | None
    roles: frozenset[Role]
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    version: int

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now(UTC))


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


def _info(user: User, departments: dict[int, str]) -> UserInfo:
    locked = user.locked_until
    if locked is not None and locked.tzinfo is None:
        locked = locked.replace(tzinfo=UTC)
    return UserInfo(
        user.id,
        user.username,
        user.display_name,
        user.department_id,
        departments.get(user.department_id) if user.department_id else None,
        user.inspector_id,
        parse_roles(user.roles or []),
        user.active,
        locked,
        user.must_change_password,
        user.version,
    )


def list_users(db: Database) -> list[UserInfo]:
    require(Permission.MANAGE_USERS)
    with db.session() as s:
        depts = {i: n for i, n in s.execute(select(Department.id, Department.name))}
        users = s.scalars(select(User).order_by(User.username)).all()
        return [_info(u, depts) for u in users]


def department_choices(db: Database) -> list[Choice]:
    with db.session() as s:
        rows = s.execute(select(Department.id, Department.name).order_by(Department.sort_order))
        return [Choice(i, n) for i, n in rows]


@dataclass(frozen=True)
class InspectorChoice:
    """An inspector a login may be tied to (检查人员 enter results of their own inspections)."""

    id: int
    label: str  # 姓名（执法证号，部门）
    department_id: int


def inspector_choices(db: Database) -> list[InspectorChoice]:
    require(Permission.MANAGE_USERS)
    with db.session() as s:
        rows = s.execute(
            select(Inspector.id, Inspector.name, Inspector.badge_no, Department.id, Department.name)
            .join(Department, Inspector.department_id == Department.id)
            .order_by(Department.sort_order, Department.code, Inspector.name, Inspector.id)
        )
        return [
            InspectorChoice(i, f"{name}（{badge}，{dept}）", dept_id)
            for i, name, badge, dept_id, dept in rows
        ]


def _role_codes(roles: Iterable[Role]) -> list[str]:
    order = list(Role)
    return [r.value for r in sorted(set(roles), key=order.index)]


def _check_refs(s: Session, department_id: int | None, inspector_id: int | None) -> None:
    if department_id is not None and s.get(Department, department_id) is None:
        raise InvalidInput(f"部门（编号 {department_id}）不存在。")
    if inspector_id is None:
        return
    person = s.get(Inspector, inspector_id)
    if person is None:
        raise InvalidInput(f"执法检查人员（编号 {inspector_id}）不存在。")
    if department_id is not None and person.department_id != department_id:
        raise InvalidInput(
            f"执法检查人员“{person.name}”（执法证号 {person.badge_no}）不属于所选部门，"
            "请选择其所在部门，或关联本部门的执法检查人员。"
        )


def create_user(
    db: Database,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[Role],
    department_id: int | None = None,
    inspector_id: int | None = None,
) -> int:
    """A new login; they must change the initial password at first login."""
    require(Permission.MANAGE_USERS)
    name = check_username(username)
    check_new_password(password, name)
    codes = _role_codes(roles)
    if not codes:
        raise InvalidInput("请至少选择一个角色。")
    with db.session() as s:
        if s.scalar(select(User.id).where(User.username == name)) is not None:
            raise InvalidInput(f"用户名“{name}”已被使用，请换一个。")
        _check_refs(s, department_id, inspector_id)
        user = User(
            username=name,
            display_name=display_name.strip() or name,
            department_id=department_id,
            inspector_id=inspector_id,
            roles=codes,
            password_hash=hash_password(password),
            must_change_password=True,
        )
        s.add(user)
        s.flush()
        return user.id


def _guard_last_admin(s: Session, user: User, roles: list[str], active: bool) -> None:
    was_admin = user.active and Role.ADMIN.value in (user.roles or [])
    stays_admin = active and Role.ADMIN.value in roles
    if was_admin and not stays_admin and count_active_admins(s) <= 1:
        raise PermissionDenied(
            f"“{user.username}”是唯一启用的系统管理员，不能停用或取消其管理员角色；请先指定另一名系统管理员。"
        )


def update_user(
    db: Database,
    user_id: int,
    *,
    version: int,
    display_name: str,
    roles: Iterable[Role],
    department_id: int | None,
    inspector_id: int | None,
    active: bool,
) -> None:
    """Save the user form; `version` is the one the form was loaded with."""
    require(Permission.MANAGE_USERS)
    codes = _role_codes(roles)
    if not codes:
        raise InvalidInput("请至少选择一个角色。")
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise InvalidInput(f"用户（编号 {user_id}）不存在，可能已被删除。")
        ensure_version(user, version)
        _check_refs(s, department_id, inspector_id)
        _guard_last_admin(s, user, codes, active)
        user.display_name = display_name.strip() or user.username
        user.roles = codes
        user.department_id = department_id
        user.inspector_id = inspector_id
        user.active = active
        flush_or_explain(s)


def reset_password(db: Database, user_id: int, new_password: str) -> None:
    """The administrator sets a new initial password (and lifts a lock-out)."""
    require(Permission.MANAGE_USERS)
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise InvalidInput(f"用户（编号 {user_id}）不存在。")
        check_new_password(new_password, user.username)
        user.password_hash = hash_password(new_password)
        user.must_change_password = True
        user.failed_attempts = 0
        user.locked_until = None
        flush_or_explain(s)


def unlock_user(db: Database, user_id: int) -> None:
    require(Permission.MANAGE_USERS)
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise InvalidInput(f"用户（编号 {user_id}）不存在。")
        user.failed_attempts = 0
        user.locked_until = None
        flush_or_explain(s)


def find_user_id(db: Database, username: str) -> int:
    with db.session() as s:
        uid = s.scalar(select(User.id).where(User.username == username.strip()))
    if uid is None:
        raise InvalidInput(f"用户“{username}”不存在。")
    return uid


def set_anonymous_allowed(db: Database, allowed: bool) -> None:
    """本机免登录: only for a SQLite database, and only while an administrator can log in."""
    require(Permission.MANAGE_SYSTEM)
    if allowed and not is_sqlite(db):
        raise PermissionDenied("共用的 PostgreSQL 数据库必须登录使用，不能设为免登录。")
    with db.session() as s:
        if not allowed and count_active_admins(s) == 0:
            raise PermissionDenied(
                "还没有启用的系统管理员账户：请先在“用户与权限”中创建一名系统管理员，再关闭免登录。"
            )
        put_setting(s, SETTING_ALLOW_ANONYMOUS, allowed)
