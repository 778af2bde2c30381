"""Pool preview over a 1,000,000-target registry: time from an edit to the answer.

    python bench/pool_preview.py [--targets N] [--db URL] [--repeat K]

Fills a demo database once (cached under /tmp/dualrandom-bench for SQLite),
then times `preview_pool` the way the task editor calls it after an edit —
scope changes and rule changes, with the demo plan's other tasks of the same
period counted for overlap — and, for scale, building a whole-city manifest.
Target: every preview under 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.domain.planning import DistrictRule, PlanKind, SamplingRule
from app.models.db import Database, open_database
from app.models.registry import Target
from app.services import planning, pool_preview
from app.services.demo import fill_demo
from app.services.demo_plans import create_demo_plans
from app.services.manifest_builder import build_task_manifest
from app.services.plan_types import PlanSpec, Scope, TaskSpec
from app.services.pool_histogram import forget
from app.services.pool_preview import preview_pool, warm_histograms

CACHE = Path("/tmp/dualrandom-bench")
TODAY = date(2026, 3, 2)
BUDGET_S = 0.5
BENCH_PLAN = "LC-BENCH-2026"


def _database(url: str | None, targets: int) -> Database:
    if url is None:
        CACHE.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{CACHE / f'pool-{targets}.sqlite'}"
    db = open_database(url)
    with db.session() as s:
        have = s.scalar(select(func.count()).select_from(Target)) or 0
    if have == 0:
        started = time.perf_counter()
        fill_demo(db, targets=targets, today=TODAY)
        print(f"demo data: {targets:,} targets in {time.perf_counter() - started:.1f} s")
    if not planning.list_plans(db):
        create_demo_plans(db, TODAY)
    return db


def _base() -> TaskSpec:
    """A city-wide joint task in the same period as every demo task."""
    return TaskSpec(
        code="LC-LH-2026-009",
        title="基准：全市联合抽查",
        item_codes=("SCJGJ-002", "WJW-001", "YJJ-003"),
        departments={"SCJGJ": 1, "WJW": 1, "YJJ": 1},
        rules=(
            SamplingRule("A", ratio_bp=300),
            SamplingRule("B", ratio_bp=500),
            SamplingRule("C", ratio_bp=500),
            SamplingRule("D", ratio_bp=500),
        ),
        planned_start=date(2026, 4, 1),
        planned_end=date(2026, 11, 30),
        team_size=3,
    )


def _edits() -> list[tuple[str, TaskSpec]]:
    base = _base()
    counties = ("371502", "371503", "371521")
    return [
        ("全市（无范围限制）", base),
        ("改比例 A 3%→2%", replace(base, rules=(SamplingRule("A", ratio_bp=200), *base.rules[1:]))),
        ("改人员规则 异地交叉", replace(base, district_rule=DistrictRule.DIFFERENT)),
        ("区划 3 个县区", replace(base, scope=Scope(divisions=counties))),
        ("区划 1 + 主体类型 企业", replace(base, scope=Scope(("371502",), ("企业",)))),
        ("行业前缀 52 + 62", replace(base, scope=Scope(industries=("52", "62")))),
        ("成立日期早于 2015-01-01", replace(base, scope=Scope(registered_before=date(2015, 1, 1)))),
        ("标签 食品经营（JSON，无索引）", replace(base, scope=Scope(tags=("食品经营",)))),
    ]


def _run_edits(db: Database, repeat: int, title: str) -> float:
    print(f"-- {title}")
    worst = 0.0
    print(f"{'edit':<28} {'median':>8} {'max':>8}  candidates  expected  overlaps")
    for label, spec in _edits():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = preview_pool(db, spec, year=2026, on=TODAY)
            times.append(time.perf_counter() - started)
        worst = max(worst, max(times))
        print(
            f"{label:<28} {statistics.median(times) * 1000:>6.0f}ms {max(times) * 1000:>6.0f}ms"
            f"  {result.candidates:>10,}  {result.expected:>8,}  {len(result.overlaps):>8}"
        )
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--db", default=None, help="database URL (default: cached SQLite file)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="also time the SQL-only path")
    args = parser.parse_args()
    db = _database(args.db, args.targets)
    print(f"database: {db.describe()}")
    others = sum(len(p.tasks) for p in planning.list_plans(db) if p.year == 2026)
    assert others, "the demo plan of 2026 is missing"
    print(f"other tasks of 2026 checked for overlap: {others}")
    preview_pool(db, _base(), year=2026, on=TODAY)  # warm the page cache once
    forget()
    started = time.perf_counter()
    preview_pool(db, _base(), year=2026, on=TODAY)
    cold = time.perf_counter() - started
    print(f"first preview, nothing cached (histograms loaded): {cold * 1000:.0f} ms")
    forget()
    started = time.perf_counter()
    loaded = warm_histograms(db)
    warmed = time.perf_counter() - started
    started = time.perf_counter()
    preview_pool(db, _base(), year=2026, on=TODAY)
    first = time.perf_counter() - started
    print(
        f"plans page opening: {loaded} histograms in {warmed * 1000:.0f} ms (background); "
        f"then the first preview: {first * 1000:.0f} ms"
    )

    worst = _run_edits(db, args.repeat, "cached histograms (tags and dates applied in SQL)")
    verdict = "OK" if worst < BUDGET_S else "SLOWER THAN BUDGET"
    print(f"worst preview after an edit: {worst * 1000:.0f} ms (budget 500 ms) {verdict}")
    if args.sql:
        pool_preview.USE_HISTOGRAM = False  # every count by SQL
        _run_edits(db, args.repeat, "SQL only (GROUP BY + SUM(CASE) per other task)")

    if not any(p.code == BENCH_PLAN for p in planning.list_plans(db)):
        planning.create_plan(
            db,
            PlanSpec(BENCH_PLAN, 2026, "基准测试计划", PlanKind.JOINT, "SCJGJ", ("WJW", "YJJ")),
        )
    code = "LC-BENCH-2026-001"
    planning.save_task(db, BENCH_PLAN, replace(_base(), code=code))
    started = time.perf_counter()
    manifest, _report = build_task_manifest(db, code, on=TODAY)
    took = time.perf_counter() - started
    planning.delete_task(db, code)
    print(
        f"manifest of a city-wide task: {len(manifest['candidates']):,} candidates, "
        f"{len(manifest['inspectors']['pool'])} inspectors, built in {took:.2f} s"
    )
    db.dispose()


if __name__ == "__main__":
    main()
