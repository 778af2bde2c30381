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

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.divisions import division_name
from app.domain.planning import PlanState
from app.domain.results import InspectionKind
from app.domain.risk import RISK_CLASSES, UNCLASSIFIED
from app.domain.stats import Interval, rate, wilson
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember
from app.models.registry import Department, InspectionItem, Inspector
from app.services.access.auth import require
from app.services.inspections.common import categories
from app.services.stats.frames import Frames, Period, load_frames, load_members
from app.services.stats.publication import PublicationFigures, publication_figures

RISK_KEYS: tuple[str, ...] = (*RISK_CLASSES, UNCLASSIFIED)
_DRAWN_STATES = {PlanState.DRAWN.value, PlanState.INSPECTING.value, PlanState.DONE.value}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a breakdown table; `key` is what a drill-down asks for."""

    key: str
    label: str
    inspections: int
    inspected: int
    with_problems: int
    on_time: int
    late: int
    overdue: int

    @property
    def problem_rate(self) -> float:
        return rate(self.with_problems, self.inspected)

    @property
    def interval(self) -> Interval | None:
        return wilson(self.with_problems, self.inspected)


@dataclass(frozen=True, slots=True)
class TaskRow:
    key: str
    label: str
    planned: int
    drawn: int
    done: int
    targets_drawn: int


@dataclass(frozen=True, slots=True)
class CoverageRow:
    key: str
    label: str
    registry: int
    inspected_targets: int

    @property
    def coverage(self) -> float:
        return rate(self.inspected_targets, self.registry)


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
    monthly: list[tuple[str, int, int | None]]
    multi_visited: int
    # number of departments → enterprises (visited more than once) with that many
    multi_by_departments: dict[int, int]
    workload: list[tuple[str, str, int]]  # inspector key, label, inspections
    other: dict[str, dict[str, int]]
    publication: PublicationFigures | None
    masks: dict[str, np.ndarray] = field(default_factory=dict)
    db: Database | None = None
    _members: tuple[np.ndarray, ...] | None = None

    def members(self) -> tuple[np.ndarray, ...]:
        """Team places of the period (read on the first drill-down by inspector)."""
        if self._members is None:
            assert self.db is not None
            with self.db.session() as s:
                self._members = load_members(s, self.period, self.frames.ins_id)
        return self._members

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
            return np.asarray(_month_keys(f.ins_done_on) == key)
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
            mem_ins, mem_inspector, _dept = self.members()
            out = np.zeros(n, dtype=bool)
            out[mem_ins[np.isin(mem_inspector, wanted)]] = True
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
            "publication": None
            if pub is None
            else {"on_time": pub.on_time, "late": pub.late, "overdue": pub.overdue},
            "other_inspections": self.other,
        }


def _month_keys(days: np.ndarray) -> np.ndarray:
    out = np.full(len(days), "", dtype=object)
    ok = ~np.isnat(days)
    out[ok] = np.datetime_as_string(days[ok], unit="M")
    return out


def _rows(
    keys: np.ndarray,
    masks: dict[str, np.ndarray],
    label: Callable[[Any], str],
    order: list[Any] | None = None,
) -> list[Row]:
    """One Row per distinct key (or per key of `order`, zeros included)."""
    uniq, inv = np.unique(keys, return_inverse=True) if len(keys) else (np.array([]), None)
    counts: dict[str, np.ndarray] = {}
    for name in ("all", "inspected", "with_problems", "on_time", "late", "overdue"):
        if inv is None:
            counts[name] = np.zeros(0, dtype=np.int64)
        else:
            counts[name] = np.bincount(inv, weights=masks[name], minlength=len(uniq)).astype(int)
    pos = {u: i for i, u in enumerate(uniq.tolist())}
    out = []
    for k in order if order is not None else uniq.tolist():
        i = pos.get(k)

        def c(name: str, i: int | None = i) -> int:
            return 0 if i is None else int(counts[name][i])

        out.append(
            Row(
                str(k),
                label(k),
                c("all"),
                c("inspected"),
                c("with_problems"),
                c("on_time"),
                c("late"),
                c("overdue"),
            )
        )
    return out


def _masks(f: Frames, today: date) -> dict[str, np.ndarray]:
    inspected = (f.ins_items > 0) & (f.ins_entered == f.ins_items)
    late_entry = ~np.isnat(f.ins_due) & ~np.isnat(f.ins_last_entry) & (f.ins_last_entry > f.ins_due)
    past_due = ~np.isnat(f.ins_due) & (f.ins_due < np.datetime64(today, "D"))
    return {
        "random": f.ins_kind == InspectionKind.RANDOM.value,
        "all": np.ones(len(f.ins_id), dtype=bool),
        "inspected": inspected,
        "with_problems": inspected & (f.ins_problems > 0),
        "on_time": inspected & ~late_entry,
        "late": inspected & late_entry,
        "overdue": ~inspected & past_due,
    }


def _sub(masks: dict[str, np.ndarray], sel: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[sel] for k, v in masks.items()}


def _group_masks(
    f: Frames, keys: np.ndarray, ins_masks: dict[str, np.ndarray], today: date
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Masks per (inspection, key) pair from result rows: a department's or item's part."""
    # One int64 per pair (inspection index, key): a 1-D unique is several times faster.
    width = int(keys.max()) + 1 if len(keys) else 1
    packed = f.res_ins.astype(np.int64) * width + keys
    uniq, inv = np.unique(packed, return_inverse=True)
    inv = np.asarray(inv).reshape(-1)
    n = len(uniq)
    items = np.bincount(inv, minlength=n)
    entered = np.bincount(inv, weights=f.res_category != "", minlength=n)
    problems = np.bincount(inv, weights=f.res_problem, minlength=n)
    ins = uniq // width
    pair_keys = uniq % width
    inspected = (items > 0) & (entered == items)
    late = ins_masks["late"][ins] if n else np.zeros(0, dtype=bool)
    past_due = ~np.isnat(f.ins_due[ins]) & (f.ins_due[ins] < np.datetime64(today, "D"))
    masks = {
        "all": np.ones(n, dtype=bool),
        "inspected": inspected,
        "with_problems": inspected & (problems > 0),
        "on_time": inspected & ~late,
        "late": inspected & late,
        "overdue": ~inspected & past_due,
    }
    keep = ins_masks["random"][ins] if n else np.zeros(0, dtype=bool)
    return pair_keys[keep], _sub(masks, keep)


