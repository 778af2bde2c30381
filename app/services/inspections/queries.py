"""Reading inspections for the results page, the command line and the home page: plain rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.domain.auth import Permission
from app.domain.planning import PlanState
from app.domain.results import ResultState
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember, InspectionReview
from app.models.plans import SamplingTask
from app.models.registry import Department
from app.services.access.auth import require
from app.services.common.categories import categories
from app.services.inspections.common import InspectionError, calendar
from app.services.inspections.team import inspection_department_ids, load_inspection
from app.services.plans.queries import load_task
from app.services.plans.scope import task_department_ids, task_visible


def due_text(due: date | None, estimated: bool) -> str:
    """A deadline as shown everywhere: the date, and the estimate warning when it is one."""
    if due is None:
        return "待检查后计算"
    return f"{due:%Y-%m-%d}" + ("（估算：该年节假日未录入）" if estimated else "")


@dataclass(frozen=True)
class TaskRow:
    code: str
    title: str
    state_label: str
    inspections: int
    drawn: bool  # has a result of record but no inspections yet


@dataclass(frozen=True)
class InspectionRow:
    inspection_id: int
    rank: int | None
    uscc: str
    target_name: str
    lead: str
    team: str
    state: ResultState
    entered: int
    items: int
    due_date: date | None
    due_estimated: bool
    version: int

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def due_text(self) -> str:
        return due_text(self.due_date, self.due_estimated)

    @property
    def due_short(self) -> str:
        """The deadline in a list column: 约 marks an estimate, the tooltip says why."""
        if self.due_date is None:
            return "待检查后计算"
        return ("约" if self.due_estimated else "") + f"{self.due_date:%Y-%m-%d}"

    def as_json(self) -> dict[str, Any]:
        return {
            "inspection": self.inspection_id,
            "uscc": self.uscc,
            "name": self.target_name,
            "team": self.team,
            "state": self.state.value,
            "entered": self.entered,
            "items": self.items,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "due_date_estimated": self.due_estimated,
        }


@dataclass(frozen=True)
class MemberRow:
    position: int
    inspector_id: int
    name: str
    badge_no: str
    department: str
    current: bool
    note: str  # 接替 X（原因） for a reassigned place


@dataclass(frozen=True)
class ResultRow:
    item_id: int
    item_code: str
    item_name: str
    department_id: int
    department: str
    category_code: str | None
    category_name: str
    finding: str
    inspected_on: date | None
    method: str | None
    follow_up: str | None
    state: ResultState
    entered_by: str
    entered_department: str
    review_reason: str | None
    methods: tuple[str, ...]  # the item's own methods, first is the default


@dataclass(frozen=True)
class InspectionDetail:
    inspection_id: int
    version: int
    task_code: str | None
    task_title: str
    uscc: str
    target_name: str
    address: str
    window_start: date
    window_end: date
    state: ResultState
    due_date: date | None
    due_estimated: bool
    due_note: str
    members: tuple[MemberRow, ...]
    results: tuple[ResultRow, ...]
    reviews: tuple[str, ...]

    @property
    def team(self) -> tuple[MemberRow, ...]:
        return tuple(m for m in self.members if m.current)


def task_rows(db: Database) -> list[TaskRow]:
    """Tasks that have been drawn (and may have inspections), newest first."""
    states = [PlanState.DRAWN, PlanState.INSPECTING, PlanState.DONE]
    with db.session() as s:
        require(Permission.VIEW)
        counts: dict[int, int] = {}
        for tid, n in s.execute(
            select(Inspection.task_id, func.count())
            .where(Inspection.task_id.is_not(None))
            .group_by(Inspection.task_id)
        ):
            if tid is not None:
                counts[tid] = int(n)
        out = []
        for t in s.scalars(
            select(SamplingTask)
            .where(SamplingTask.state.in_(states))
            .order_by(SamplingTask.planned_start.desc(), SamplingTask.code)
        ):
            if not task_visible(t):
                continue
            n = counts.get(t.id, 0)
            out.append(TaskRow(t.code, t.title, t.state.label, n, n == 0))
        return out


def _row(ins: Inspection) -> InspectionRow:
    team = ins.team
    return InspectionRow(
        ins.id,
        ins.draw_rank,
        ins.target.uscc,
        ins.target.name,
        team[0].inspector.name if team else "",
        "、".join(m.inspector.name for m in team),
        ResultState(ins.state),
        sum(r.state != ResultState.NOT_ENTERED.value for r in ins.results),
        len(ins.results),
        ins.due_date,
        ins.due_date_estimated,
        ins.version,
    )


def task_inspections(db: Database, task_code: str, *, today: date) -> list[InspectionRow]:
    with db.session() as s:
        task = load_task(s, task_code, InspectionError)
        require(Permission.VIEW, department_ids=task_department_ids(task))
        rows = s.scalars(
            select(Inspection)
            .where(Inspection.task_id == task.id)
            .order_by(Inspection.draw_rank, Inspection.id)
        )
        return [_row(ins) for ins in rows]


def _member_row(m: InspectionMember, by_id: dict[int, InspectionMember]) -> MemberRow:
    note = ""
    if m.replaces_id is not None and m.replaces_id in by_id:
        note = f"接替{by_id[m.replaces_id].inspector.name}（{m.reason or ''}）"
    elif m.ended_at is not None:
        note = "已更换"
    return MemberRow(
        m.position,
        m.inspector_id,
        m.inspector.name,
        m.inspector.badge_no,
        m.department.name,
        m.ended_at is None,
        note,
    )


def inspection_detail(db: Database, inspection_id: int) -> InspectionDetail:
    with db.session() as s:
        ins = load_inspection(s, inspection_id)
        require(Permission.VIEW, department_ids=inspection_department_ids(ins))
        cats = categories(s)
        names = {c.code: c.name for c in cats.categories}
        by_id = {m.id: m for m in ins.members}
        results = []
        for r in sorted(ins.results, key=lambda r: (r.department.name, r.item.code)):
            entered_dept = r.entered_department_id
            dept = s.get(Department, entered_dept) if entered_dept is not None else None
            dept_name = dept.name if dept is not None else ""
            results.append(
                ResultRow(
                    r.item_id,
                    r.item.code,
                    r.item.name,
                    r.department_id,
                    r.department.name,
                    r.category_code,
                    names.get(r.category_code or "", ""),
                    r.finding,
                    r.inspected_on,
                    r.method,
                    r.follow_up,
                    ResultState(r.state),
                    r.entered_by_name or "",
                    dept_name,
                    r.review_reason,
                    tuple(r.item.methods or ()),
                )
            )
        reviews = tuple(
            f"{v.reviewed_at:%Y-%m-%d %H:%M} {v.reviewer_name} "
            + ("审核通过" if v.action == "approve" else f"退回：{v.reason}")
            for v in s.scalars(
                select(InspectionReview)
                .where(InspectionReview.inspection_id == ins.id)
                .order_by(InspectionReview.id)
            )
        )
        note = ""
        if ins.due_date_estimated and ins.due_date is not None:
            cal = calendar(s)
            years = sorted(
                {y for y in (ins.due_date.year, ins.window_end.year) if y not in cal.known_years}
            )
            note = "、".join(map(str, years)) + "年节假日未录入，期限按周一至周五估算"
        return InspectionDetail(
            ins.id,
            ins.version,
            ins.task.code if ins.task else None,
            ins.task.title if ins.task else (ins.case_reference or "个案检查"),
            ins.target.uscc,
            ins.target.name,
            ins.target.address or "",
            ins.window_start,
            ins.window_end,
            ResultState(ins.state),
            ins.due_date,
            ins.due_date_estimated,
            note,
            tuple(_member_row(m, by_id) for m in ins.members),
            tuple(results),
            reviews,
        )
