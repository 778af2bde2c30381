"""The SQL behind every statistic: a handful of queries read once into numpy arrays.

Everything else in the stats package is numpy over these arrays, so a year
of 50,000 inspections costs four indexed queries however many tables and
charts are shown, and a drill-down only filters arrays already in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.domain.ceremony import AttemptState
from app.domain.registry import ACTIVE_REG_STATUSES
from app.domain.risk import UNCLASSIFIED
from app.models.draws import DrawAttempt, DrawTarget
from app.models.inspections import Inspection, InspectionMember, InspectionResult
from app.models.plans import SamplingTask, TaskDepartment
from app.models.registry import Target


@dataclass(frozen=True, slots=True)
class Period:
    """Inspections whose window starts, and tasks whose period starts, in [start, end]."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> str:
        whole = (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)
        if whole and self.start.year == self.end.year:
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


def local_day(at: Any) -> date | None:
    """The local calendar day of a stored timestamp (SQLite gives it back naive, in UTC)."""
    if at is None:
        return None
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    day: date = at.astimezone().date()
    return day


def _days(values: list[Any]) -> np.ndarray:
    """Dates as numpy datetime64[D] (NaT for None)."""
    return np.array(
        [np.datetime64(v, "D") if v else np.datetime64("NaT") for v in values],
        dtype="datetime64[D]",
    )


@dataclass
class Frames:
    """Column arrays of one period; index i of the `ins_*` arrays is one inspection."""

    period: Period
    # One row per inspection, sorted by id.
    ins_id: np.ndarray
    ins_kind: np.ndarray
    ins_task: np.ndarray  # task id, -1 for case inspections
    ins_target: np.ndarray
    ins_lead_dept: np.ndarray
    ins_division: np.ndarray
    ins_risk: np.ndarray  # the class it was drawn in (A–D or 未分类)
    ins_done_on: np.ndarray  # datetime64[D], NaT until visited
    ins_due: np.ndarray
    ins_last_entry: np.ndarray
    ins_items: np.ndarray
    ins_entered: np.ndarray
    ins_problems: np.ndarray
    # One row per result (inspection, item).
    res_ins: np.ndarray  # index into ins_* (not the id)
    res_item: np.ndarray
    res_dept: np.ndarray
    res_category: np.ndarray  # code, "" until entered
    res_problem: np.ndarray
    # One row per current team place.
    mem_ins: np.ndarray
    mem_inspector: np.ndarray
    mem_dept: np.ndarray
    # Tasks of the period (one row per task and department).
    task_id: np.ndarray
    task_code: np.ndarray
    task_state: np.ndarray
    task_dept: np.ndarray
    task_drawn_targets: np.ndarray
    # The registry: active targets per (division, risk class).
    reg_division: np.ndarray
    reg_risk: np.ndarray
    reg_count: np.ndarray

    def index_of(self, ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.ins_id, ids)


def _in_period(period: Period) -> Any:
    return Inspection.window_start.between(period.start, period.end)


def _inspection_rows(s: Session, period: Period) -> list[Any]:
    agg = (
        select(
            InspectionResult.inspection_id.label("iid"),
            func.count().label("n"),
            func.count(InspectionResult.category_code).label("entered"),
            func.sum(case((InspectionResult.is_problem.is_(True), 1), else_=0)).label("problems"),
            func.max(InspectionResult.entered_at).label("last"),
        )
        .join(Inspection, Inspection.id == InspectionResult.inspection_id)
        .where(_in_period(period))
        .group_by(InspectionResult.inspection_id)
        .subquery()
    )
    stmt = (
        select(
            Inspection.id,
            Inspection.kind,
            Inspection.task_id,
            Inspection.target_id,
            Inspection.lead_department_id,
            Target.division_code,
            func.coalesce(DrawTarget.stratum, Target.risk_class, UNCLASSIFIED),
            Inspection.inspected_on,
            Inspection.due_date,
            agg.c.last,
            func.coalesce(agg.c.n, 0),
            func.coalesce(agg.c.entered, 0),
            func.coalesce(agg.c.problems, 0),
        )
        .join(Target, Target.id == Inspection.target_id)
        .outerjoin(
            DrawTarget,
            and_(
                DrawTarget.attempt_id == Inspection.attempt_id,
                DrawTarget.rank == Inspection.draw_rank,
            ),
        )
        .outerjoin(agg, agg.c.iid == Inspection.id)
        .where(_in_period(period))
        .order_by(Inspection.id)
    )
    return list(s.execute(stmt).all())


