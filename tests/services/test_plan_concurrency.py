"""Two planners, one plan; two operators, one task: on real connections, SQLite and PostgreSQL.

A form saved over someone else's newer save is refused with the other
change; two saves racing inside their units of work end with exactly one
stored; two PCs (two engines) starting the same draw: exactly one proceeds,
the other is told who holds it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from planning_data import joint_plan, joint_task, seed_registry, single_task
from sqlalchemy import func, select

from app.models.db import Database, open_database
from app.models.draws import DrawAttempt
from app.services.access import audit
from app.services.common.concurrency import ConcurrentEditError
from app.services.draws.ceremony import DrawBusy, DrawCeremony
from app.services.plans import planning
from app.services.plans import tasks as plan_tasks

PLAN, TASK = "LC-LH-2026", "LC-LH-2026-001"


@pytest.fixture
def plan(db: Database) -> Database:
    seed_registry(db)
    planning.create_plan(db, joint_plan())
    planning.save_task(db, PLAN, joint_task())
    return db


def test_plan_form_saved_over_a_newer_save_is_refused(plan: Database) -> None:
    db = plan
    mine, theirs = planning.get_plan(db, PLAN), planning.get_plan(db, PLAN)
    with audit.acting_as("王五"):
        planning.update_plan(
            db, PLAN, replace(theirs.spec, title="王五的标题"), version=theirs.row_version
        )
    with pytest.raises(ConcurrentEditError) as err:
        planning.update_plan(
            db,
            PLAN,
            replace(mine.spec, title="我的标题", note="我的说明"),
            version=mine.row_version,
        )
    text = str(err.value)
    assert "年度抽查计划（编号" in text and "“王五”" in text
    assert f"标题：{mine.spec.title} → 王五的标题（您改为 我的标题）" in text
    assert planning.get_plan(db, PLAN).spec.title == "王五的标题"
    # Reloaded, the form saves.
    fresh = planning.get_plan(db, PLAN)
    planning.update_plan(db, PLAN, replace(fresh.spec, note="我的说明"), version=fresh.row_version)


def test_task_form_refused_after_a_change_of_its_items_only(plan: Database) -> None:
    db = plan
    mine = planning.get_plan(db, PLAN).task(TASK)
    theirs = planning.get_plan(db, PLAN).task(TASK)
    fewer = replace(
        theirs.spec, item_codes=("SCJG-01", "WJ-01"), departments={"SCJGJ": 1, "WJW": 1}
    )
    with audit.acting_as("王五"):
        planning.save_task(db, PLAN, fewer, original_code=TASK, version=theirs.row_version)
    assert planning.get_plan(db, PLAN).task(TASK).row_version == theirs.row_version + 1
    with pytest.raises(ConcurrentEditError, match="“王五”") as err:
        planning.save_task(
            db,
            PLAN,
            replace(mine.spec, title="我的名称"),
            original_code=TASK,
            version=mine.row_version,
        )
    assert "抽查任务（编号" in str(err.value)
    assert planning.task_spec(db, TASK) == fewer
    # Deleting a task someone changed meanwhile is refused as well.
    with pytest.raises(ConcurrentEditError):
        planning.delete_task(db, TASK, version=mine.row_version)


def _racing(monkeypatch: pytest.MonkeyPatch, n: int = 2) -> None:
    """Both saves load the task and pass their version check before either writes."""
    barrier = threading.Barrier(n, timeout=30)
    original = plan_tasks.apply_task_spec

    def apply(*args: Any, **kwargs: Any) -> None:
        barrier.wait()
        original(*args, **kwargs)

    monkeypatch.setattr(plan_tasks, "apply_task_spec", apply)


def _both(calls: list[Callable[[], object]]) -> list[object]:
    def run(call: Callable[[], object]) -> object:
        try:
            return call()
        except ConcurrentEditError as exc:
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_saves_racing_inside_their_units_of_work(
    plan: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = plan
    version = planning.get_plan(db, PLAN).task(TASK).row_version
    _racing(monkeypatch)

    def save(title: str) -> Callable[[], object]:
        spec = joint_task(title=title)
        return lambda: planning.save_task(db, PLAN, spec, original_code=TASK, version=version)

    results = _both([save("甲的名称"), save("乙的名称")])
    refused = [r for r in results if isinstance(r, ConcurrentEditError)]
    assert len(refused) == 1, results
    stored = planning.task_spec(db, TASK).title
    assert stored in ("甲的名称", "乙的名称")
    assert f"→ {stored}" in str(refused[0])
    assert planning.get_plan(db, PLAN).task(TASK).row_version == version + 1


def test_two_adjustments_of_a_filed_plan_racing(
    plan: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = plan
    planning.save_task(db, PLAN, single_task())
    planning.file_plan(db, PLAN, date(2026, 1, 20))
    detail = planning.get_plan(db, PLAN)
    _racing(monkeypatch)
    results = _both(
        [
            lambda: planning.save_task(
                db, PLAN, joint_task(title="调整甲"), original_code=TASK, reason="甲",
                version=detail.task(TASK).row_version,
            ),
            lambda: planning.save_task(
                db, PLAN, single_task(title="调整乙"), original_code="LC-SCJGJ-2026-001",
                reason="乙", version=detail.task("LC-SCJGJ-2026-001").row_version,
            ),
        ]
    )  # fmt: skip
    # Different tasks, one plan: both become versions, never the same number twice.
    assert [type(r).__name__ for r in results].count("ConcurrentEditError") <= 1
    numbers = [v.version_no for v in planning.list_versions(db, PLAN)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == 1 + sum(not isinstance(r, ConcurrentEditError) for r in results)


@pytest.fixture
def second_pc(plan: Database) -> Iterator[Database]:
    """The same database opened by another PC: its own engine and connections."""
    planning.file_plan(plan, PLAN, date(2026, 1, 10))
    planning.publish_plan(plan, PLAN)
    other = open_database(plan.url, migrate=False)
    try:
        yield other
    finally:
        other.dispose()


def test_two_pcs_starting_one_draw_exactly_one_proceeds(
    plan: Database, second_pc: Database
) -> None:
    barrier = threading.Barrier(2, timeout=30)

    def start(db: Database, who: str) -> object:
        barrier.wait()
        try:
            return DrawCeremony.open(db, TASK, who, workstation=f"PC-{who}")
        except DrawBusy as exc:
            return exc

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(start, [plan, second_pc], ["甲", "乙"]))
    started = [r for r in results if isinstance(r, DrawCeremony)]
    refused = [r for r in results if isinstance(r, DrawBusy)]
    assert len(started) == 1 and len(refused) == 1, results
    holder = started[0].info().operator
    assert f"已由 {holder}（工作站 PC-{holder}）" in str(refused[0])
    # Later starts from either PC are told the same, until it is finished or abandoned.
    for db in (plan, second_pc):
        with pytest.raises(DrawBusy, match=f"PC-{holder}"):
            DrawCeremony.open(db, TASK, "丙")
    with plan.session() as s:
        assert s.scalar(select(func.count()).select_from(DrawAttempt)) == 1
