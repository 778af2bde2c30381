"""The data of the four charts, shared by the page (QtCharts) and the PDF (reportlab).

Each chart is plain lists, with the drill-down (dimension, key, measure) of
every bar or point, so both renderings show the same numbers and the page
can open the inspections behind any bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.risk import RISK_LABELS
from app.domain.stats import ITEM_LABEL_CHARS, bands, short_labels
from app.services.stats.dashboard import Dashboard

Drill = tuple[str, str, str]  # dimension, key, measure (Dashboard.ids)


@dataclass(frozen=True)
class Bars:
    title: str
    labels: list[str]
    values: list[float]
    drills: list[Drill]
    notes: list[str]


@dataclass(frozen=True)
class Stack:
    title: str
    labels: list[str]  # one per bar (item), the whole name
    series: list[tuple[str, list[int]]]  # category name, count per bar
    drills: list[list[Drill]]  # [series][bar]

    def short_labels(self, limit: int = ITEM_LABEL_CHARS) -> list[str]:
        return short_labels(self.labels, limit)


@dataclass(frozen=True)
class Lines:
    title: str
    labels: list[str]  # months
    series: list[tuple[str, list[int] | None]]  # None: no data (publication not built)
    drills: list[Drill]


def problem_rate_bars(d: Dashboard) -> Bars:
    rows = [r for r in d.by_risk if r.inspections or r.key in RISK_LABELS]
    return Bars(
        "问题发现率（按风险分类）",
        [f"{r.key}类" if r.key in RISK_LABELS else r.key for r in rows],
        [r.problem_rate for r in rows],
        [("risk", r.key, "with_problems") for r in rows],
        [
            f"{r.with_problems}/{r.inspected}"
            + (f"（95%区间 {r.interval.text()}）" if r.interval else "")
            for r in rows
        ],
    )


def category_stack(d: Dashboard, limit: int = 12) -> Stack:
    """The `limit` items inspected most, each with its count per result category."""
    items = sorted(d.by_item, key=lambda r: -r.inspections)[:limit]
    codes = sorted({c for r in items for c in d.item_categories.get(r.key, {})})
    series = [
        (d.category_names.get(c, c), [d.item_categories.get(r.key, {}).get(c, 0) for r in items])
        for c in codes
    ]
    drills = [[("category", f"{r.key}|{c}", "inspections") for r in items] for c in codes]
    title = "结果类型（按事项）"
    if len(d.by_item) > limit:
        title = f"结果类型（按事项，检查户次最多的 {limit} 项）"
    return Stack(title, [r.label for r in items], series, drills)


def monthly_lines(d: Dashboard) -> Lines:
    published = [p for _m, _n, p in d.monthly]
    return Lines(
        "每月完成检查与公示结果（月份）",
        [str(int(m[5:])) for m, _n, _p in d.monthly],
        [("完成检查", [n for _m, n, _p in d.monthly]), ("公示结果", published)],
        [("month", m, "inspections") for m, _n, _p in d.monthly],
    )


def workload_histogram(d: Dashboard, bins: int = 8) -> Bars:
    """Inspectors per band of inspections done; each bar drills to their inspections."""
    counts = [n for _k, _l, n in d.workload]
    if not counts:
        return Bars("检查人员工作量分布", [], [], [], [])
    labels, values, drills, notes = [], [], [], []
    for lo, hi in bands(min(counts), max(counts), bins):
        keys = [k for k, _l, n in d.workload if lo <= n <= hi]
        labels.append(f"{lo}" if lo == hi else f"{lo}–{hi}")
        values.append(float(len(keys)))
        drills.append(("inspectors", ",".join(keys), "inspections"))
        notes.append(f"{len(keys)} 人")
    return Bars("检查人员工作量分布（人数/检查户次）", labels, values, drills, notes)
