"""Pool preview over a 1,000,000-target registry: time from an edit to the answer.

    python bench/pool_preview.py [--targets N] [--db URL] [--repeat K] [--sql]

Fills a demo database once (cached under /tmp/dualrandom-bench for SQLite;
or pass a file filled by `dualrandom demo --targets 1000000 --db FILE`),
then times `preview_pool` the way the task editor calls it after an edit —
rule changes, scope changes, and founding dates and tag sets never used
before (a new value each repetition, on and around year boundaries), with
the demo plan's other tasks of the same period counted for overlap. Wall
and CPU time (`time.process_time`) side by side, so figures taken while
other jobs load the machine can be judged. Also: the summary's cold load,
and for scale a whole-city manifest. Target: every preview under 0.5 s.
With --sql every edit is repeated on the SQL-only path and the answers are
compared.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from app.domain.planning import DistrictRule, PlanKind, SamplingRule
from app.models.db import Database, open_database
from app.models.registry import Target
from app.services.demo.fill import fill_demo
from app.services.demo.plans import create_demo_plans
from app.services.draws.manifest import build_task_manifest
from app.services.plans import planning
from app.services.plans.pool import histogram as pool_histogram
from app.services.plans.pool import preview as pool_preview
from app.services.plans.pool.preview import PoolPreview, preview_pool, warm_histograms
from app.services.plans.values import PlanSpec, Scope, TaskSpec

CACHE = Path("/tmp/dualrandom-bench")
TODAY = date(2026, 3, 2)
BUDGET_S = 0.5
BENCH_PLAN = "LC-BENCH-2026"
COUNTIES = ("371502", "371503", "371521")
DEMO_TAGS = ("食品经营", "公共场所", "特种设备使用", "食品生产", "药品经营", "进出口", "危险化学品")


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


def _fresh_dates() -> Iterator[date]:
    """Founding-date bounds never used before: each year's last day, first and second."""
    for year in range(2024, 1990, -1):
        yield from (date(year - 1, 12, 31), date(year, 1, 1), date(year, 1, 2))
    for day in itertools.count():
        yield date.fromordinal(date(1990, 1, 1).toordinal() + 7 * day)


def _fresh_tags() -> Iterator[tuple[str, ...]]:
    """Tag sets never used before: pairs, then triples of the demo tags (and one unknown)."""
    for size in (2, 3, 4):
        yield from itertools.combinations((*DEMO_TAGS, "未登记标签"), size)


Edit = Callable[[TaskSpec], TaskSpec]
T = TypeVar("T")


def _edits() -> list[tuple[str, Edit]]:
    dates, tags = _fresh_dates(), _fresh_tags()
    rules = itertools.count(1)

    def scope(**fields: object) -> Edit:
        return lambda base: replace(base, scope=Scope(**fields))  # type: ignore[arg-type]

    return [
        ("全市（无范围限制）", lambda base: base),
        (
            "改比例 A（每次新值）",
            lambda base: replace(
                base, rules=(SamplingRule("A", ratio_bp=100 + next(rules)), *base.rules[1:])
            ),
        ),
        ("改人员规则 异地交叉", lambda base: replace(base, district_rule=DistrictRule.DIFFERENT)),
        ("区划 3 个县区", scope(divisions=COUNTIES)),
        ("区划 1 + 主体类型 企业", scope(divisions=COUNTIES[:1], entity_types=("企业",))),
        ("行业前缀 52 + 62", scope(industries=("52", "62"))),
        (
            "成立日期早于（每次新日期）",
            lambda base: replace(base, scope=Scope(registered_before=next(dates))),
        ),
        ("标签（每次新组合）", lambda base: replace(base, scope=Scope(tags=next(tags)))),
        (
            "区划+行业+标签+日期（每次新值）",
            lambda base: replace(
                base,
                scope=Scope(
                    divisions=COUNTIES[:2],
                    industries=("52", "62", "14"),
                    tags=next(tags),
                    registered_before=next(dates),
                ),
            ),
        ),
    ]


