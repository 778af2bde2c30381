"""首页待办: per department and per inspector, what needs doing about inspections.

Four kinds of line, each naming one inspection:
- this_week: not visited yet, and its inspection window is open this week;
- due_soon: results not all entered (or sent back), due within 5 working days;
- overdue_results: results not all entered (or sent back), past the due date;
- overdue_review: results awaiting review past the due date.
An inspection counts for every department and every person on its team. A
user tied to a department sees that department's; a signed-in inspector
sees their own inspections only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import or_, select

from app.domain.auth import Permission
from app.domain.results import ResultState
from app.domain.workdays import add_workdays, week_bounds
from app.models.db import Database
from app.models.inspections import Inspection
from app.services.access.auth import current_principal, require, visible_department_ids
from app.services.inspections.common import calendar
from app.services.inspections.queries import due_text

SOON_WORKDAYS = 5
OPEN_ENTRY = (ResultState.NOT_ENTERED.value, ResultState.RETURNED.value)


class TodoKind(StrEnum):
    THIS_WEEK = "this_week"
    DUE_SOON = "due_soon"
    OVERDUE_RESULTS = "overdue_results"
    OVERDUE_REVIEW = "overdue_review"

    @property
    def label(self) -> str:
        return {
            "this_week": "本周待检查",
            "due_soon": "5个工作日内到期",
            "overdue_results": "逾期未录入",
            "overdue_review": "逾期未审核",
        }[self.value]


@dataclass(frozen=True)
class TodoLine:
    kind: TodoKind
    inspection_id: int
    task_code: str
    target_name: str
    due_date: date | None
    due_estimated: bool
    departments: tuple[str, ...]
    inspectors: tuple[str, ...]

    @property
    def text(self) -> str:
        return (
            f"【{self.kind.label}】{self.target_name}（任务 {self.task_code}，"
            f"期限 {due_text(self.due_date, self.due_estimated)}）"
        )


@dataclass
class Todo:
    today: date
    lines: list[TodoLine] = field(default_factory=list)

    def counts(self) -> Counter[TodoKind]:
        return Counter(line.kind for line in self.lines)

    def by_department(self) -> dict[str, list[TodoLine]]:
        out: dict[str, list[TodoLine]] = {}
        for line in self.lines:
            for dept in line.departments:
                out.setdefault(dept, []).append(line)
        return dict(sorted(out.items()))

    def by_inspector(self) -> dict[str, list[TodoLine]]:
        out: dict[str, list[TodoLine]] = {}
        for line in self.lines:
            for name in line.inspectors:
                out.setdefault(name, []).append(line)
        return dict(sorted(out.items()))


def _kinds(ins: Inspection, today: date, soon: date, week: tuple[date, date]) -> list[TodoKind]:
    kinds = []
    if ins.inspected_on is None and ins.window_start <= week[1] and ins.window_end >= week[0]:
        kinds.append(TodoKind.THIS_WEEK)
    if ins.due_date is not None:
        if ins.state in OPEN_ENTRY:
            if ins.due_date < today:
                kinds.append(TodoKind.OVERDUE_RESULTS)
            elif ins.due_date <= soon:
                kinds.append(TodoKind.DUE_SOON)
        elif ins.state == ResultState.PENDING_REVIEW.value and ins.due_date < today:
            kinds.append(TodoKind.OVERDUE_REVIEW)
    return kinds


def load_todo(db: Database, today: date) -> Todo:
    require(Permission.VIEW)
    p = current_principal()
    todo = Todo(today)
    with db.session() as s:
        soon = add_workdays(today, SOON_WORKDAYS, calendar(s)).day
        week = week_bounds(today)
        stmt = select(Inspection).where(
            Inspection.state.in_([*OPEN_ENTRY, ResultState.PENDING_REVIEW.value]),
            or_(Inspection.inspected_on.is_(None), Inspection.due_date <= soon),
        )
        visible = visible_department_ids(p)
        own_inspector = p.inspector_id if p.may(Permission.ENTER_RESULTS) else None
        if p.may(Permission.ENTER_ANY_RESULTS) or p.may(Permission.PUBLISH):
            own_inspector = None  # clerks and reviewers see their department's whole list
        for ins in s.scalars(stmt.order_by(Inspection.due_date, Inspection.id)):
            team = ins.team
            depts = {m.department_id: m.department.name for m in team}
            if visible is not None and not (set(depts) | {ins.lead_department_id}) & visible:
                continue
            if own_inspector is not None and own_inspector not in {m.inspector_id for m in team}:
                continue
            for kind in _kinds(ins, today, soon, week):
                todo.lines.append(
                    TodoLine(
                        kind,
                        ins.id,
                        ins.task.code if ins.task else "个案",
                        ins.target.name,
                        ins.due_date,
                        ins.due_date_estimated,
                        tuple(sorted(set(depts.values()))),
                        tuple(m.inspector.name for m in team),
                    )
                )
    return todo
