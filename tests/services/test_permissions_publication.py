"""Publication refused in the service layer, called directly as each kind of user.

The joint task belongs to 市场监管局 (lead), 应急局 and 卫生健康委: each publishes its own results.
"""

from __future__ import annotations

from datetime import date

import pytest
from inspection_data import department_ids
from publication_data import PUBLISHED_ON, approved_task
from sqlalchemy import select

from app.domain.auth import Role
from app.domain.results import CaseSource, ResultState
from app.models.db import Database
from app.models.inspections import InspectionResult
from app.models.registry import Department
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.inspections.cases import CaseInput, add_case
from app.services.publication import exemptions, follow_ups
from app.services.publication.records import PublicationError
from app.services.publication.results import (
    ResultCorrection,
    correct_results,
    publish_results,
)


def who(role: Role, dept: int | None = None) -> Principal:
    return Principal(None, f"{role}-{dept}", "某人", frozenset({role}), dept, None, None)


@pytest.fixture
def task(db: Database) -> str:
    code = approved_task(db)
    with db.session() as s:
        s.add(Department(code="SWJ", name="商务局", sort_order=20))
    return code


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.PLANNER, Role.DRAW_OPERATOR, Role.VIEWER])
def test_only_publishers_publish(db: Database, task: str, role: Role) -> None:
    depts = department_ids(db)
    with acting_as(who(role, depts["SCJGJ"])), pytest.raises(PermissionDenied, match="审核与公示"):
        publish_results(db, task, published_on=PUBLISHED_ON)


def test_a_department_publishes_its_own_results_only(db: Database, task: str) -> None:
    depts = department_ids(db)
    with acting_as(who(Role.PUBLISHER, depts["SWJ"])), pytest.raises(PermissionDenied):
        publish_results(db, task, published_on=PUBLISHED_ON)
    with acting_as(who(Role.PUBLISHER, depts["YJJ"])):
        with pytest.raises(PermissionDenied):
            publish_results(db, task, department_code="WJW", published_on=PUBLISHED_ON)
        out = publish_results(db, task, published_on=PUBLISHED_ON)
    assert out.created
    with db.session() as s:
        rows = list(s.execute(select(InspectionResult.department_id, InspectionResult.state)))
    published = {d for d, state in rows if state == ResultState.PUBLISHED.value}
    assert published == {depts["YJJ"]}
    assert {state for d, state in rows if d != depts["YJJ"]} == {ResultState.APPROVED.value}
    # 卫生健康委 publishes its own part separately: a second record, not a version of the first.
    with acting_as(who(Role.PUBLISHER, depts["WJW"])):
        other = publish_results(db, task, published_on=PUBLISHED_ON)
    assert other.created and other.publication_id != out.publication_id


def test_corrections_need_the_department_publisher(db: Database, task: str) -> None:
    depts = department_ids(db)
    publish_results(db, task, published_on=PUBLISHED_ON)
    with db.session() as s:
        r = s.scalar(select(InspectionResult).where(InspectionResult.category_code == "02"))
        assert r is not None
        fix = ResultCorrection(r.inspection.target.uscc, r.item.code, "01")
    with acting_as(who(Role.PLANNER, depts["SCJGJ"])), pytest.raises(PermissionDenied):
        correct_results(db, task, "录错", [fix])
    with acting_as(who(Role.PUBLISHER, depts["YJJ"])), pytest.raises(PublicationError):
        # 应急局 has published nothing of its own: nothing to correct.
        correct_results(db, task, "录错", [fix])


def test_closing_a_follow_up_is_the_responsible_departments_business(
    db: Database, task: str
) -> None:
    depts = department_ids(db)
    follow_ups.sync(db)
    row = follow_ups.list_follow_ups(db, date(2026, 6, 1))[0]
    for p in (who(Role.PUBLISHER, depts["YJJ"]), who(Role.INSPECTOR, depts["SCJGJ"])):
        with acting_as(p), pytest.raises(PermissionDenied):
            follow_ups.close_follow_up(
                db, row.follow_up_id, closed_on=date(2026, 6, 1), outcome="改"
            )
    with acting_as(who(Role.VIEWER, depts["YJJ"])):
        assert follow_ups.list_follow_ups(db, date(2026, 6, 1)) == []
    with acting_as(who(Role.PUBLISHER, depts["SCJGJ"])):
        follow_ups.close_follow_up(db, row.follow_up_id, closed_on=date(2026, 6, 1), outcome="改")


def test_exemptions_and_cases_are_refused_without_rights(db: Database, task: str) -> None:
    depts = department_ids(db)
    with acting_as(who(Role.INSPECTOR, depts["SCJGJ"])), pytest.raises(PermissionDenied):
        exemptions.add_exemption(db, "SCJG-01", "未按期公示年度报告")
    with acting_as(who(Role.PLANNER, depts["YJJ"])), pytest.raises(PermissionDenied):
        exemptions.add_exemption(db, "SCJG-01", "未按期公示年度报告")
    case = CaseInput(
        CaseSource.COMPLAINT,
        "TS-1",
        ["X"],
        ["SCJG-01"],
        ["1", "2"],
        date(2026, 5, 1),
        date(2026, 5, 2),
        "SCJGJ",
    )
    with acting_as(who(Role.INSPECTOR, depts["SCJGJ"])), pytest.raises(PermissionDenied):
        add_case(db, case)
    with acting_as(who(Role.PLANNER, depts["YJJ"])), pytest.raises(PermissionDenied):
        add_case(db, case)
