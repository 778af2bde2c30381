"""The demo's annual plans: believable, fileable, drawable."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.planning import PlanKind, PlanState, Severity
from app.models.db import Database
from app.services.demo.fill import fill_demo
from app.services.demo.plans import create_demo_plans
from app.services.draws.manifest import build_task_manifest
from app.services.plans import planning
from app.services.plans.pool.preview import preview_pool

TODAY = date(2026, 3, 2)


@pytest.fixture
def demo(db: Database) -> Database:
    fill_demo(db, targets=3000, today=TODAY)
    return db


def test_demo_fill_adds_a_published_plan_and_a_draft(demo: Database) -> None:
    plans = {p.code: p for p in planning.list_plans(demo)}
    assert set(plans) == {"LC-LH-2026", "LC-LH-2027"}
    current, draft = plans["LC-LH-2026"], plans["LC-LH-2027"]
    assert current.kind is PlanKind.JOINT and current.state is PlanState.PUBLISHED
    assert draft.state is PlanState.DRAFT and draft.tasks
    assert [v.reason for v in planning.list_versions(demo, "LC-LH-2026")] == ["备案"]
    detail = planning.get_plan(demo, "LC-LH-2026")
    assert detail.filed_at is not None and detail.published_at is not None
    assert detail.filed_at.date() <= date(2026, 1, 31)

    specs = [t.spec for t in detail.tasks]
    assert any(len(s.departments) == 3 for s in specs)
    singles = [s for s in specs if not s.is_joint]
    assert len(singles) >= 3
    full = [s for s in singles if s.batches == 3 and all(r.ratio_bp == 10000 for r in s.rules)]
    assert len(full) == 1
    _, items = planning.reference_data(demo)
    key = {i.code for i in items if i.is_key}
    assert set(full[0].item_codes) <= key
    assert all(t.state is PlanState.PUBLISHED for t in current.tasks)


def test_demo_plans_pass_the_filing_rules_and_can_be_drawn(demo: Database) -> None:
    for code, year in (("LC-LH-2026", 2026), ("LC-LH-2027", 2027)):
        problems = planning.plan_checks(demo, code, date(year, 1, 10))
        assert [p for p in problems if p.severity is Severity.BLOCKS_FILING] == []
    for task in planning.get_plan(demo, "LC-LH-2026").tasks:
        preview = preview_pool(demo, task.spec, year=2026, on=TODAY, exclude_code=task.spec.code)
        assert preview.candidates > 0 and preview.expected > 0, task.spec.code
        assert not preview.blocks_draw, [str(p) for p in preview.problems]
    manifest, report = build_task_manifest(demo, "LC-LH-2026-001", on=TODAY)
    assert len(manifest["candidates"]) == sum(report.candidates.values()) > 0
    assert set(manifest["inspectors"]["per_department_min"]) == {"SCJGJ", "SHJ", "YJJ"}


def test_demo_plans_are_not_added_twice(demo: Database) -> None:
    assert create_demo_plans(demo, TODAY).plans == 0
    assert len(planning.list_plans(demo)) == 2
