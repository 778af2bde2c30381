"""The SQL behind every statistic: a handful of queries read once into numpy arrays.

Everything else in the stats package is numpy over these arrays, so a year
of 50,000 inspections costs a few indexed queries however many tables and
charts are shown, and a drill-down only filters arrays already in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.domain.ceremony import AttemptState
from app.domain.registry import ACTIVE_REG_STATUSES
from app.domain.risk import UNCLASSIFIED
from app.models.db import Database
from app.models.draws import DrawAttempt, DrawTarget
from app.models.inspections import Inspection, InspectionMember, InspectionResult
from app.models.plans import SamplingTask, TaskDepartment
from app.models.registry import Target
from app.services.stats.reads import (
    as_days,
    day_expr,
    epoch_or_null,
    local_days,
    read_array,
    text_of,
)


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
    # Current team places: (inspection index, inspector, department).
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


def _dialect(s: Session) -> str:
    return s.get_bind().dialect.name


def read_inspections(s: Session, period: Period) -> np.ndarray:
    """One record per inspection of the period, sorted by id."""
    dialect = _dialect(s)
    risk = func.coalesce(DrawTarget.stratum, Target.risk_class, UNCLASSIFIED)
    stmt = (
        select(
            Inspection.id,
            Inspection.kind,
            func.coalesce(Inspection.task_id, -1),
            Inspection.target_id,
            Inspection.lead_department_id,
            Target.division_code,
            risk,
            day_expr(dialect, Inspection.inspected_on),
            day_expr(dialect, Inspection.due_date),
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
    risk_width = max(len(UNCLASSIFIED), int(DrawTarget.stratum.type.length))
    dtype = [
        ("id", "i8"),
        ("kind", text_of(Inspection.kind)),
        ("task", "i8"),
        ("target", "i8"),
        ("lead_dept", "i8"),
        ("division", text_of(Target.division_code)),
        ("risk", f"U{risk_width}"),
        ("done_on", "i8"),
        ("due", "i8"),
    ]
    return read_array(s, stmt, dtype)


def read_results(s: Session, period: Period) -> np.ndarray:
    """One record per result: inspection id, item, department, category ("" until entered)
    and the entry time in epoch seconds."""
    stmt = (
        select(
            InspectionResult.inspection_id,
            InspectionResult.item_id,
            InspectionResult.department_id,
            func.coalesce(InspectionResult.category_code, ""),
            epoch_or_null(_dialect(s), InspectionResult.entered_at),
        )
        .join(Inspection, Inspection.id == InspectionResult.inspection_id)
        .where(_in_period(period))
    )
    dtype = [
        ("ins", "i8"),
        ("item", "i8"),
        ("dept", "i8"),
        ("category", text_of(InspectionResult.category_code)),
        ("entered", "i8"),
    ]
    return read_array(s, stmt, dtype)


def read_members(s: Session, period: Period) -> np.ndarray:
    """Current team places of the period's inspections."""
    stmt = (
        select(
            InspectionMember.inspection_id,
            InspectionMember.inspector_id,
            InspectionMember.department_id,
        )
        .join(Inspection, Inspection.id == InspectionMember.inspection_id)
        .where(_in_period(period), InspectionMember.ended_at.is_(None))
    )
    return read_array(s, stmt, [("ins", "i8"), ("inspector", "i8"), ("dept", "i8")])


def read_tasks(s: Session, period: Period) -> list[Any]:
    drawn = (
        select(DrawAttempt.task_id.label("tid"), func.count().label("n"))
        .join(DrawTarget, DrawTarget.attempt_id == DrawAttempt.id)
        .where(DrawAttempt.state == AttemptState.COMPUTED.value, DrawTarget.target_id.is_not(None))
        .group_by(DrawAttempt.task_id)
        .subquery()
    )
    stmt = (
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
    return list(s.connection().execute(stmt).all())


def read_registry(s: Session) -> list[tuple[str, str, int]]:
    """Active targets per (division, risk class)."""
    # Grouped in the pool index's column order (risk class, status, division): SQLite
    # then counts a million targets straight off the covering index, no sort.
    stmt = select(
        Target.risk_class, Target.reg_status, Target.division_code, func.count()
    ).group_by(Target.risk_class, Target.reg_status, Target.division_code)
    return [
        (div, risk or UNCLASSIFIED, n)
        for risk, status, div, n in s.connection().execute(stmt)
        if status in ACTIVE_REG_STATUSES
    ]


def _columns(rows: Any, width: int) -> list[Any]:
    """Row tuples → one sequence per column (empty columns when there is no row)."""
    return list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]


