"""Inspections refused in the service layer, called directly as each kind of user.

The joint task LC-LH-2026-001 belongs to 市场监管局 (lead), 应急局 and 卫生健康委.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from inspection_data import TODAY, VISIT, department_ids, drawn_task, first_inspection
from sqlalchemy import select

from app.domain.auth import Role
from app.domain.results import FollowUp
from app.domain.workdays import DayKind
from app.models.db import Database
from app.models.inspections import Inspection, InspectionResult
from app.models.registry import Department, Inspector
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.inspections import entry, holidays, review, team, transfer
from app.services.inspections.common import DeadlineReference
from app.services.inspections.creation import create_from_draw


def who(role: Role, dept: int | None = None, inspector: int | None = None) -> Principal:
    return Principal(
        None, f"{role}-{dept}-{inspector}", "某人", frozenset({role}), dept, None, inspector
    )


@pytest.fixture
def task(db: Database) -> str:
    code = drawn_task(db)
    with db.session() as s:
        s.add(Department(code="SWJ", name="商务局", sort_order=20))
    return code


def _created(db: Database, task: str) -> tuple[int, list, dict[str, int]]:
    create_from_draw(db, task)
    iid, members = first_inspection(db)
    return iid, members, department_ids(db)


def _values(db: Database, iid: int) -> dict[str, entry.ResultInput]:
    with db.session() as s:
        rows = s.scalars(select(InspectionResult).where(InspectionResult.inspection_id == iid))
        return {
            s.get(Department, r.department_id).code: entry.ResultInput(
                r.item_id, "01", VISIT, "实地核查", FollowUp.NONE.value
            )
            for r in rows
        }


def test_creating_inspections_needs_draw_or_plan_rights_in_a_department_of_the_task(
    db: Database, task: str
) -> None:
    depts = department_ids(db)
    for p in (who(Role.VIEWER), who(Role.INSPECTOR), who(Role.PUBLISHER)):
        with acting_as(p), pytest.raises(PermissionDenied):
            create_from_draw(db, task)
    with acting_as(who(Role.DRAW_OPERATOR, depts["SWJ"])), pytest.raises(PermissionDenied):
        create_from_draw(db, task)
    with acting_as(who(Role.DRAW_OPERATOR, depts["YJJ"])):
        assert create_from_draw(db, task).created > 0
    with db.session() as s:
        assert s.scalars(select(Inspection)).first() is not None


def test_reassignment_needs_plan_rights(db: Database, task: str) -> None:
    iid, members, depts = _created(db, task)
    options = team.candidates(db, iid, 1, TODAY)
    for p in (who(Role.VIEWER), who(Role.INSPECTOR, depts["SCJGJ"], members[0].inspector_id)):
        with acting_as(p), pytest.raises(PermissionDenied):
            team.reassign(db, iid, 1, options[0].inspector_id, "因病", on=TODAY)
    with acting_as(who(Role.PLANNER, depts["SWJ"])), pytest.raises(PermissionDenied):
        team.reassign(db, iid, 1, options[0].inspector_id, "因病", on=TODAY)
    with acting_as(who(Role.PLANNER, depts["SCJGJ"])):
        team.reassign(db, iid, 1, options[0].inspector_id, "因病", on=TODAY)


def test_who_enters_which_item(db: Database, task: str) -> None:
    iid, members, depts = _created(db, task)
    values = _values(db, iid)
    scj = next(m for m in members if m.department_code == "SCJGJ")
    with db.session() as s:
        outsider = s.scalar(
            select(Inspector.id).where(Inspector.id.not_in([m.inspector_id for m in members]))
        )
    # Not a member of the team, or no linked inspector: refused (谁检查、谁录入).
    for p in (
        who(Role.INSPECTOR, depts["SCJGJ"], outsider),
        who(Role.INSPECTOR, depts["SCJGJ"]),
        who(Role.VIEWER),
        who(Role.PUBLISHER),
    ):
        with acting_as(p), pytest.raises(PermissionDenied):
            entry.enter_results(db, iid, [values["SCJGJ"]], today=TODAY)
    member = who(Role.INSPECTOR, depts["SCJGJ"], scj.inspector_id)
    with acting_as(member), pytest.raises(PermissionDenied, match="本部门"):
        entry.enter_results(db, iid, [values["WJW"]], today=TODAY)
    with acting_as(member):
        entry.enter_results(db, iid, [values["SCJGJ"]], today=TODAY)
    # A department's clerk enters their department's items of any inspection.
    with acting_as(who(Role.PLANNER, depts["YJJ"])), pytest.raises(PermissionDenied):
        entry.enter_results(db, iid, [values["WJW"]], today=TODAY)
    with acting_as(who(Role.PLANNER, depts["WJW"])):
        entry.enter_results(db, iid, [values["WJW"]], today=TODAY)
    with acting_as(who(Role.PLANNER, depts["YJJ"])):
        assert (
            entry.fill_no_problem(db, iid, inspected_on=VISIT, method="实地核查", today=TODAY) == 1
        )
    with db.session() as s:
        rows = s.scalars(
            select(InspectionResult).where(InspectionResult.inspection_id == iid)
        ).all()
        assert {r.entered_department_id for r in rows} == {r.department_id for r in rows}


def test_review_needs_publish_rights_and_is_never_by_a_team_member(db: Database, task: str) -> None:
    iid, members, depts = _created(db, task)
    entry.enter_results(db, iid, list(_values(db, iid).values()), today=TODAY)
    for p in (who(Role.VIEWER), who(Role.PLANNER, depts["SCJGJ"]), who(Role.INSPECTOR)):
        with acting_as(p), pytest.raises(PermissionDenied):
            review.approve(db, iid)
        with acting_as(p), pytest.raises(PermissionDenied):
            review.send_back(db, iid, "原因")
        with acting_as(p), pytest.raises(PermissionDenied):
            review.approve_all(db, task)
    with acting_as(who(Role.PUBLISHER, depts["SWJ"])), pytest.raises(PermissionDenied):
        review.approve(db, iid)
    on_team = who(Role.PUBLISHER, depts["SCJGJ"], members[0].inspector_id)
    with acting_as(on_team), pytest.raises(PermissionDenied, match="检查组成员"):
        review.approve(db, iid)
    with acting_as(who(Role.PUBLISHER, depts["SCJGJ"])):
        review.send_back(db, iid, "请补充检查方式")


def test_import_and_template_rights(db: Database, task: str, tmp_path: Path) -> None:
    _created(db, task)
    out = tmp_path / "r.xlsx"
    with acting_as(who(Role.VIEWER)):
        transfer.write_template(db, task, out)  # reading is open to viewers
    for p in (who(Role.VIEWER), who(Role.PUBLISHER)):
        with acting_as(p), pytest.raises(PermissionDenied):
            transfer.import_results(db, out, today=TODAY)


def test_holidays_and_the_deadline_rule_are_the_administrators(db: Database, task: str) -> None:
    _created(db, task)
    days = [holidays.DayEntry(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")]
    for p in (who(Role.PLANNER), who(Role.PUBLISHER), who(Role.VIEWER)):
        with acting_as(p), pytest.raises(PermissionDenied):
            holidays.save_year(db, 2027, days)
        with acting_as(p), pytest.raises(PermissionDenied):
            holidays.set_deadline_reference(db, DeadlineReference.INSPECTION_DATE)
    with acting_as(who(Role.ADMIN)):
        holidays.save_year(db, 2027, days)
        changed = holidays.set_deadline_reference(db, DeadlineReference.INSPECTION_DATE)
    assert changed > 0  # no inspection date yet: every due date waits for the visit
    with db.session() as s:
        assert all(i.due_date is None for i in s.scalars(select(Inspection)))
