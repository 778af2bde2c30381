"""Roles and what each may do: a pure table, checked in the service layer.

A user holds one or more roles; a permission is granted when any of them has
it. The department scope (a department's users see and change only their
department's plans, tasks and results) is separate from the permission and
is applied by `app.services.access.auth.require` / `in_scope`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

# Lock-out: this many wrong passwords in a row lock the account for LOCK_MINUTES.
MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8


class Role(StrEnum):
    """Stored by value in users.roles."""

    ADMIN = "admin"
    PLANNER = "planner"
    DRAW_OPERATOR = "draw_operator"
    INSPECTOR = "inspector"
    PUBLISHER = "publisher"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "系统管理员",
    Role.PLANNER: "计划管理员",
    Role.DRAW_OPERATOR: "抽取操作员",
    Role.INSPECTOR: "检查人员",
    Role.PUBLISHER: "审核/公示",
    Role.VIEWER: "只读/领导",
}


class Permission(StrEnum):
    VIEW = "view"
    EDIT_REGISTRIES = "edit_registries"
    MANAGE_PLANS = "manage_plans"
    RUN_DRAWS = "run_draws"
    # Results of inspections the user is assigned to (检查人员).
    ENTER_RESULTS = "enter_results"
    # Results of any inspection in the user's scope, not only one's own.
    ENTER_ANY_RESULTS = "enter_any_results"
    PUBLISH = "publish"
    MANAGE_USERS = "manage_users"
    # Database connection, backups and restore, the single-PC login setting.
    MANAGE_SYSTEM = "manage_system"
    VIEW_AUDIT = "view_audit"

    @property
    def label(self) -> str:
        return PERMISSION_LABELS[self]


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW: "查看",
    Permission.EDIT_REGISTRIES: "维护事项清单与名录库",
    Permission.MANAGE_PLANS: "制定和调整抽查计划",
    Permission.RUN_DRAWS: "组织随机抽取",
    Permission.ENTER_RESULTS: "录入本人承担的检查结果",
    Permission.ENTER_ANY_RESULTS: "录入本部门全部检查结果",
    Permission.PUBLISH: "审核与公示",
    Permission.MANAGE_USERS: "管理用户与角色",
    Permission.MANAGE_SYSTEM: "管理数据库、备份与恢复",
    Permission.VIEW_AUDIT: "查看审计日志",
}

P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # The administrator may do everything: a small bureau has one person for it.
    Role.ADMIN: frozenset(Permission),
    Role.PLANNER: frozenset({P.VIEW, P.EDIT_REGISTRIES, P.MANAGE_PLANS, P.ENTER_ANY_RESULTS}),
    Role.DRAW_OPERATOR: frozenset({P.VIEW, P.RUN_DRAWS}),
    Role.INSPECTOR: frozenset({P.VIEW, P.ENTER_RESULTS}),
    Role.PUBLISHER: frozenset({P.VIEW, P.PUBLISH}),
    Role.VIEWER: frozenset({P.VIEW, P.VIEW_AUDIT}),
}
del P


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    # Whoever may enter any result may enter their own.
    if Permission.ENTER_ANY_RESULTS in granted:
        granted.add(Permission.ENTER_RESULTS)
    return frozenset(granted)


def has_permission(roles: Iterable[Role], permission: Permission) -> bool:
    return permission in permissions_of(roles)


def parse_roles(codes: Iterable[str]) -> frozenset[Role]:
    """Stored codes → roles; an unknown code (from a newer version) grants nothing."""
    known = {r.value for r in Role}
    return frozenset(Role(c) for c in codes if c in known)


def roles_text(roles: Iterable[Role]) -> str:
    order = list(Role)
    return "、".join(r.label for r in sorted(roles, key=order.index)) or "（无角色）"


def department_in_scope(
    own_department: int | None, unrestricted: bool, record_departments: Iterable[int | None]
) -> bool:
    """May a user of `own_department` see a record belonging to `record_departments`?

    A joint task lists every participating department: each of them sees it.
    A record with no department (None only, or no ids) is city-wide: only
    unrestricted users (no department, or administrators) see it.
    """
    if unrestricted:
        return True
    return own_department is not None and own_department in set(record_departments)


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。"
    if password.strip() != password:
        return "密码的开头和结尾不能是空格。"
    if username and password.lower() == username.lower():
        return "密码不能与用户名相同。"
    if password.isdigit() or password.isalpha():
        return "密码需同时包含字母和数字（或符号）。"
    return None


@dataclass(frozen=True)
class Principal:
    """Who acts: a user's roles and department, or the system itself."""

    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[Role]
    department_id: int | None = None
    department_name: str | None = None
    inspector_id: int | None = None
    must_change_password: bool = False
    permissions: frozenset[Permission] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "permissions", permissions_of(self.roles))

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def unrestricted(self) -> bool:
        """Sees every department: administrators and users tied to none."""
        return Role.ADMIN in self.roles or self.department_id is None

    @property
    def label(self) -> str:
        return f"{self.display_name or self.username}（{roles_text(self.roles)}）"


# The command line, scripts and migrations: whoever runs them holds the database already.
SYSTEM = Principal(None, "system", "系统", frozenset({Role.ADMIN}))
