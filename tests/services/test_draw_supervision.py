"""A second draw is confirmed by a supervisor who signs in with their own password."""

from __future__ import annotations

from datetime import date

import pytest
from planning_data import joint_plan, joint_task, seed_registry
from sqlalchemy import select

from app.domain.auth import Role
from app.models import Department
from app.models.db import Database
from app.services.access import users as user_admin
from app.services.access.auth import LoginError, PermissionDenied, acting_as, login
from app.services.draws.supervision import confirm_supervisor, supervisor_sign_in_required
from app.services.plans import planning

TASK = "LC-LH-2026-001"
PASSWORD = "Jd8#kq2Lm!"


@pytest.fixture
def users(db: Database) -> Database:
    """The published joint task (市场监管局 lead, 应急局, 卫健委) and four accounts."""
    seed_registry(db)
    with db.session() as s:
        s.add(Department(code="SWJ", name="商务局", sort_order=20))
    planning.create_plan(db, joint_plan())
    planning.save_task(db, "LC-LH-2026", joint_task())
    planning.file_plan(db, "LC-LH-2026", on=date(2026, 1, 10))
    planning.publish_plan(db, "LC-LH-2026")
    with db.session() as s:
        dept = dict(s.execute(select(Department.code, Department.id)).all())
    accounts = {
        "operator": ({Role.DRAW_OPERATOR}, "SCJGJ"),
        "planner": ({Role.PLANNER}, "SCJGJ"),
        "viewer": ({Role.VIEWER}, "SCJGJ"),
        "outsider": ({Role.PLANNER}, "SWJ"),
    }
    for name, (roles, code) in accounts.items():
        user_admin.create_user(db, name, f"{name}显示名", PASSWORD, roles, dept[code])
    return db


def test_without_accounts_a_typed_name_is_recorded(db: Database) -> None:
    assert supervisor_sign_in_required(db) is False


def test_a_planner_of_the_task_confirms(users: Database) -> None:
    assert supervisor_sign_in_required(users) is True
    with acting_as(login(users, "operator", PASSWORD)):
        name = confirm_supervisor(users, TASK, "planner", PASSWORD)
    assert name == "planner显示名（planner）"


def test_a_wrong_password_is_refused(users: Database) -> None:
    with (
        acting_as(login(users, "operator", PASSWORD)),
        pytest.raises(LoginError, match="密码错误"),
    ):
        confirm_supervisor(users, TASK, "planner", "not-the-password")


def test_the_operator_cannot_confirm_their_own_redraw(users: Database) -> None:
    with (
        acting_as(login(users, "planner", PASSWORD)),
        pytest.raises(PermissionDenied, match="不能是抽取操作员本人"),
    ):
        confirm_supervisor(users, TASK, "planner", PASSWORD)


@pytest.mark.parametrize(
    ("who", "why"), [("viewer", "不能确认重新抽取"), ("outsider", "不属于任务")]
)
def test_people_without_the_right_or_the_department_are_refused(
    users: Database, who: str, why: str
) -> None:
    with (
        acting_as(login(users, "operator", PASSWORD)),
        pytest.raises(PermissionDenied, match=why),
    ):
        confirm_supervisor(users, TASK, who, PASSWORD)
