"""Seconds for the 统计分析 dashboard of a year and for a drill-down list.

    .venv/bin/python bench/dashboard.py [--targets 1000000] [--inspections 50000]
                                        [--db PATH | --url postgresql+psycopg://…] [--gui]

Builds a registry (bench/_draw_db.py; a SQLite file, or an empty PostgreSQL
database), then bulk-inserts a year of random inspections straight into the
tables (two items each, a team of two, results with ~12 % problems, some
entered late, some not yet), 5 % of them second visits under a second task.
Prints the build time, the dashboard time (first call in the process and best
of three) and the drill-down times, with the headline figures. With --gui it
also times the 统计分析 page itself (offscreen): figures computed, tiles,
charts and tables filled, and painted.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text

from app.domain.planning import PlanState
from app.models.db import open_database
from app.models.inspections import Inspection, InspectionMember, InspectionResult
from app.models.plans import AnnualPlan, SamplingTask, TaskDepartment
from app.models.registry import InspectionItem, Inspector, Target
from app.services.stats.dashboard import build_dashboard
from app.services.stats.drill import inspection_lines
from app.services.stats.frames import Period
from bench._draw_db import TASK_CODE, build_registry

CLEAN = ["01"] * 12 + ["07", "09"]
PROBLEMS = ["02", "05", "05", "05", "06", "06", "03", "04"]
PROBLEM = set(PROBLEMS)
# Share of problem results by the enterprise's risk class (class D finds more).
P_PROBLEM = {"A": 0.04, "B": 0.08, "C": 0.15, "D": 0.28}
BATCH = 20_000


def fill(url: str, n: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    db = open_database(url)
    with db.session() as s:
        task = s.scalars(select(SamplingTask).where(SamplingTask.code == TASK_CODE)).one()
        task.state = PlanState.INSPECTING
        plan = s.get(AnnualPlan, task.plan_id)
        second = SamplingTask(
            plan_id=plan.id,
            position=1,
            code="LC-LH-2026-002",
            title="复查",
            is_joint=True,
            planned_start=date(2026, 7, 1),
            planned_end=date(2026, 9, 30),
            state=PlanState.INSPECTING,
        )
        second.departments = [
            TaskDepartment(department_id=d.department_id) for d in task.departments
        ]
        s.add(second)
        s.flush()
        tasks = (task.id, second.id)
        items = [(i.id, i.department_id) for i in s.scalars(select(InspectionItem))]
        inspectors = [(i.id, i.department_id) for i in s.scalars(select(Inspector))]
        n_targets = s.scalar(select(func.count()).select_from(Target)) or 0
        first_id = s.scalar(select(func.min(Target.id))) or 1
    targets = rng.sample(range(first_id, first_id + n_targets), n)
    again = n // 20
    ins, res, mem = [], [], []
    for k in range(n):
        iid = k + 1
        two = k >= n - again
        start = date(2026, 7, 1) if two else date(2026, 4, 1)
        end = start + timedelta(days=90)
        target = targets[k - (n - again)] if two else targets[k]
        visited = start + timedelta(days=rng.randrange(80)) if rng.random() < 0.93 else None
        due = (visited or end) + timedelta(days=28)
        late = rng.random() < 0.08
        lead = rng.choice(inspectors)
        mate = rng.choice(inspectors)
        if mate == lead:
            mate = inspectors[(inspectors.index(lead) + 1) % len(inspectors)]
        ins.append(
            {
                "id": iid,
                "kind": "random",
                "task_id": tasks[1 if two else 0],
                "target_id": target,
                "lead_department_id": lead[1],
                "window_start": start,
                "window_end": end,
                "inspected_on": visited,
                "due_date": due,
                "due_date_estimated": False,
                "state": "approved" if visited else "not_entered",
                "created_by": "bench",
                "version": 1,
            }
        )
        for item, dept in items:
            risk = "ABBCD"[(target - first_id) % 5]
            pool = PROBLEMS if rng.random() < P_PROBLEM[risk] else CLEAN
            cat = rng.choice(pool) if visited else None
            entered = None
            if visited:
                day = due + timedelta(days=3) if late else visited + timedelta(days=2)
                entered = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)
            res.append(
                {
                    "inspection_id": iid,
                    "item_id": item,
                    "department_id": dept,
                    "category_code": cat,
                    "is_problem": None if cat is None else cat in PROBLEM,
                    "finding": "",
                    "inspected_on": visited,
                    "entered_at": entered,
                    "state": "approved" if cat else "not_entered",
                    "version": 1,
                }
            )
        for pos, (who, dept) in enumerate((lead, mate), start=1):
            mem.append(
                {"inspection_id": iid, "position": pos, "inspector_id": who, "department_id": dept}
            )
    with db.session() as s:
        for table, rows in ((Inspection, ins), (InspectionResult, res), (InspectionMember, mem)):
            for at in range(0, len(rows), BATCH):
                s.execute(insert(table), rows[at : at + BATCH])
    if db.engine.dialect.name == "postgresql":
        # Measure the steady state: autovacuum would gather these statistics within a minute.
        with db.engine.connect() as c:
            c.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    db.dispose()


def _has_targets(url: str) -> bool:
    db = open_database(url)
    try:
        with db.session() as s:
            return bool(s.scalar(select(func.count()).select_from(Target)))
    finally:
        db.dispose()


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def page_times(db, period, today) -> None:  # type: ignore[no-untyped-def]
    """The page as a bureau head sees it: computed, filled and painted at 1280×720."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.views.application import register_cjk_font
    from app.views.context import AppContext
    from app.views.dashboard.page import StatsPage

    app = QApplication.instance() or QApplication([])
    register_cjk_font()
    page = StatsPage(AppContext(db))
    page.resize(1280, 720)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        d = build_dashboard(db, period, today)
        computed = time.perf_counter()
        page.show_dashboard(d)
        page.grab()  # lays out and paints every tile, chart and table
        app.processEvents()
        times.append((time.perf_counter() - start, computed - start))
    whole = [w for w, _c in times]
    print(
        f"page (computed + filled + painted): first {whole[0]:.3f} s, best {min(whole):.3f} s "
        f"(of which figures {times[whole.index(min(whole))][1]:.3f} s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--inspections", type=int, default=50_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument(
        "--url", default=None, help="a PostgreSQL database to fill (when empty) and read"
    )
    parser.add_argument("--gui", action="store_true", help="also time the page, offscreen")
    args = parser.parse_args()
    if args.url:
        url = args.url
        fresh = not _has_targets(url)
    else:
        path = args.db or Path(tempfile.mkdtemp(prefix="dr-bench-stats-")) / "bench.sqlite"
        url, fresh = f"sqlite:///{path}", not path.exists()
    if fresh:
        t0 = time.perf_counter()
        build_registry(url, args.targets, date(2026, 3, 1))
        fill(url, args.inspections)
        print(f"build: {time.perf_counter() - t0:.1f} s  ({url})")
    db = open_database(url)
    period, today = Period.year(2026), date(2026, 12, 1)
    times = []
    for _ in range(3):
        took, d = timed(lambda: build_dashboard(db, period, today))
        times.append(took)
    print(f"dashboard (figures of the year): best {min(times):.3f} s, first {times[0]:.3f} s")
    for drill in (
        ("risk", "D", "with_problems"),
        ("all", "", "late"),
        ("month", "2026-05", "inspections"),
    ):
        took, ids = timed(lambda drill=drill: d.ids(*drill))
        took2, lines = timed(lambda ids=ids: inspection_lines(db, ids))
        print(
            f"drill-down {drill}: ids {took * 1000:.1f} ms, "
            f"list of {len(lines)} of {len(ids)} in {took2 * 1000:.1f} ms"
        )
    print(json.dumps(d.headline(), ensure_ascii=False))
    if args.gui:
        page_times(db, period, today)
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
