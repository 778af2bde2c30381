"""Who is acting, what they may do, and logging in.

The one-liner every service calls before changing anything:

    auth.require(Permission.MANAGE_PLANS, department_id=plan.lead_department_id)
    auth.require(Permission.MANAGE_PLANS, department_ids=[d.id for d in task.departments])
    auth.require(Permission.ENTER_RESULTS, department_id=d, inspector_ids=team_ids)

It raises `PermissionDenied` (a Chinese message) when the current principal
lacks the permission or the record lies outside their department. Queries
narrow themselves with `scope_clause(Plan.lead_department_id, ...)`.

Who is acting comes from one context, app.domain.acting (re-exported here):
`acting_as` for a block (tests, the command line), over the desktop
session's `sign_in`, over `SYSTEM` for code without any login.
The command line signs in like the desktop wherever the database has
accounts (app.commands.signin) and runs as `SYSTEM` only on a single-PC
database without login.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

# Re-exported: services and views name these through auth.
from app.domain.acting import acting_as as acting_as
from app.domain.acting import current_principal as current_principal
from app.domain.acting import sign_in as sign_in
from app.domain.acting import signed_in as signed_in
from app.domain.auth import (
    LOCK_MINUTES,
    MAX_FAILED_ATTEMPTS,
    Role,
    department_in_scope,
    parse_roles,
    password_problem,
)
from app.domain.auth import SYSTEM as SYSTEM
from app.domain.auth import Permission as Permission
from app.domain.auth import Principal as Principal
from app.domain.errors import InvalidInput, UserError
from app.models import AppSetting, Department, User
from app.models.auditing import record
from app.models.db import Database

log = logging.getLogger(__name__)

SETTING_ALLOW_ANONYMOUS = "allow_anonymous_single_pc"

# argon2id with the library's defaults (RFC 9106 low-memory profile).
# Tests swap in a cheaper hasher through this name.
hasher = PasswordHasher()


class PermissionDenied(UserError):
    """An action refused in the service layer; str() is the message for the user."""


class LoginError(UserError):
    """A refused login; str() is the message for the user."""


def anonymous_principal() -> Principal:
    """A single-PC SQLite install without login: the administrator's rights."""
    try:
        who = getpass.getuser()
    except Exception:  # no user name in the environment
        who = "本机"
    return Principal(None, f"local:{who}"[:64], "本机用户（免登录）", frozenset({Role.ADMIN}))


# --- permission and scope -------------------------------------------------------------


def _departments(department_id: int | None, department_ids: Iterable[int] | None) -> list[int]:
    ids = list(department_ids or [])
    if department_id is not None:
        ids.append(department_id)
    return ids


def in_scope(department_ids: Iterable[int | None], principal: Principal | None = None) -> bool:
    """May the principal see a record of these departments (all of a joint task's)?"""
    p = principal or current_principal()
    return department_in_scope(p.department_id, p.unrestricted, department_ids)


def visible_department_ids(principal: Principal | None = None) -> frozenset[int] | None:
    """None: every department; otherwise the only department whose records are visible."""
    p = principal or current_principal()
    if p.unrestricted:
        return None
    return frozenset({p.department_id}) if p.department_id is not None else frozenset()


def scope_clause(*columns: Any, principal: Principal | None = None) -> ColumnElement[bool]:
    """WHERE clause: any of the department columns is the principal's department."""
    ids = visible_department_ids(principal)
    if ids is None:
        return true()
    if not ids or not columns:
        return false()
    return or_(*(col.in_(ids) for col in columns))


def require(
    permission: Permission,
    department_id: int | None = None,
    *,
    department_ids: Iterable[int] | None = None,
    inspector_ids: Iterable[int] | None = None,
) -> Principal:
    """Refuse unless the current principal may do `permission` here; return the principal."""
    p = current_principal()
    if not p.may(permission):
        raise PermissionDenied(
            f"“{p.label}”没有“{permission.label}”的权限，操作未执行。如需办理，请联系系统管理员分配角色。"
        )
    if (
        permission is Permission.ENTER_RESULTS
        and inspector_ids is not None
        and not p.may(Permission.ENTER_ANY_RESULTS)
        and (p.inspector_id is None or p.inspector_id not in set(inspector_ids))
    ):
        raise PermissionDenied(
            f"“{p.label}”只能录入本人承担的检查任务的结果，该检查不在本人名下，操作未执行。"
        )
    depts = _departments(department_id, department_ids)
    if depts and not in_scope(depts, p):
        own = p.department_name or "本部门"
        raise PermissionDenied(
            f"“{p.label}”只能处理{own}的计划、任务和结果，该记录属于其他部门，操作未执行。"
        )
    return p


# --- settings kept in the database ----------------------------------------------------


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    with db.session() as s:
        row = s.get(AppSetting, key)
        return default if row is None else row.value


def put_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(AppSetting, key)
    if row is None:
        session.add(AppSetting(key=key, value=value))
    elif row.value != value:
        row.value = value


def is_sqlite(db: Database) -> bool:
    return db.engine.dialect.name == "sqlite"


def anonymous_allowed(db: Database) -> bool:
    """Open without login: only SQLite, and only while the administrator allows it.

    A fresh SQLite install allows it, so the quick start opens straight to the
    main window; a server database always asks for a login.
    """
    return is_sqlite(db) and bool(get_setting(db, SETTING_ALLOW_ANONYMOUS, True))


class StartMode(StrEnum):
    ANONYMOUS = "anonymous"
    CREATE_ADMIN = "create_admin"
    LOGIN = "login"