def _columns(rows: Any, width: int) -> list[Any]:
    """Row tuples → one sequence per column (empty columns when there is no row)."""
    return list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]


def load_frames(s: Session, period: Period) -> Frames:
    rows = _inspection_rows(s, period)
    cols = _columns(rows, 13)
    ins_id = np.array(cols[0], dtype=np.int64)

    res = s.execute(
        select(
            InspectionResult.inspection_id,
            InspectionResult.item_id,
            InspectionResult.department_id,
            InspectionResult.category_code,
            InspectionResult.is_problem,
        )
        .join(Inspection, Inspection.id == InspectionResult.inspection_id)
        .where(_in_period(period))
    ).all()
    rcols = _columns(res, 5)

    mem = s.execute(
        select(
            InspectionMember.inspection_id,
            InspectionMember.inspector_id,
            InspectionMember.department_id,
        )
        .join(Inspection, Inspection.id == InspectionMember.inspection_id)
        .where(_in_period(period), InspectionMember.ended_at.is_(None))
    ).all()
    mcols = _columns(mem, 3)

    drawn = (
        select(DrawAttempt.task_id.label("tid"), func.count().label("n"))
        .join(DrawTarget, DrawTarget.attempt_id == DrawAttempt.id)
        .where(DrawAttempt.state == AttemptState.COMPUTED.value, DrawTarget.target_id.is_not(None))
        .group_by(DrawAttempt.task_id)
        .subquery()
    )
    tasks = s.execute(
        select(
            SamplingTask.id,
            SamplingTask.code,
            SamplingTask.state,
            TaskDepartment.department_id,
            func.coalesce(drawn.c.n, 0),
        )
        .join(TaskDepartment, TaskDepartment.task_id == SamplingTask.id)
        .outerjoin(drawn, drawn.c.tid == SamplingTask.id)
        .where(SamplingTask.planned_start.between(period.start, period.end))
        .order_by(SamplingTask.id, TaskDepartment.department_id)
    ).all()
    tcols = _columns(tasks, 5)

    reg = s.execute(
        select(Target.division_code, Target.risk_class, func.count())
        .where(Target.reg_status.in_(sorted(ACTIVE_REG_STATUSES)))
        .group_by(Target.division_code, Target.risk_class)
    ).all()
    gcols = _columns(reg, 3)

    def ints(values: Any) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    def strs(values: Any) -> np.ndarray:
        return np.array([v or "" for v in values], dtype=object)

    return Frames(
        period=period,
        ins_id=ins_id,
        ins_kind=strs(cols[1]),
        ins_task=ints([-1 if v is None else v for v in cols[2]]),
        ins_target=ints(cols[3]),
        ins_lead_dept=ints(cols[4]),
        ins_division=strs(cols[5]),
        ins_risk=strs(cols[6]),
        ins_done_on=_days(list(cols[7])),
        ins_due=_days(list(cols[8])),
        ins_last_entry=_days([local_day(v) for v in cols[9]]),
        ins_items=ints(cols[10]),
        ins_entered=ints(cols[11]),
        ins_problems=ints(cols[12]),
        res_ins=np.searchsorted(ins_id, ints(rcols[0])),
        res_item=ints(rcols[1]),
        res_dept=ints(rcols[2]),
        res_category=strs(rcols[3]),
        res_problem=np.array([bool(v) for v in rcols[4]], dtype=bool),
        mem_ins=np.searchsorted(ins_id, ints(mcols[0])),
        mem_inspector=ints(mcols[1]),
        mem_dept=ints(mcols[2]),
        task_id=ints(tcols[0]),
        task_code=strs(tcols[1]),
        task_state=strs([getattr(v, "value", v) for v in tcols[2]]),
        task_dept=ints(tcols[3]),
        task_drawn_targets=ints(tcols[4]),
        reg_division=strs(gcols[0]),
        reg_risk=np.array([v or UNCLASSIFIED for v in gcols[1]], dtype=object),
        reg_count=ints(gcols[2]),
    )
