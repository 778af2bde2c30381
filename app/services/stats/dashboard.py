"""The dashboard of a period: figures per department / division / item / risk class.

Definitions (the same in the page, the command, the xlsx and the PDF):
- only random-draw inspections (双随机) count in the figures; case and special
  inspections are counted apart in `other`;
- an inspection is *inspected* when every item's result is entered; it is
  *with problems* when it is inspected and any item's category is a problem
  category (the flag stored with each result, from the category data);
- problem rate = with problems / inspected, with a 95 % Wilson interval;
- results *on time*: all entered and the last entry on or before the due
  date; *late*: all entered after it; *overdue*: not all entered, past due;
- a task is *planned* once filed, *drawn* once drawn, *done* when marked done
  or when every inspection it produced is inspected;
- coverage = distinct enterprises inspected / active enterprises in the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.divisions import division_name
from app.domain.results import InspectionKind
from app.domain.risk import RISK_CLASSES, UNCLASSIFIED
from app.models.db import Database
from app.models.registry import Department, InspectionItem, Inspector
from app.services.access.auth import require
from app.services.common.categories import categories
from app.services.stats.figures import (
    RISK_KEYS,
    CoverageRow,
    Row,
    TaskRow,
    category_counts,
    coverage_rows,
    done_tasks,
    group_masks,
    masks_of,
    month_keys,
    multi_visits,
    rows_of,
    sub,
    task_rows,
)
from app.services.stats.frames import (
    Frames,
    Period,
    load_frames,
)
from app.services.stats.publication import PublicationFigures, publication_of


@dataclass
class Dashboard:
    period: Period
    today: date
    frames: Frames
    names: dict[str, dict[int, str]]
    category_names: dict[str, str]
    problem_codes: frozenset[str]
    total: Row
    tasks: TaskRow
    tasks_by_department: list[TaskRow]
    coverage: CoverageRow
    coverage_by_division: list[CoverageRow]
    coverage_by_risk: list[CoverageRow]
    by_risk: list[Row]
    by_department: list[Row]
    by_division: list[Row]
    by_item: list[Row]
    # item key → category code → count of entered results
    item_categories: dict[str, dict[str, int]]
    monthly: list[tuple[str, int, int]]  # month, inspections done, results published
    multi_visited: int
    # number of departments → enterprises (visited more than once) with that many
    multi_by_departments: dict[int, int]
    workload: list[tuple[str, str, int]]  # inspector key, label, inspections
    other: dict[str, dict[str, int]]
    publication: PublicationFigures
    masks: dict[str, np.ndarray] = field(default_factory=dict)

    # --- drill-down ------------------------------------------------------------------

    def ids(self, dimension: str, key: str = "", measure: str = "inspections") -> list[int]:
        """The inspection ids behind one number of the dashboard."""
        f = self.frames
        sel = self._dimension_mask(dimension, key) & self.masks["random"]
        if dimension == "category":
            return [int(i) for i in f.ins_id[sel]]
        if measure != "inspections":
            sel &= self.masks[measure]
        return [int(i) for i in f.ins_id[sel]]

    def _dimension_mask(self, dimension: str, key: str) -> np.ndarray:
        f = self.frames
        n = len(f.ins_id)
        if dimension == "all":
            return np.ones(n, dtype=bool)
        if dimension == "risk":
            return np.asarray(f.ins_risk == key)
        if dimension == "division":
            return np.asarray(f.ins_division == key)
        if dimension == "month":
            return np.asarray(month_keys(f.ins_done_on) == key)
        if dimension in ("department", "item", "category"):
            if dimension == "department":
                rows = f.res_dept == int(key)
            elif dimension == "item":
                rows = f.res_item == int(key)
            else:
                item, code = key.split("|", 1)
                rows = (f.res_item == int(item)) & (f.res_category == code)
            out = np.zeros(n, dtype=bool)
            out[f.res_ins[rows]] = True
            return out
        if dimension in ("inspector", "inspectors"):
            wanted = [int(k) for k in key.split(",") if k]
            out = np.zeros(n, dtype=bool)
            out[f.mem_ins[np.isin(f.mem_inspector, wanted)]] = True
            return out
        if dimension == "multi":
            return np.isin(f.ins_target, self._multi_targets())
        raise ValueError(f"未知的统计维度：{dimension}")

    def _multi_targets(self) -> np.ndarray:
        targets = self.frames.ins_target[self.masks["random"]]
        uniq, counts = np.unique(targets, return_counts=True)
        return np.asarray(uniq[counts > 1])

    # --- the command's JSON ----------------------------------------------------------

    def headline(self) -> dict[str, Any]:
        by_risk = {
            r.key: {
                "inspected": r.inspected,
                "with_problems": r.with_problems,
                "problem_rate": r.problem_rate,
            }
            for r in self.by_risk
            if r.key in RISK_CLASSES
        }
        pub = self.publication
        return {
            "year": self.period.start.year,
            "tasks": {
                "planned": self.tasks.planned,
                "drawn": self.tasks.drawn,
                "done": self.tasks.done,
            },
            "inspections": self.total.inspections,
            "by_risk_class": by_risk,
            "results_on_time": self.total.on_time,
            "results_late": self.total.late,
            "enterprises_visited_more_than_once": self.multi_visited,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "inspected": self.total.inspected,
            "with_problems": self.total.with_problems,
            "problem_rate": self.total.problem_rate,
            "results_overdue": self.total.overdue,
            "targets_drawn": self.tasks.targets_drawn,
            "coverage": self.coverage.coverage,
            "unclassified": next(
                (
                    {"inspected": r.inspected, "with_problems": r.with_problems}
                    for r in self.by_risk
                    if r.key == UNCLASSIFIED
                ),
                {"inspected": 0, "with_problems": 0},
            ),
            "publication": {"on_time": pub.on_time, "late": pub.late, "overdue": pub.overdue},
            "other_inspections": self.other,
        }


def _names(s: Session) -> dict[str, dict[int, str]]:
    inspectors = {
        i: f"{n}（{d}）"
        for i, n, d in s.execute(
            select(Inspector.id, Inspector.name, Department.name).join(
                Department, Department.id == Inspector.department_id
            )
        )
    }
    return {
        "department": dict(s.execute(select(Department.id, Department.name)).all()),
        "item": dict(s.execute(select(InspectionItem.id, InspectionItem.name)).all()),
        "inspector": inspectors,
    }


def build_dashboard(db: Database, period: Period, today: date | None = None) -> Dashboard:
    """Every figure of the period; read-only, for anyone who may view."""
    require(Permission.VIEW)
    today = today or date.today()
    with db.session() as s:
        cats = categories(s)
        names = _names(s)
    problem = frozenset(c.code for c in cats.categories if c.is_problem)
    f = load_frames(db, period, problem)
    with db.session() as s:
        published = (f.ins_kind == InspectionKind.RANDOM.value) & (f.ins_task >= 0)
        pub = publication_of(s, f.ins_id[published], f.ins_task[published], today)
    masks = masks_of(f, today)
    rnd = masks["random"]
    rm = sub(masks, rnd)

    def dept_label(k: Any) -> str:
        return names["department"].get(int(k), f"部门{k}")

    def item_label(k: Any) -> str:
        return names["item"].get(int(k), f"事项{k}")

    total = rows_of(np.zeros(int(rnd.sum()), dtype=np.int64), rm, lambda _k: "合计", [0])[0]
    by_risk = rows_of(f.ins_risk[rnd], rm, lambda k: str(k), list(RISK_KEYS))
    by_division = rows_of(f.ins_division[rnd], rm, lambda k: division_name(str(k)))
    dkeys, dmasks = group_masks(f, f.res_dept, masks, today)
    by_department = rows_of(dkeys, dmasks, dept_label)
    ikeys, imasks = group_masks(f, f.res_item, masks, today)
    by_item = rows_of(ikeys, imasks, item_label)

    item_categories = category_counts(f, rnd)

    # Tasks: one row per (task, department); the totals count each task once.
    task_done = done_tasks(f, masks)
    tasks_by_department = task_rows(f, task_done, f.task_dept, dept_label)
    tasks = task_rows(f, task_done, np.zeros(len(f.task_id), dtype=np.int64), lambda _k: "合计")
    task_total = tasks[0] if tasks else TaskRow("0", "合计", 0, 0, 0, 0)

    coverage, by_div_cov, by_risk_cov = coverage_rows(f, rnd)
    months = month_keys(f.ins_done_on)
    monthly = []
    pub_months = pub.monthly
    for m in range(1, 13):
        key = f"{period.start.year}-{m:02d}"
        done = int(((months == key) & rnd).sum())
        monthly.append((key, done, pub_months.get(key, 0)))

    multi, multi_by = multi_visits(f, rnd)
    other = {}
    for kind in (InspectionKind.CASE, InspectionKind.SPECIAL):
        sel = f.ins_kind == kind.value
        other[kind.value] = {
            "inspections": int(sel.sum()),
            "inspected": int((sel & masks["inspected"]).sum()),
            "with_problems": int((sel & masks["with_problems"]).sum()),
        }
    return Dashboard(
        period=period,
        today=today,
        frames=f,
        names=names,
        category_names={c.code: c.name for c in cats.categories},
        problem_codes=frozenset(c.code for c in cats.categories if c.is_problem),
        total=total,
        tasks=task_total,
        tasks_by_department=tasks_by_department,
        coverage=coverage,
        coverage_by_division=by_div_cov,
        coverage_by_risk=by_risk_cov,
        by_risk=by_risk,
        by_department=by_department,
        by_division=by_division,
        by_item=by_item,
        item_categories=item_categories,
        monthly=monthly,
        multi_visited=len(multi),
        multi_by_departments=multi_by,
        workload=_workload(f, rnd, names["inspector"]),
        other=other,
        publication=pub,
        masks=masks,
    )


def _workload(f: Frames, rnd: np.ndarray, names: dict[int, str]) -> list[tuple[str, str, int]]:
    """Random inspections per inspector (current team places), most first."""
    ids, counts = np.unique(f.mem_inspector[rnd[f.mem_ins]], return_counts=True)
    out = [
        (str(i), names.get(i, str(i)), c)
        for i, c in zip(ids.tolist(), counts.tolist(), strict=True)
    ]
    return sorted(out, key=lambda r: (-r[2], r[1]))