def _inspector_names(s: Session) -> dict[int, str]:
    return {
        i: f"{n}（{d}）"
        for i, n, d in s.execute(
            select(Inspector.id, Inspector.name, Department.name).join(
                Department, Department.id == Inspector.department_id
            )
        )
    }


def _names(db: Database, inspectors: dict[int, str]) -> dict[str, dict[int, str]]:
    with db.session() as s:
        return {
            "department": dict(s.execute(select(Department.id, Department.name)).all()),
            "item": dict(s.execute(select(InspectionItem.id, InspectionItem.name)).all()),
            "inspector": inspectors,
        }


def build_dashboard(db: Database, period: Period, today: date | None = None) -> Dashboard:
    """Every figure of the period; read-only, for anyone who may view."""
    require(Permission.VIEW)
    today = today or date.today()

    def side() -> tuple[list[tuple[str, str, int]], dict[str, dict[int, str]]]:
        # Its own connection: the database works on it while this thread reads the frames.
        with db.session() as s2:
            inspectors = _inspector_names(s2)
            return _workload(s2, period, inspectors), _names(db, inspectors)

    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(side)
        with db.session() as s:
            cats = categories(s)
            f = load_frames(s, period, frozenset(c.code for c in cats.categories if c.is_problem))
            pub = publication_figures(s, period, today)
        workload, names = later.result()
    masks = _masks(f, today)
    rnd = masks["random"]
    rm = _sub(masks, rnd)

    def dept_label(k: Any) -> str:
        return names["department"].get(int(k), f"部门{k}")

    def item_label(k: Any) -> str:
        return names["item"].get(int(k), f"事项{k}")

    total = _rows(np.zeros(int(rnd.sum()), dtype=np.int64), rm, lambda _k: "合计", [0])[0]
    by_risk = _rows(f.ins_risk[rnd], rm, lambda k: str(k), list(RISK_KEYS))
    by_division = _rows(f.ins_division[rnd], rm, lambda k: division_name(str(k)))
    dkeys, dmasks = _group_masks(f, f.res_dept, masks, today)
    by_department = _rows(dkeys, dmasks, dept_label)
    ikeys, imasks = _group_masks(f, f.res_item, masks, today)
    by_item = _rows(ikeys, imasks, item_label)

    # Result categories per item (random inspections, entered results).
    entered = (f.res_category != "") & rnd[f.res_ins] if len(f.res_ins) else np.zeros(0, bool)
    item_categories: dict[str, dict[str, int]] = {}
    for item, code in zip(
        f.res_item[entered].tolist(), f.res_category[entered].tolist(), strict=True
    ):
        per = item_categories.setdefault(str(item), {})
        per[code] = per.get(code, 0) + 1

    # Tasks: one row per (task, department); the totals count each task once.
    task_done = _done_tasks(f, masks)
    tasks_by_department = _task_rows(f, task_done, f.task_dept, dept_label)
    tasks = _task_rows(f, task_done, np.zeros(len(f.task_id), dtype=np.int64), lambda _k: "合计")
    task_total = tasks[0] if tasks else TaskRow("0", "合计", 0, 0, 0, 0)

    coverage, by_div_cov, by_risk_cov = _coverage(f, rnd)
    months = _month_keys(f.ins_done_on)
    monthly = []
    pub_months = pub.monthly if pub is not None else None
    for m in range(1, 13):
        key = f"{period.start.year}-{m:02d}"
        done = int(((months == key) & rnd).sum())
        monthly.append((key, done, None if pub_months is None else pub_months.get(key, 0)))

    multi, multi_by = _multi(f, rnd)
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
        workload=workload,
        other=other,
        publication=pub,
        masks=masks,
        db=db,
    )


