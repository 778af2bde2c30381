"""Risk feedback: suggestions from the hand-counted year, decisions, permission, sample effect."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from stats_data import TODAY, build

from app.domain.auth import Role
from app.domain.errors import Cancelled
from app.domain.stats import suggest_class
from app.models.audit import AuditEntry
from app.models.db import Database
from app.models.registry import Target
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.stats import risk_feedback as rf

VIEWER = Principal(1, "leader", "局领导", frozenset({Role.VIEWER}))
INSPECTOR = Principal(2, "zs", "张三", frozenset({Role.INSPECTOR}))


def test_rules() -> None:
    assert suggest_class("A", [False, True]) == ("B", "最近一次抽查发现问题，建议上调一级")
    assert suggest_class("D", [True]) is None
    assert suggest_class("C", [True, False]) is None
    assert suggest_class("C", [True, False, False]) == (
        "B",
        "连续 2 次抽查未发现问题，建议下调一级",
    )
    assert suggest_class(None, [True]) is None


def test_suggest_accept_reject_and_audit(db: Database) -> None:
    k = build(db)
    assert rf.generate(db, TODAY) == 2
    assert rf.generate(db, TODAY) == 0  # pending ones are not suggested twice
    lines = {ln.target_name: ln for ln in rf.list_suggestions(db)}
    assert {n: (ln.from_class, ln.to_class) for n, ln in lines.items()} == {
        "测试企业t1": ("A", "B"),
        "测试企业t3": ("C", "D"),
    }
    assert lines["测试企业t1"].basis == (k.inspection["i1"], k.inspection["i4"], k.inspection["i7"])
    effect = {e.stratum: (e.pool_now, e.pool_after) for e in rf.sample_effect(db, "LC-SJ-2026-001")}
    assert effect == {"A": (2, 1), "B": (1, 2), "C": (2, 1), "D": (1, 2)}
    with pytest.raises(rf.SuggestionError):
        rf.decide(db, [lines["测试企业t3"].id], accept=False)  # a rejection needs a reason
    assert rf.decide(db, [lines["测试企业t1"].id], accept=True) == 1
    assert rf.decide(db, [lines["测试企业t3"].id], accept=False, note="已整改到位") == 1
    with pytest.raises(rf.SuggestionError):
        rf.decide(db, [lines["测试企业t1"].id], accept=True)
    with db.session() as s:
        assert s.get(Target, k.target["t1"]).risk_class == "B"  # type: ignore[union-attr]
        assert s.get(Target, k.target["t3"]).risk_class == "C"  # type: ignore[union-attr]
        logged = s.scalars(
            select(AuditEntry.entity).where(AuditEntry.entity == "risk_suggestions")
        ).all()
        assert len(logged) >= 4  # two created, two decided
    assert [ln.state for ln in rf.list_suggestions(db, None)] == ["accepted", "rejected"]


def test_stale_suggestion_is_refused(db: Database) -> None:
    k = build(db)
    rf.generate(db, TODAY)
    with db.session() as s:
        s.get(Target, k.target["t1"]).risk_class = "C"  # type: ignore[union-attr]
    ids = [ln.id for ln in rf.list_suggestions(db)]
    with pytest.raises(rf.SuggestionError, match="已过时"):
        rf.decide(db, ids, accept=True)
    with db.session() as s:  # all or nothing: t3 did not move either
        assert s.get(Target, k.target["t3"]).risk_class == "C"  # type: ignore[union-attr]


def test_cancelled_batch_changes_nothing(db: Database) -> None:
    k = build(db)
    rf.generate(db, TODAY)
    ids = [ln.id for ln in rf.list_suggestions(db)]
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        rf.decide(
            db, ids, accept=True, progress=lambda d, n: seen.append((d, n)), cancelled=lambda: True
        )
    assert [ln.state for ln in rf.list_suggestions(db, None)] == ["pending", "pending"]
    with db.session() as s:
        assert s.get(Target, k.target["t1"]).risk_class == "A"  # type: ignore[union-attr]
    # Run to the end, it reports progress and decides both.
    assert rf.decide(db, ids, accept=True, progress=lambda d, n: seen.append((d, n))) == 2
    assert seen == [(0, 2)]
    with db.session() as s:
        assert s.get(Target, k.target["t1"]).risk_class == "B"  # type: ignore[union-attr]


@pytest.mark.parametrize("who", [VIEWER, INSPECTOR])
def test_only_planners_generate_and_decide(db: Database, who: Principal) -> None:
    build(db)
    with acting_as(who):
        with pytest.raises(PermissionDenied):
            rf.generate(db, TODAY)
        with pytest.raises(PermissionDenied):
            rf.decide(db, [1], accept=True)
        assert rf.list_suggestions(db) == []
