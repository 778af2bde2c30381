"""The audit log in words: references by code and name, values as the screens show them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.auth import Role
from app.models import SamplingTask, TaskSamplingRule
from app.models.db import Database
from app.services.access import audit
from app.services.access.audit import AuditFilter
from app.services.access.audit_text import raw_text
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.demo.fill import fill_demo


def _summaries(db: Database) -> list[str]:
    return [r.summary for r in audit.list_entries(db, AuditFilter(), limit=2000)]


def test_a_ratio_change_and_a_state_change_read_as_a_clerk_says_them(db: Database) -> None:
    fill_demo(db, targets=200, seed=3, today=date(2026, 3, 2))
    with db.session() as s:
        task = s.scalar(select(SamplingTask).where(SamplingTask.code == "LC-LH-2026-001"))
        assert task is not None
        rule = s.scalar(
            select(TaskSamplingRule).where(
                TaskSamplingRule.task_id == task.id, TaskSamplingRule.stratum == "A"
            )
        )
        assert rule is not None
        old = rule.ratio_bp
        rule.ratio_bp = 500
    texts = _summaries(db)
    assert f"任务 LC-LH-2026-001（A 类）的抽查比例 {old / 100:g}% → 5%" in texts
    assert "任务 LC-LH-2026-001 的状态 已备案 → 已公开" in texts
    assert "导入检查对象 200 行（demo）" in texts
    # No raw column names or ids in the sentences.
    joined = "\n".join(texts)
    for raw in ("task_id", "ratio_bp", "department_id", "filed", "published"):
        assert raw not in joined


def test_a_deleted_row_still_reads_and_the_raw_entry_is_kept(db: Database) -> None:
    fill_demo(db, targets=200, seed=3, today=date(2026, 3, 2))
    row = next(r for r in audit.list_entries(db, AuditFilter(), limit=2000) if r.action == "update")
    assert "修改前" in raw_text(row.before, row.after)
    assert row.before is not None and row.after is not None


def test_reading_the_log_needs_the_audit_permission(db: Database) -> None:
    planner = Principal(None, "planner", "计划员", frozenset({Role.PLANNER}))
    with acting_as(planner), pytest.raises(PermissionDenied):
        audit.list_entries(db, AuditFilter())


def test_results_and_reviews_read_in_chinese(db: Database) -> None:
    from stats_data import build

    from app.models.inspections import InspectionResult

    build(db)
    with db.session() as s:
        result = s.scalars(
            select(InspectionResult)
            .where(InspectionResult.category_code == "01")
            .order_by(InspectionResult.id)
        ).first()
        assert result is not None
        rid, iid = result.id, result.inspection_id
        target, item = result.inspection.target.name, result.item.name
        result.category_code = "05"
        result.state = "published"
    texts = _summaries(db)
    assert (
        f"检查 {iid}（{target}）的{item} 的结果类型 01 未发现问题 → 05 发现问题已责令改正；"
        "状态 审核通过 → 已公示"
    ) in texts, [t for t in texts if str(rid) in t or target in t][:5]
    joined = "\n".join(texts)
    for raw in ("category_code", "pending_review", "approved", "not_entered", "inspection_id"):
        assert raw not in joined
