"""The numpy side of the dashboard: rows of a breakdown and the masks they count.

Pure functions over `Frames` arrays (no database): the definitions of
inspected, with problems, on time, late and overdue live in `masks`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from app.domain.divisions import division_name
from app.domain.planning import PlanState
from app.domain.results import InspectionKind
from app.domain.risk import RISK_CLASSES, UNCLASSIFIED
from app.domain.stats import Interval, rate, wilson
from app.services.stats.frames import Frames

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


def month_keys(days: np.ndarray) -> np.ndarray:
    out = np.full(len(days), "", dtype=object)
    ok = ~np.isnat(days)
    out[ok] = np.datetime_as_string(days[ok], unit="M")
    return out


def rows_of(
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


def masks_of(f: Frames, today: date) -> dict[str, np.ndarray]:
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


def sub(masks: dict[str, np.ndarray], sel: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[sel] for k, v in masks.items()}


def group_masks(
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
    return pair_keys[keep], sub(masks, keep)


def category_counts(f: Frames, rnd: np.ndarray) -> dict[str, dict[str, int]]:
    """Item key → category code → entered results of random inspections."""
    entered = (f.res_category != "") & rnd[f.res_ins]
    codes, code_of = np.unique(f.res_category[entered], return_inverse=True)
    width = max(len(codes), 1)
    pairs, counts = np.unique(f.res_item[entered] * width + code_of, return_counts=True)
    out: dict[str, dict[str, int]] = {}
    for pair, n in zip(pairs.tolist(), counts.tolist(), strict=True):
        out.setdefault(str(pair // width), {})[str(codes[pair % width])] = n
    return out


def done_tasks(f: Frames, masks: dict[str, np.ndarray]) -> set[int]:
    done = {int(t) for t, st in zip(f.task_id, f.task_state, strict=True) if st == "done"}
    has = f.ins_task >= 0
    tasks, inv = np.unique(f.ins_task[has], return_inverse=True)
    if len(tasks):
        n = np.bincount(inv)
        ok = np.bincount(inv, weights=masks["inspected"][has])
        done |= {int(t) for t, a, b in zip(tasks, n, ok, strict=True) if a == b}
    return done


def task_rows(
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


def coverage_rows(
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


def multi_visits(f: Frames, rnd: np.ndarray) -> tuple[np.ndarray, dict[int, int]]:
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