def _timed(call: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


HEADER = f"{'wall med':>8} {'max':>7} {'cpu med':>7} {'max':>7}"


def _pad(label: str, width: int = 34) -> str:
    """`label` left-aligned in `width` terminal columns (a CJK character takes two)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in label)
    return label + " " * max(0, width - len(label) - wide)


def _stats(walls: list[float], cpus: list[float]) -> str:
    return (
        f"{statistics.median(walls) * 1000:>8.1f} {max(walls) * 1000:>7.1f}"
        f" {statistics.median(cpus) * 1000:>7.1f} {max(cpus) * 1000:>7.1f}"
    )


def _answer(p: PoolPreview) -> tuple[object, ...]:
    return p.counts(), tuple((o.task_code, o.shared, round(o.expected_both, 6)) for o in p.overlaps)


def _run_edits(db: Database, repeat: int, compare: bool) -> float:
    """Time every edit `repeat` times (new values each time); the worst wall time."""
    header = f"{_pad('edit (ms)')} {HEADER}  overlaps"
    print(header + ("   sql med   sql max  same" if compare else ""))
    worst = 0.0
    for label, edit in _edits():
        walls, cpus, sql_walls, same = [], [], [], True
        for _ in range(repeat):
            spec = edit(_base())
            preview = partial(preview_pool, db, spec, year=2026, on=TODAY)
            result, wall, cpu = _timed(preview)
            walls.append(wall)
            cpus.append(cpu)
            if compare:
                pool_preview.USE_HISTOGRAM = False  # every count by SQL: the reference
                exact, sql_wall, _ = _timed(preview)
                pool_preview.USE_HISTOGRAM = True
                sql_walls.append(sql_wall)
                same &= _answer(result) == _answer(exact)
        worst = max(worst, *walls)
        overlaps = len(result.overlaps)
        line = f"{_pad(label)} {_stats(walls, cpus)}  {overlaps:>8}"
        if compare:
            sql = f"{statistics.median(sql_walls) * 1000:>9.0f} {max(sql_walls) * 1000:>9.0f}"
            line += f"  {sql}  {'yes' if same else 'NO'}"
        print(line)
    return worst


def _cold(db: Database, repeat: int) -> None:
    """The summary loaded from nothing: by the plans page, and by a first preview."""
    loads: tuple[list[float], list[float]] = ([], [])
    previews: tuple[list[float], list[float]] = ([], [])
    groups = 0
    for _ in range(repeat):
        pool_histogram.forget()
        groups, wall, cpu = _timed(lambda: warm_histograms(db))
        loads[0].append(wall)
        loads[1].append(cpu)
        pool_histogram.forget()
        _, wall, cpu = _timed(lambda: preview_pool(db, _base(), year=2026, on=TODAY))
        previews[0].append(wall)
        previews[1].append(cpu)
    with db.session() as s:
        hist = pool_histogram.histogram_for(s, s.get_bind().url.render_as_string())
    arrays = (hist.dated.keyed, hist.tagged.keyed, hist.pair_group, hist.pair_code)
    size = sum(a.nbytes for a in arrays) / 2**20
    print(
        f"summary: {groups:,} groups, {len(hist.pair_group):,} (group, tag text) pairs, "
        f"{len(hist.tag_texts)} tag texts, {len(hist.odd)} odd dates, arrays {size:.1f} MB"
    )
    print(f"{_pad('cold (ms)')} {HEADER}")
    print(f"{_pad('load (plans page, background)')} {_stats(*loads)}")
    print(f"{_pad('first preview, nothing cached')} {_stats(*previews)}")


def _manifest(db: Database) -> None:
    if not any(p.code == BENCH_PLAN for p in planning.list_plans(db)):
        planning.create_plan(
            db,
            PlanSpec(BENCH_PLAN, 2026, "基准测试计划", PlanKind.JOINT, "SCJGJ", ("WJW", "YJJ")),
        )
    code = "LC-BENCH-2026-001"
    planning.save_task(db, BENCH_PLAN, replace(_base(), code=code))
    (manifest, _report), took, cpu = _timed(lambda: build_task_manifest(db, code, on=TODAY))
    planning.delete_task(db, code)
    print(
        f"manifest of a city-wide task: {len(manifest['candidates']):,} candidates, "
        f"{len(manifest['inspectors']['pool'])} inspectors, built in {took:.2f} s (cpu {cpu:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--db", default=None, help="database URL (default: cached SQLite file)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sql", action="store_true", help="compare with the SQL-only path")
    parser.add_argument("--no-manifest", action="store_true", help="skip the manifest")
    args = parser.parse_args()
    db = _database(args.db, args.targets)
    print(f"database: {db.describe()}")
    others = sum(len(p.tasks) for p in planning.list_plans(db) if p.year == 2026)
    assert others, "the demo plan of 2026 is missing"
    print(f"other tasks of 2026 checked for overlap: {others}")
    preview_pool(db, _base(), year=2026, on=TODAY)  # the file into the page cache once
    _cold(db, 3)
    print("-- after an edit (summary loaded; dates and tag sets new each time)")
    worst = _run_edits(db, args.repeat, args.sql)
    verdict = "OK" if worst < BUDGET_S else "SLOWER THAN BUDGET"
    print(f"worst preview after an edit: {worst * 1000:.0f} ms (budget 500 ms) {verdict}")
    if not args.no_manifest:
        _manifest(db)
    db.dispose()


if __name__ == "__main__":
    main()