def load_frames(db: Database, period: Period, problem_codes: frozenset[str]) -> Frames:
    """The period's arrays, read in one read transaction."""
    # One connection, one after the other: reading on several threads at once was
    # slower, as each row's fetch waits for the interpreter lock the others hold.
    with db.session() as s:
        ins = read_inspections(s, period)
        res = read_results(s, period)
        mem = read_members(s, period)
        tasks = read_tasks(s, period)
        reg = read_registry(s)
    return frames_of(period, problem_codes, ins, res, mem, tasks, reg)


def frames_of(
    period: Period,
    problem_codes: frozenset[str],
    ins: np.ndarray,
    res: np.ndarray,
    mem: np.ndarray,
    tasks: list[Any],
    reg: list[tuple[str, str, int]],
) -> Frames:
    def col(a: np.ndarray, name: str) -> np.ndarray:
        # A field of a structured array is a strided view; the figures scan them many times.
        return np.ascontiguousarray(a[name])

    ins_id = col(ins, "id")
    n = len(ins_id)
    res_ins = np.searchsorted(ins_id, col(res, "ins"))
    res_category = col(res, "category")
    # A problem is what the category data marks as one (the stored flag follows it).
    res_problem = np.isin(res_category, sorted(problem_codes)) & (res_category != "")
    entered = res_category != ""
    last = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if len(res_ins):
        days = local_days(res["entered"])
        order = np.argsort(days)  # NaT sorts last: the last write per inspection wins
        last[res_ins[order]] = days[order]
        has_blank = np.zeros(n, dtype=bool)
        has_blank[res_ins[~entered]] = True
        last[has_blank] = np.datetime64("NaT")
    tcols = _columns(tasks, 5)
    gcols = _columns(reg, 3)
    return Frames(
        period=period,
        ins_id=ins_id,
        ins_kind=col(ins, "kind"),
        ins_task=col(ins, "task"),
        ins_target=col(ins, "target"),
        ins_lead_dept=col(ins, "lead_dept"),
        ins_division=col(ins, "division"),
        ins_risk=col(ins, "risk"),
        ins_done_on=as_days(ins["done_on"]),
        ins_due=as_days(ins["due"]),
        ins_last_entry=last,
        ins_items=np.bincount(res_ins, minlength=n).astype(np.int64),
        ins_entered=np.bincount(res_ins, weights=entered, minlength=n).astype(np.int64),
        ins_problems=np.bincount(res_ins, weights=res_problem, minlength=n).astype(np.int64),
        res_ins=res_ins,
        res_item=col(res, "item"),
        res_dept=col(res, "dept"),
        res_category=res_category,
        res_problem=res_problem,
        mem_ins=np.searchsorted(ins_id, col(mem, "ins")),
        mem_inspector=col(mem, "inspector"),
        mem_dept=col(mem, "dept"),
        task_id=np.array(tcols[0], dtype=np.int64),
        task_code=np.array(tcols[1], dtype=object),
        task_state=np.array([getattr(v, "value", v) for v in tcols[2]], dtype=object),
        task_dept=np.array(tcols[3], dtype=np.int64),
        task_drawn_targets=np.array(tcols[4], dtype=np.int64),
        reg_division=np.array(gcols[0], dtype=object),
        reg_risk=np.array(gcols[1], dtype=object),
        reg_count=np.array(gcols[2], dtype=np.int64),
    )
