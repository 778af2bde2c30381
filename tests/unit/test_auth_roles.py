"""The role → permission table and the scope rule, without a database."""

from __future__ import annotations

import pytest

from app.domain.auth import (
    ROLE_LABELS,
    Permission,
    Role,
    department_in_scope,
    has_permission,
    parse_roles,
    password_problem,
    permissions_of,
    roles_text,
)

P = Permission


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN, set(Permission)),
        (
            Role.PLANNER,
            {P.VIEW, P.EDIT_REGISTRIES, P.MANAGE_PLANS, P.ENTER_ANY_RESULTS, P.ENTER_RESULTS},
        ),
        (Role.DRAW_OPERATOR, {P.VIEW, P.RUN_DRAWS}),
        (Role.INSPECTOR, {P.VIEW, P.ENTER_RESULTS}),
        (Role.PUBLISHER, {P.VIEW, P.PUBLISH}),
        (Role.VIEWER, {P.VIEW, P.VIEW_AUDIT}),
    ],
)
def test_each_role_may_do_exactly_this(role: Role, allowed: set[Permission]) -> None:
    assert permissions_of([role]) == allowed


def test_only_administrators_manage_users_and_the_system() -> None:
    for role in Role:
        assert has_permission([role], P.MANAGE_USERS) is (role is Role.ADMIN)
        assert has_permission([role], P.MANAGE_SYSTEM) is (role is Role.ADMIN)


def test_roles_combine() -> None:
    assert permissions_of([Role.DRAW_OPERATOR, Role.PUBLISHER]) == {P.VIEW, P.RUN_DRAWS, P.PUBLISH}
    assert permissions_of([]) == frozenset()


def test_labels_are_the_policy_names() -> None:
    assert [ROLE_LABELS[r] for r in Role] == [
        "系统管理员",
        "计划管理员",
        "抽取操作员",
        "检查人员",
        "审核/公示",
        "只读/领导",
    ]
    assert roles_text([Role.VIEWER, Role.ADMIN]) == "系统管理员、只读/领导"
    assert roles_text([]) == "（无角色）"


def test_unknown_stored_codes_grant_nothing() -> None:
    assert parse_roles(["planner", "superuser"]) == {Role.PLANNER}


def test_scope_rule() -> None:
    assert department_in_scope(1, False, [1])
    assert department_in_scope(1, False, [3, 1])  # joint task
    assert not department_in_scope(1, False, [2])
    assert not department_in_scope(1, False, [None])
    assert not department_in_scope(None, False, [1])
    assert department_in_scope(None, True, [])


def test_password_rules() -> None:
    assert password_problem("Abcdef12") is None
    assert "8" in (password_problem("Ab1") or "")
    assert password_problem("zhangsan1", "ZhangSan1") == "密码不能与用户名相同。"
    assert password_problem("12345678") is not None
    assert password_problem(" Abcdef12") is not None
