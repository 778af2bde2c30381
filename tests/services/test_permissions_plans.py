"""Plans and tasks refused in the service layer, called directly as each kind of user.

The joint plan LC-LH-2026 is led by 市场监管局 (SCJGJ) with 应急局 (YJJ) and
卫生健康委 (WJW) taking part; its joint task has all three, its single task
only SCJGJ. 商务局 (SWJ) takes no part in anything.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from planning_data import joint_plan, joint_task, seed_registry, single_task
from sqlalchemy import select

from app.domain.auth import Role
from app.domain.planning import PlanKind, PlanState
from app.models import Department
from app.models.db import Database
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.draws.manifest import build_task_manifest
from app.services.plans import planning
from app.services.plans.export import export_plan
from app.services.plans.values import PlanSpec

PLAN, JOINT, SINGLE = "LC-LH-2026", "LC-LH-2026-001", "LC-SCJGJ-2026-001"
ON_TIME = date(2026, 1, 20)
# Roles without 制定和调整抽查计划.
NOT_PLANNERS = (Role.VIEWER, Role.DRAW_OPERATOR, Role.INSPECTOR, Role.PUBLISHER)


@pytest.fixture
def depts(db: Database) -> dict[str, int]:
    seed_registry(db)
    with db.session() as s:
        s.add(Department(code="SWJ", name="商务局", sort_order=20))
    planning.create_plan(db, joint_plan())
    planning.save_task(db, PLAN, joint_task())
    planning.save_task(db, PLAN, single_task())
    with db.session() as s:
        return dict(s.execute(select(Department.code, Department.id)).all())


def user(role: Role, code: str | None, depts: dict[str, int]) -> Principal:
    names = {"SCJGJ": "市场监管局", "YJJ": "应急局", "WJW": "卫生健康委", "SWJ": "商务局"}
    dept = depts[code] if code else None
    return Principal(None, f"{role}-{code}", "某人", frozenset({role}), dept, names.get(code or ""))


def _refused(fn: object, match: str | None = None) -> None:
    with pytest.raises(PermissionDenied, match=match):
        fn()  # type: ignore[operator]


@pytest.mark.parametrize("role", NOT_PLANNERS)
def test_roles_without_the_plan_permission_change_nothing(
    db: Database, depts: dict[str, int], role: Role
) -> None:
    before = planning.get_plan(db, PLAN)
    own = replace(joint_plan(), title="改过的标题")
    with acting_as(user(role, "SCJGJ", depts)):
        for attempt in (
            lambda: planning.create_plan(db, joint_plan("LC-LH-2026B")),
            lambda: planning.update_plan(db, PLAN, own),
            lambda: planning.save_task(db, PLAN, joint_task("LC-LH-2026-009")),
            lambda: planning.save_task(db, PLAN, joint_task(title="改名"), original_code=JOINT),
            lambda: planning.delete_task(db, SINGLE),
            lambda: planning.file_plan(db, PLAN, ON_TIME),
        ):
            _refused(attempt, "制定和调整抽查计划")
        # … but they see their department's plan.
        assert planning.get_plan(db, PLAN).spec == before.spec
    assert planning.get_plan(db, PLAN) == before
    assert [p.code for p in planning.list_plans(db)] == [PLAN]


def test_a_participating_department_changes_only_its_own_tasks(
    db: Database, depts: dict[str, int]
) -> None:
    yj = user(Role.PLANNER, "YJJ", depts)
    with acting_as(yj):
        # The plan's own fields, filing and other departments' tasks are the lead's.
        _refused(
            lambda: planning.update_plan(db, PLAN, replace(joint_plan(), title="x")), "其他部门"
        )
        _refused(lambda: planning.file_plan(db, PLAN, ON_TIME), "其他部门")
        _refused(
            lambda: planning.save_task(db, PLAN, single_task(title="x"), original_code=SINGLE),
            "其他部门",
        )
        _refused(lambda: planning.delete_task(db, SINGLE), "其他部门")
        _refused(lambda: planning.save_task(db, PLAN, single_task("LC-SCJGJ-2026-002")))
        # Moving the joint task out of its own department is refused too.
        _refused(
            lambda: planning.save_task(db, PLAN, single_task(JOINT), original_code=JOINT),
            "其他部门",
        )
        # The joint task is theirs as well.
        planning.save_task(
            db, PLAN, joint_task(title="联合检查（应急局修改）"), original_code=JOINT
        )
        # They see the plan they take part in, and in it only their tasks.
        (row,) = planning.list_plans(db)
        assert [t.code for t in row.tasks] == [JOINT]
        assert [t.spec.code for t in planning.get_plan(db, PLAN).tasks] == [JOINT]
        _refused(lambda: planning.task_spec(db, SINGLE), "其他部门")
        assert planning.task_spec(db, JOINT).title == "联合检查（应急局修改）"
    # The lead department sees and changes every task of its plan.
    with acting_as(user(Role.PLANNER, "SCJGJ", depts)):
        assert len(planning.get_plan(db, PLAN).tasks) == 2
        planning.save_task(db, PLAN, single_task(title="广告专项"), original_code=SINGLE)
        planning.update_plan(db, PLAN, replace(joint_plan(), note="牵头部门的说明"))
        planning.file_plan(db, PLAN, ON_TIME)


def test_a_department_outside_the_plan_neither_sees_nor_changes_it(
    db: Database, depts: dict[str, int], tmp_path: Path
) -> None:
    sw = user(Role.PLANNER, "SWJ", depts)
    with acting_as(sw):
        assert planning.list_plans(db) == []
        for attempt in (
            lambda: planning.get_plan(db, PLAN),
            lambda: planning.list_versions(db, PLAN),
            lambda: planning.task_spec(db, JOINT),
            lambda: planning.save_task(db, PLAN, joint_task(title="x"), original_code=JOINT),
            lambda: planning.delete_task(db, JOINT),
            lambda: export_plan(db, PLAN, tmp_path / "plan.xlsx"),
            lambda: build_task_manifest(db, JOINT),
        ):
            _refused(attempt, "其他部门")
        # A plan of one's own department is one's own to make.
        own = PlanSpec(
            code="LC-SWJ-2026", year=2026, title="商务局计划", kind=PlanKind.DEPARTMENT,
            lead_department="SWJ",
        )  # fmt: skip
        planning.create_plan(db, own)
        _refused(
            lambda: planning.create_plan(db, replace(own, code="LC-X-2026", lead_department="YJJ"))
        )
        assert [p.code for p in planning.list_plans(db)] == ["LC-SWJ-2026"]
    assert not (tmp_path / "plan.xlsx").exists()


def test_publishing_needs_the_publish_permission_of_the_lead_department(
    db: Database, depts: dict[str, int]
) -> None:
    planning.file_plan(db, PLAN, ON_TIME)
    for refused in (
        user(Role.PLANNER, "SCJGJ", depts),
        user(Role.PUBLISHER, "YJJ", depts),
        user(Role.VIEWER, None, depts),
    ):
        with acting_as(refused):
            _refused(lambda: planning.publish_plan(db, PLAN))
    assert planning.get_plan(db, PLAN).state is PlanState.FILED
    with acting_as(user(Role.PUBLISHER, "SCJGJ", depts)):
        planning.publish_plan(db, PLAN)
    assert planning.get_plan(db, PLAN).state is PlanState.PUBLISHED


def test_task_states_move_only_with_the_matching_permission(
    db: Database, depts: dict[str, int]
) -> None:
    planning.file_plan(db, PLAN, ON_TIME)
    planning.publish_plan(db, PLAN)
    with acting_as(user(Role.PLANNER, "WJW", depts)):
        _refused(lambda: planning.set_task_state(db, JOINT, PlanState.DRAWN), "组织随机抽取")
    with acting_as(user(Role.DRAW_OPERATOR, "SWJ", depts)):
        _refused(lambda: planning.set_task_state(db, JOINT, PlanState.DRAWN), "其他部门")
    with acting_as(user(Role.DRAW_OPERATOR, "WJW", depts)):
        planning.set_task_state(db, JOINT, PlanState.DRAWN)
        _refused(lambda: planning.set_task_state(db, SINGLE, PlanState.DRAWN), "其他部门")
