"""Inspections from a draw, team changes, result entry and review, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from inspection_data import TODAY, VISIT, first_inspection, inspected_task
from sqlalchemy import func, select

from app.domain.planning import PlanState
from app.domain.results import FollowUp, ResultState
from app.models.db import Database
from app.models.draws import DrawResult
from app.models.inspections import Inspection, InspectionMember, InspectionResult, InspectionReview
from app.models.plans import SamplingTask
from app.models.registry import Inspector, Target
from app.services.access.auth import PermissionDenied
from app.services.inspections import entry, review, team
from app.services.inspections.common import InspectionError
from app.services.inspections.creation import create_from_draw

ON_SITE = "实地核查"


@pytest.fixture
def task(db: Database) -> str:
    return inspected_task(db)


def _results(db: Database, iid: int) -> list[InspectionResult]:
    with db.session() as s:
        rows = list(
            s.scalars(select(InspectionResult).where(InspectionResult.inspection_id == iid))
        )
        s.expunge_all()
        return rows


def _all_entries(db: Database, iid: int, code: str = "01") -> list[entry.ResultInput]:
    return [
        entry.ResultInput(r.item_id, code, VISIT, ON_SITE, FollowUp.NONE.value)
        for r in _results(db, iid)
    ]


def test_one_inspection_per_drawn_target_covering_every_item(db: Database, task: str) -> None:
    with db.session() as s:
        stored = s.scalar(select(DrawResult.result))
        result = json.loads(stored)
        inspections = list(s.scalars(select(Inspection).order_by(Inspection.draw_rank)))
        assert len(inspections) == len(result["targets"])
        for ins, drawn in zip(
            inspections, sorted(result["targets"], key=lambda t: t["rank"]), strict=True
        ):
            assert ins.target.uscc == drawn["id"]
            assert len(ins.results) == 3  # the joint task's three items, one visit
            assert {r.state for r in ins.results} == {ResultState.NOT_ENTERED.value}
            badges = [m.inspector.badge_no for m in ins.team]
            assert len(badges) == len(result["teams"][drawn["id"]]) == 3
            # 2026-06-30 (task end) + 20 working days, counted by hand: 2026-07-28.
            assert ins.due_date == date(2026, 7, 28) and not ins.due_date_estimated
        assert s.scalar(select(SamplingTask.state)) is PlanState.INSPECTING
    # Running it again creates nothing.
    again = create_from_draw(db, task)
    assert again.created == 0 and again.existing == len(result["targets"])


def test_reassignment_needs_a_reason_and_an_eligible_inspector(db: Database, task: str) -> None:
    iid, members = first_inspection(db)
    lead = members[0]
    with db.session() as s:
        stored_before = s.scalar(select(DrawResult.result))
        ids = dict(s.execute(select(Inspector.name, Inspector.id)).all())
    options = {c.name for c in team.candidates(db, iid, 1, TODAY)}
    assert options and lead.name not in options
    assert not options & {"赵敏", "刘洋", "孙伟"}  # expired badge, retired, other department
    new = sorted(options)[0]
    with pytest.raises(InspectionError, match="原因"):
        team.reassign(db, iid, 1, ids[new], "  ", on=TODAY)
    with pytest.raises(InspectionError, match="不符合"):
        team.reassign(db, iid, 1, ids["赵敏"], "因病", on=TODAY)
    team.reassign(db, iid, 1, ids[new], "因病住院", on=TODAY)
    with db.session() as s:
        ins = s.get(Inspection, iid)
        assert ins.team[0].inspector.name == new
        history = s.scalars(
            select(InspectionMember).where(InspectionMember.inspection_id == iid)
        ).all()
        assert len(history) == 4
        ended = next(m for m in history if m.ended_at is not None)
        added = next(m for m in history if m.replaces_id == ended.id)
        assert ended.inspector.name == lead.name and added.reason == "因病住院"
        # The draw's stored result never changes.
        assert s.scalar(select(DrawResult.result)) == stored_before


def test_recused_inspector_is_not_offered(db: Database, task: str) -> None:
    iid, _members = first_inspection(db)
    with db.session() as s:
        ins = s.get(Inspection, iid)
        recused = s.scalar(select(Inspector).where(Inspector.name == "李娜"))
        from app.models.registry import Recusal

        s.add(
            Recusal(
                inspector_id=recused.id, target_id=ins.target_id, reason="亲属", recorded_on=TODAY
            )
        )
    assert "李娜" not in {c.name for c in team.candidates(db, iid, 1, TODAY)}


def test_entry_review_return_and_approve(db: Database, task: str) -> None:
    iid, _ = first_inspection(db)
    values = _all_entries(db, iid)
    with pytest.raises(review.InspectionError, match="未录入"):
        review.approve(db, iid, reviewer="审核员")
    entry.enter_results(db, iid, values[:2], today=TODAY)
    with db.session() as s:
        ins = s.get(Inspection, iid)
        assert ins.state == ResultState.NOT_ENTERED.value
        assert ins.inspected_on == VISIT
        assert ins.target.last_inspected_on == VISIT
    entry.enter_results(db, iid, values[2:], today=TODAY)
    with db.session() as s:
        assert s.get(Inspection, iid).state == ResultState.PENDING_REVIEW.value
    review.send_back(db, iid, "检查日期与记录表不一致", reviewer="审核员")
    rows = _results(db, iid)
    assert {r.state for r in rows} == {ResultState.RETURNED.value}
    assert {r.review_reason for r in rows} == {"检查日期与记录表不一致"}
    entry.enter_results(db, iid, values, today=TODAY)
    review.approve(db, iid, reviewer="审核员")
    with db.session() as s:
        assert s.get(Inspection, iid).state == ResultState.APPROVED.value
        log = s.scalars(select(InspectionReview.action).order_by(InspectionReview.id)).all()
        assert log == ["return", "approve"]
    with pytest.raises(InspectionError, match="审核通过"):
        entry.enter_results(db, iid, values[:1], today=TODAY)


def test_joint_entry_records_the_department_of_each_item(db: Database, task: str) -> None:
    iid, members = first_inspection(db)
    by_dept = {m.department_id: m for m in members}
    entry.enter_results(db, iid, _all_entries(db, iid), today=TODAY)
    for r in _results(db, iid):
        assert r.entered_department_id == r.department_id
        assert r.entered_by_inspector_id == by_dept[r.department_id].inspector_id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category_code": "99"}, "结果类型"),
        ({"inspected_on": date(2026, 3, 31)}, "检查期"),
        ({"inspected_on": date(2026, 5, 30)}, "晚于今天"),
        ({"method": "电话询问"}, "检查方式"),
        ({"follow_up": "罚款"}, "后续处置"),
        ({"inspector_id": -1}, "检查组成员"),
        ({"category_code": "06"}, "问题描述"),
    ],
)
def test_entry_refusals(db: Database, task: str, change: dict[str, object], message: str) -> None:
    iid, _ = first_inspection(db)
    value = _all_entries(db, iid)[0]
    bad = entry.ResultInput(**{**value.__dict__, **change})  # type: ignore[arg-type]
    with pytest.raises(InspectionError, match=message):
        entry.enter_results(db, iid, [bad], today=TODAY)
    assert {r.state for r in _results(db, iid)} == {ResultState.NOT_ENTERED.value}


def test_remaining_items_no_problem_in_one_action(db: Database, task: str) -> None:
    iid, _ = first_inspection(db)
    first = _all_entries(db, iid, code="05")[0]
    problem = entry.ResultInput(**{**first.__dict__, "finding": "未公示许可证"})
    entry.enter_results(db, iid, [problem], today=TODAY)
    assert entry.fill_no_problem(db, iid, inspected_on=VISIT, method=ON_SITE, today=TODAY) == 2
    codes = sorted(r.category_code for r in _results(db, iid))
    assert codes == ["01", "01", "05"]
    with pytest.raises(InspectionError, match="没有未录入"):
        entry.fill_no_problem(db, iid, inspected_on=VISIT, method=ON_SITE, today=TODAY)


def test_approve_all_of_a_task(db: Database, task: str) -> None:
    with db.session() as s:
        ids = list(s.scalars(select(Inspection.id).order_by(Inspection.draw_rank)))
    for iid in ids[:3]:
        entry.enter_results(db, iid, _all_entries(db, iid), today=TODAY)
    summary = review.approve_all(db, task, reviewer="审核员")
    assert summary.approved == 3 and len(summary.skipped) == len(ids) - 3
    with db.session() as s:
        approved = s.scalar(
            select(func.count())
            .select_from(Inspection)
            .where(Inspection.state == ResultState.APPROVED.value)
        )
        assert approved == 3


def test_a_team_member_cannot_review_by_name(db: Database, task: str) -> None:
    iid, members = first_inspection(db)
    entry.enter_results(db, iid, _all_entries(db, iid), today=TODAY)
    with pytest.raises(PermissionDenied, match="检查组成员"):
        review.approve(db, iid, reviewer=members[1].name)


def test_find_inspection_by_number_or_code(db: Database, task: str) -> None:
    iid, _ = first_inspection(db)
    with db.session() as s:
        uscc = s.scalar(
            select(Target.uscc)
            .join(Inspection, Inspection.target_id == Target.id)
            .where(Inspection.id == iid)
        )
    assert review.find_inspection_id(db, task, str(iid)) == iid
    assert review.find_inspection_id(db, task, uscc.lower()) == iid
    with pytest.raises(InspectionError, match="找不到"):
        review.find_inspection_id(db, task, "999999")


def test_the_actual_team_counts_as_a_recent_visit(db: Database, task: str) -> None:
    from app.services.draws.history import recent_pairs

    iid, members = first_inspection(db)
    new = team.candidates(db, iid, 1, TODAY)[0]
    team.reassign(db, iid, 1, new.inspector_id, "因病", on=TODAY)
    with db.session() as s:
        target_id = s.get(Inspection, iid).target_id
        other = SamplingTask(id=987654, recent_window_months=12)  # another task, later
        ids = [new.inspector_id, members[0].inspector_id]
        assert (new.inspector_id, target_id) not in recent_pairs(s, other, date(2026, 9, 1), ids)
    entry.enter_results(db, iid, _all_entries(db, iid), today=TODAY)
    with db.session() as s:
        other = SamplingTask(id=987654, recent_window_months=12)
        pairs = recent_pairs(s, other, date(2026, 9, 1), ids)
        assert (new.inspector_id, target_id) in pairs
        # The drawn lead's pair stands too (the draw's own record).
        assert (members[0].inspector_id, target_id) in pairs


def test_deadline_from_the_inspection_date(db: Database, task: str) -> None:
    from app.services.inspections import holidays
    from app.services.inspections.common import DeadlineReference

    iid, _ = first_inspection(db)
    holidays.set_deadline_reference(db, DeadlineReference.INSPECTION_DATE)
    with db.session() as s:
        assert s.get(Inspection, iid).due_date is None
    entry.enter_results(db, iid, _all_entries(db, iid)[:1], today=TODAY)
    with db.session() as s:
        ins = s.get(Inspection, iid)
        # 2026-05-12 (Tue) + 20 working days, no holiday in between: 2026-06-09.
        assert (ins.reference_date, ins.due_date) == (VISIT, date(2026, 6, 9))


def test_an_unknown_year_is_estimated_until_entered(db: Database, task: str) -> None:
    from app.domain.workdays import DayKind
    from app.services.inspections import holidays, queries

    iid, _ = first_inspection(db)
    with db.session() as s:
        s.get(Inspection, iid).window_end = date(2026, 12, 25)
    holidays.save_year(db, 2027, [])  # nothing entered yet: recomputes every deadline
    detail = queries.inspection_detail(db, iid)
    assert detail.due_date == date(2027, 1, 22) and detail.due_estimated
    assert "2027年节假日未录入" in detail.due_note
    assert "估算" in queries.due_text(detail.due_date, detail.due_estimated)
    holidays.save_year(db, 2027, [holidays.DayEntry(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")])
    detail = queries.inspection_detail(db, iid)
    assert detail.due_date == date(2027, 1, 25) and not detail.due_estimated
