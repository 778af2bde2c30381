"""The SQL behind every statistic: a handful of queries read once into numpy arrays.

Everything else in the stats package is numpy over these arrays, so a year
of 50,000 inspections costs four indexed queries however many tables and
charts are shown, and a drill-down only filters arrays already in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Integer, String, and_, cast, func, select
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


def _days(values: list[Any]) -> np.ndarray:
    """Dates as numpy datetime64[D] (NaT for None)."""
    return np.array(values, dtype="datetime64[D]")


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


def _epoch(s: Session, column: Any) -> Any:
    return epoch_expr(s.get_bind().dialect.name, column)


def epoch_expr(dialect: str, column: Any) -> Any:
    """Seconds since 1970 of a timestamp column, computed by the database (one int a row)."""
    if dialect == "sqlite":
        # SQLite keeps the UTC wall clock as text; strftime('%s') reads it as UTC.
        return cast(func.strftime("%s", column), Integer)
    return cast(func.extract("epoch", column), BigInteger)


def local_days(epochs: list[Any]) -> np.ndarray:
    """Epoch seconds (None for none) → local calendar days as datetime64[D]."""
    offset = datetime.now().astimezone().utcoffset()
    shift = int(offset.total_seconds()) if offset else 0
    secs = np.array([-(2**62) if e is None else int(e) for e in epochs], dtype=np.int64)
    days = ((secs + shift) // 86400).astype("datetime64[D]")
    days[secs == -(2**62)] = np.datetime64("NaT")
    return days


def _inspection_rows(s: Session, period: Period) -> list[Any]:
    # Dates come back as ISO text (numpy parses it in bulk; no date object per value).
    stmt = (
        select(
            Inspection.id,
            Inspection.kind,
            Inspection.task_id,
            Inspection.target_id,
            Inspection.lead_department_id,
            Target.division_code,
            func.coalesce(DrawTarget.stratum, Target.risk_class, UNCLASSIFIED),
            cast(Inspection.inspected_on, String),
            cast(Inspection.due_date, String),
        )
        .join(Target, Target.id == Inspection.target_id)
        .outerjoin(
            DrawTarget,
            and_(
                DrawTarget.attempt_id == Inspection.attempt_id,
                DrawTarget.rank == Inspection.draw_rank,
            ),
        )
        .where(_in_period(period))
        .order_by(Inspection.id)
    )
    return list(s.connection().execute(stmt).all())


def _columns(rows: Any, width: int) -> list[Any]:
    """Row tuples → one sequence per column (empty columns when there is no row)."""
    return list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]


def result_rows(s: Session, period: Period) -> list[Any]:
    """One row per result: (inspection id, item, department, category or "", entry epoch)."""
    stmt = (
        select(
            InspectionResult.inspection_id,
            InspectionResult.item_id,
            InspectionResult.department_id,
            func.coalesce(InspectionResult.category_code, ""),
            _epoch(s, InspectionResult.entered_at),
        )
        .join(Inspection, Inspection.id == InspectionResult.inspection_id)
        .where(_in_period(period))
    )
    return list(s.connection().execute(stmt).all())


def load_frames(
    s: Session, period: Period, problem_codes: frozenset[str], results: list[Any] | None = None
) -> Frames:
    """The period's arrays; `results` may have been read beforehand on another connection."""
    rows = _inspection_rows(s, period)
    cols = _columns(rows, 9)
    ins_id = np.array(cols[0], dtype=np.int64)

    res = result_rows(s, period) if results is None else results
    rcols = _columns(res, 5)

    drawn = (
        select(DrawAttempt.task_id.label("tid"), func.count().label("n"))
        .join(DrawTarget, DrawTarget.attempt_id == DrawAttempt.id)
        .where(DrawAttempt.state == AttemptState.COMPUTED.value, DrawTarget.target_id.is_not(None))
        .group_by(DrawAttempt.task_id)
        .subquery()
    )
    tasks = (
        s.connection()
        .execute(
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
        )
        .all()
    )
    tcols = _columns(tasks, 5)

    # Grouped in the pool index's column order (risk class, status, division): SQLite
    # then counts a million targets straight off the covering index, no sort.
    reg = [
        (div, risk, n)
        for risk, status, div, n in s.connection().execute(
            select(
                Target.risk_class, Target.reg_status, Target.division_code, func.count()
            ).group_by(Target.risk_class, Target.reg_status, Target.division_code)
        )
        if status in ACTIVE_REG_STATUSES
    ]
    gcols = _columns(reg, 3)

    def ints(values: Any) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    def strs(values: Any) -> np.ndarray:
        return np.array([v or "" for v in values], dtype=object)

    res_ins = np.searchsorted(ins_id, ints(rcols[0]))
    res_category = np.array(rcols[3], dtype=object)
    # A problem is what the category data marks as one (the stored flag follows it).
    res_problem = (
        np.isin(res_category, sorted(problem_codes))
        if len(res_category)
        else (np.zeros(0, dtype=bool))
    )
    n = len(ins_id)
    entered = res_category != ""
    last = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    days = local_days(list(rcols[4]))
    if len(res_ins):
        order = np.argsort(days)  # NaT sorts last: the last write per inspection wins
        last[res_ins[order]] = days[order]
        has_blank = np.zeros(n, dtype=bool)
        has_blank[res_ins[~entered]] = True
        last[has_blank] = np.datetime64("NaT")
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
        ins_last_entry=last,
        ins_items=np.bincount(res_ins, minlength=n).astype(np.int64),
        ins_entered=np.bincount(res_ins, weights=entered, minlength=n).astype(np.int64),
        ins_problems=np.bincount(res_ins, weights=res_problem, minlength=n).astype(np.int64),
        res_ins=res_ins,
        res_item=ints(rcols[1]),
        res_dept=ints(rcols[2]),
        res_category=res_category,
        res_problem=res_problem,
        task_id=ints(tcols[0]),
        task_code=strs(tcols[1]),
        task_state=strs([getattr(v, "value", v) for v in tcols[2]]),
        task_dept=ints(tcols[3]),
        task_drawn_targets=ints(tcols[4]),
        reg_division=strs(gcols[0]),
        reg_risk=np.array([v or UNCLASSIFIED for v in gcols[1]], dtype=object),
        reg_count=ints(gcols[2]),
    )


def load_members(s: Session, period: Period, ins_id: np.ndarray) -> tuple[np.ndarray, ...]:
    """Current team places of the period's inspections: (inspection index, inspector, dept)."""
    mem = (
        s.connection()
        .execute(
            select(
                InspectionMember.inspection_id,
                InspectionMember.inspector_id,
                InspectionMember.department_id,
            )
            .join(Inspection, Inspection.id == InspectionMember.inspection_id)
            .where(_in_period(period), InspectionMember.ended_at.is_(None))
        )
        .all()
    )
    mcols = _columns(mem, 3)
    return (
        np.searchsorted(ins_id, np.array(mcols[0], dtype=np.int64)),
        np.array(mcols[1], dtype=np.int64),
        np.array(mcols[2], dtype=np.int64),
    )
