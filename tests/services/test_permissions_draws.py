"""Draws refused in the service layer, called directly as each kind of user.

The published joint task LC-LH-2026-001 belongs to 市场监管局 (lead), 应急局
and 卫生健康委; 商务局 takes no part. Only 组织随机抽取 in one of those
departments starts a draw or takes any step of it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from planning_data import joint_plan, joint_task, seed_registry
from sqlalchemy import func, select

from app.domain.auth import Role
from app.domain.ceremony import AttemptState
from app.models import Department
from app.models.db import Database
from app.models.draws import DrawAttempt
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.draws import bundle
from app.services.draws import ceremony as drawing
from app.services.draws.ceremony import DrawCeremony
from app.services.plans import planning

TASK = "LC-LH-2026-001"
NOT_OPERATORS = (Role.VIEWER, Role.PLANNER, Role.INSPECTOR, Role.PUBLISHER)
DIGITS = "0038194556"


@pytest.fixture
def depts(db: Database) -> dict[str, int]:
    seed_registry(db)
    with db.session() as s:
        s.add(Department(code="SWJ", name="商务局", sort_order=20))
    planning.create_plan(db, joint_plan())
    planning.save_task(db, "LC-LH-2026", joint_task())
    planning.file_plan(db, "LC-LH-2026", on=date(2026, 1, 10))
    planning.publish_plan(db, "LC-LH-2026")
    with db.session() as s:
        return dict(s.execute(select(Department.code, Department.id)).all())


def user(role: Role, code: str | None, depts: dict[str, int]) -> Principal:
    dept = depts[code] if code else None
    return Principal(None, f"{role}-{code}", "某人", frozenset({role}), dept, code)


def _attempts(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(DrawAttempt)) or 0)


@pytest.mark.parametrize("role", NOT_OPERATORS)
def test_roles_without_the_draw_permission_start_nothing(
    db: Database, depts: dict[str, int], role: Role
) -> None:
    with (
        acting_as(user(role, "SCJGJ", depts)),
        pytest.raises(PermissionDenied, match="组织随机抽取"),
    ):
        DrawCeremony.open(db, TASK, "某人")
    assert _attempts(db) == 0


@pytest.mark.parametrize("role", NOT_OPERATORS)
def test_no_step_of_an_open_draw_for_roles_without_the_permission(
    db: Database, depts: dict[str, int], role: Role
) -> None:
    ceremony = DrawCeremony.open(db, TASK, "操作员", workstation="PC-1")
    with acting_as(user(role, "SCJGJ", depts)):
        # Reopening it to look at it is allowed; changing it is not.
        seen = DrawCeremony.resume(db, TASK)
        assert seen is not None and seen.attempt_id == ceremony.attempt_id
        for step in (
            lambda: seen.add_witness("李建国", "市人大代表", DIGITS),
            seen.compute,
            lambda: seen.abort("误操作"),
        ):
            with pytest.raises(PermissionDenied, match="组织随机抽取"):
                step()
    info = ceremony.info()
    assert info.state is AttemptState.COMMITTED and info.witnesses == ()


def test_an_operator_of_another_department_is_refused(
    db: Database, depts: dict[str, int], tmp_path: Path
) -> None:
    outsider = user(Role.DRAW_OPERATOR, "SWJ", depts)
    with acting_as(outsider):
        assert drawing.list_tasks(db) == []
        with pytest.raises(PermissionDenied, match="其他部门"):
            DrawCeremony.open(db, TASK, "某人")
    ceremony = DrawCeremony.open(db, TASK, "操作员")
    ceremony.add_witness("李建国", "市人大代表", DIGITS)
    with acting_as(outsider):
        for step in (
            lambda: ceremony.add_witness("王芳", "", "123456789"),
            ceremony.compute,
            lambda: ceremony.abort("x"),
            lambda: DrawCeremony.resume(db, TASK),
        ):
            with pytest.raises(PermissionDenied, match="其他部门"):
                step()
    ceremony.compute()
    with acting_as(outsider), pytest.raises(PermissionDenied, match="其他部门"):
        bundle.write_bundle(db, TASK, tmp_path / "bundle.zip")
    assert not (tmp_path / "bundle.zip").exists()


def test_an_operator_of_a_participating_department_draws(
    db: Database, depts: dict[str, int], tmp_path: Path
) -> None:
    with acting_as(user(Role.DRAW_OPERATOR, "WJW", depts)):
        assert [t.code for t in drawing.list_tasks(db)] == [TASK]
        ceremony = DrawCeremony.open(db, TASK, "张三", workstation="PC-WJW")
        ceremony.add_witness("李建国", "市人大代表", DIGITS)
        computed = ceremony.compute()
    # Anyone of those departments may read and print the result of record.
    with acting_as(user(Role.VIEWER, "YJJ", depts)):
        assert bundle.write_bundle(db, TASK, tmp_path / "b.zip") == computed.result_hash
    assert ceremony.info().state is AttemptState.COMPUTED