def count_active_admins(session: Session) -> int:
    users = session.scalars(select(User).where(User.active.is_(True))).all()
    return sum(1 for u in users if Role.ADMIN.value in (u.roles or []))


def start_mode(db: Database) -> StartMode:
    if anonymous_allowed(db):
        return StartMode.ANONYMOUS
    with db.session() as s:
        if not s.scalar(select(func.count()).select_from(User)):
            return StartMode.CREATE_ADMIN
    return StartMode.LOGIN


# --- passwords and login --------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _aware(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def hash_password(password: str) -> str:
    return hasher.hash(password)


def check_new_password(password: str, username: str = "") -> None:
    problem = password_problem(password, username)
    if problem:
        raise InvalidInput(problem)


def check_username(username: str) -> str:
    name = username.strip()
    if not name:
        raise InvalidInput("请填写用户名。")
    if len(name) > 64 or any(c.isspace() for c in name):
        raise InvalidInput("用户名不能包含空格，且不超过 64 个字符。")
    return name


def principal_for(session: Session, user: User) -> Principal:
    dept = session.get(Department, user.department_id) if user.department_id else None
    return Principal(
        user.id,
        user.username,
        user.display_name,
        parse_roles(user.roles or []),
        user.department_id,
        dept.name if dept else None,
        user.inspector_id,
        user.must_change_password,
    )


def _verify(stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _lock_text(until: datetime) -> str:
    return until.astimezone().strftime("%H:%M")


def login(db: Database, username: str, password: str, *, now: datetime | None = None) -> Principal:
    """Check the password; count failures and lock the account after too many.

    Refusals raise LoginError. Every failed attempt — an unknown name, a
    disabled or locked account, a wrong password — is committed as a
    `login_failed` entry whose actor is the name tried (not `system`), before
    the error is raised. The password never reaches a log.
    """
    at = _now(now)
    name = username.strip()
    refusal: str | None = None
    why = ""
    with db.session() as s, acting_as(name or "unknown"):
        user = s.scalar(select(User).where(User.username == name)) if name else None
        locked_until = _aware(user.locked_until) if user is not None else None
        if user is None:
            # Same work as for a real user, so timing does not tell who exists.
            _verify(_dummy_hash(), password)
            refusal, why = "用户名或密码错误，请重新输入。", "unknown_user"
        elif not user.active:
            refusal, why = f"账户“{name}”已停用，请联系系统管理员。", "inactive"
        elif locked_until and locked_until > at:
            refusal, why = (
                f"账户“{name}”因连续 {MAX_FAILED_ATTEMPTS} 次密码错误已被锁定，"
                f"请于 {_lock_text(locked_until)} 后再试，或请系统管理员解锁。",
                "locked",
            )
        else:
            if locked_until:  # the lock has run out: start counting afresh
                user.locked_until = None
                user.failed_attempts = 0
            if not _verify(user.password_hash, password):
                refusal, why = _count_failure(user, name, at), "wrong_password"
            else:
                if user.failed_attempts:
                    user.failed_attempts = 0
                if hasher.check_needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
                record(s, "login", "users", user.id, None, {"username": name})
                principal = principal_for(s, user)
        if refusal:
            log.warning("failed login for %r (%s)", name, why)
            record(
                s,
                "login_failed",
                "users",
                user.id if user is not None else None,
                None,
                {"username": name[:64], "reason": why},
            )
    if refusal:
        raise LoginError(refusal)
    log.info("user %r logged in", name)
    return principal


def _count_failure(user: User, name: str, at: datetime) -> str:
    user.failed_attempts = (user.failed_attempts or 0) + 1
    left = MAX_FAILED_ATTEMPTS - user.failed_attempts
    if left > 0:
        return f"用户名或密码错误，还可再试 {left} 次，之后账户将被锁定 {LOCK_MINUTES} 分钟。"
    until = at + timedelta(minutes=LOCK_MINUTES)
    user.locked_until = until
    user.failed_attempts = 0
    return (
        f"密码错误。账户“{name}”因连续 {MAX_FAILED_ATTEMPTS} 次密码错误已被锁定 "
        f"{LOCK_MINUTES} 分钟，请于 {_lock_text(until)} 后再试，或请系统管理员解锁。"
    )


@cache
def _dummy_hash() -> str:
    return hasher.hash("not a password")


def create_first_admin(db: Database, username: str, display_name: str, password: str) -> Principal:
    """First run: the first account, an administrator. Refused once any user exists."""
    name = check_username(username)
    check_new_password(password, name)
    with db.session() as s, acting_as(name):
        if s.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied(
                "系统中已有用户，不能再创建首个管理员；请由系统管理员在“系统设置”中添加用户。"
            )
        user = User(
            username=name,
            display_name=display_name.strip() or name,
            roles=[Role.ADMIN.value],
            password_hash=hash_password(password),
        )
        s.add(user)
        s.flush()
        return principal_for(s, user)


def change_password(db: Database, old_password: str, new_password: str) -> None:
    """The signed-in user changes their own password."""
    p = current_principal()
    if p.user_id is None:
        raise PermissionDenied("当前为免登录或系统身份，没有可修改的密码。")
    check_new_password(new_password, p.username)
    with db.session() as s:
        user = s.get(User, p.user_id)
        if user is None or not _verify(user.password_hash, old_password):
            raise LoginError("原密码不正确，密码未修改。")
        if _verify(user.password_hash, new_password):
            raise InvalidInput("新密码不能与原密码相同。")
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