def _done_tasks(f: Frames, masks: dict[str, np.ndarray]) -> set[int]:
    done = {int(t) for t, st in zip(f.task_id, f.task_state, strict=True) if st == "done"}
    has = f.ins_task >= 0
    tasks, inv = np.unique(f.ins_task[has], return_inverse=True)
    if len(tasks):
        n = np.bincount(inv)
        ok = np.bincount(inv, weights=masks["inspected"][has])
        done |= {int(t) for t, a, b in zip(tasks, n, ok, strict=True) if a == b}
    return done


def _task_rows(
    f: Frames, done: set[int], keys: np.ndarray, label: Callable[[Any], str]
) -> list[TaskRow]:
    groups: dict[int, dict[int, tuple[str, int]]] = {}
    for tid, st, k, n in zip(
        f.task_id.tolist(),
        f.task_state.tolist(),
        keys.tolist(),
        f.task_drawn_targets.tolist(),
        strict=True,
    ):
        groups.setdefault(k, {})[tid] = (st, n)
    out = []
    for k, tasks in sorted(groups.items()):
        planned = [t for t, (st, _) in tasks.items() if st != PlanState.DRAFT.value]
        drawn = [t for t in planned if tasks[t][0] in _DRAWN_STATES]
        out.append(
            TaskRow(
                str(k),
                label(k),
                len(planned),
                len(drawn),
                sum(1 for t in drawn if t in done),
                sum(tasks[t][1] for t in drawn),
            )
        )
    return out


def _coverage(
    f: Frames, rnd: np.ndarray
) -> tuple[CoverageRow, list[CoverageRow], list[CoverageRow]]:
    seen_t, first = np.unique(f.ins_target[rnd], return_index=True)
    seen_div = f.ins_division[rnd][first]
    seen_risk = f.ins_risk[rnd][first]
    total = CoverageRow("all", "全部", int(f.reg_count.sum()), len(seen_t))
    by_div = [
        CoverageRow(
            d,
            division_name(d),
            int(f.reg_count[f.reg_division == d].sum()),
            int((seen_div == d).sum()),
        )
        for d in sorted(set(f.reg_division.tolist()) | set(seen_div.tolist()))
    ]
    by_risk = [
        CoverageRow(r, r, int(f.reg_count[f.reg_risk == r].sum()), int((seen_risk == r).sum()))
        for r in RISK_KEYS
    ]
    return total, by_div, by_risk


def _multi(f: Frames, rnd: np.ndarray) -> tuple[np.ndarray, dict[int, int]]:
    """Enterprises visited more than once, and how many departments visited each.

    A department visits through its items' results (a joint visit counts for
    every department on it), which is what 多头检查 means to the enterprise.
    """
    uniq, counts = np.unique(f.ins_target[rnd], return_counts=True)
    multi = uniq[counts > 1]
    rows = np.isin(f.ins_target[f.res_ins], multi) & rnd[f.res_ins] if len(f.res_ins) else None
    by: dict[int, int] = {}
    if rows is not None and rows.any():
        pairs = np.unique(np.stack([f.ins_target[f.res_ins[rows]], f.res_dept[rows]]), axis=1)
        _t, per_target = np.unique(pairs[0], return_counts=True)
        for n in per_target.tolist():
            by[n] = by.get(n, 0) + 1
    return multi, dict(sorted(by.items()))


def _workload(s: Session, period: Period, names: dict[int, str]) -> list[tuple[str, str, int]]:
    """Random inspections per inspector (current team places), most first."""
    rows = (
        s.connection()
        .execute(
            select(InspectionMember.inspector_id, func.count())
            .join(Inspection, Inspection.id == InspectionMember.inspection_id)
            .where(
                Inspection.window_start.between(period.start, period.end),
                Inspection.kind == InspectionKind.RANDOM.value,
                InspectionMember.ended_at.is_(None),
            )
            .group_by(InspectionMember.inspector_id)
        )
        .all()
    )
    out = [(str(i), names.get(int(i), str(i)), int(c)) for i, c in rows]
    return sorted(out, key=lambda r: (-r[2], r[1]))
