"""Pure planning rules: caps, DRAW-1 ceilings, team rules, life cycle, due date, codes."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.planning import (
    ItemCap,
    PlanState,
    SamplingRule,
    Severity,
    TransitionError,
    check_capacity,
    check_caps,
    check_plan_code,
    check_rules,
    check_task_code,
    check_team,
    check_transition,
    expected_both,
    filing_late,
    format_ratio,
    next_task_code,
    parse_ratio_percent,
    periods_overlap,
    sample_size,
    strictest_cap,
)

KEY = ItemCap("SCJG-001", "食品生产企业监督检查", True, None)
GEN5 = ItemCap("SCJG-010", "广告发布监督检查", False, 500)
GEN3 = ItemCap("YJ-002", "安全生产条件检查", False, 300)
GEN_NOCAP = ItemCap("WJ-004", "公共场所卫生检查", False, None)


def test_ceiling_matches_protocol_example() -> None:
    assert sample_size(1234, SamplingRule("A", ratio_bp=500)) == 62
    assert sample_size(0, SamplingRule("A", ratio_bp=500)) == 0
    assert sample_size(10, SamplingRule("A", ratio_bp=10000)) == 10
    assert sample_size(10, SamplingRule("A", ratio_bp=0)) == 0
    assert sample_size(10, SamplingRule("A", count=40)) == 10
    assert sample_size(100, SamplingRule("A", count=40)) == 40


@given(st.integers(0, 2_000_000), st.integers(0, 10000))
def test_ceiling_is_exact_integer_ceiling(n: int, bp: int) -> None:
    got = sample_size(n, SamplingRule("B", ratio_bp=bp))
    assert got * 10000 >= n * bp
    assert (got - 1) * 10000 < n * bp or got == 0


def test_strictest_cap_of_a_joint_task() -> None:
    assert strictest_cap([KEY, GEN5, GEN3, GEN_NOCAP]) == GEN3
    assert strictest_cap([KEY, GEN_NOCAP]) is None


def test_ratio_above_cap_blocks_filing_and_names_item() -> None:
    rules = [SamplingRule("A", ratio_bp=300), SamplingRule("B", ratio_bp=400)]
    assert check_caps("T1", [GEN5], rules) == []
    problems = check_caps("T1", [GEN5, GEN3], rules)
    assert len(problems) == 1
    assert problems[0].severity is Severity.BLOCKS_FILING
    assert "B 类" in problems[0].message and "YJ-002" in problems[0].message
    assert "3%" in problems[0].message


def test_key_items_have_no_cap() -> None:
    assert check_caps("T1", [KEY], [SamplingRule("A", ratio_bp=10000)]) == []


def test_fixed_count_checked_against_cap_ceiling_when_population_known() -> None:
    rules = [SamplingRule("D", count=40)]
    assert check_caps("T1", [GEN5], rules) == []
    assert check_caps("T1", [GEN5], rules, {"D": 800}) == []  # ceil(800*5%) = 40
    problems = check_caps("T1", [GEN5], rules, {"D": 700})  # 35
    assert [p.severity for p in problems] == [Severity.BLOCKS_FILING]
    assert "35 户" in problems[0].message


def test_rules_each_stratum_once_and_one_of_ratio_or_count() -> None:
    assert check_rules("T", [SamplingRule("A", ratio_bp=1), SamplingRule("未分类", count=3)]) == []
    assert check_rules("T", [])
    bad = check_rules(
        "T",
        [
            SamplingRule("A", ratio_bp=1),
            SamplingRule("A", ratio_bp=2),
            SamplingRule("B"),
            SamplingRule("C", ratio_bp=1, count=1),
            SamplingRule("E", count=1),
            SamplingRule("D", ratio_bp=10001),
        ],
    )
    assert len(bad) == 5


def test_team_rules() -> None:
    assert check_team("T", 3, {"SCJGJ": 1, "YJJ": 1}) == []
    low = check_team("T", 1, {})
    assert [p.severity for p in low] == [Severity.BLOCKS_FILING]
    short = check_team("T", 2, {"SCJGJ": 1, "YJJ": 1, "WJW": 1})
    assert "少于各部门最少人数之和 3 人" in short[0].message
    eligible = check_team("T", 3, {"SCJGJ": 2, "YJJ": 1}, {"SCJGJ": 5, "YJJ": 0}, {"YJJ": "应急局"})
    assert [p.severity for p in eligible] == [Severity.BLOCKS_DRAW]
    assert "应急局" in eligible[0].message
    tiny = check_team("T", 4, {"SCJGJ": 1}, {"SCJGJ": 3})
    assert "不足每组 4 人" in tiny[0].message


def test_capacity_with_max_load() -> None:
    assert check_capacity("T", 10, 2, 4, None) == []
    assert check_capacity("T", 10, 2, 4, 5) == []
    assert check_capacity("T", 11, 2, 4, 5)[0].severity is Severity.BLOCKS_DRAW


def test_life_cycle_moves_forward_one_step() -> None:
    order = list(PlanState)
    for a, b in itertools.pairwise(order):
        check_transition("计划", a, b)
    with pytest.raises(TransitionError, match=r"草稿.*已公开"):
        check_transition("计划 X", PlanState.DRAFT, PlanState.PUBLISHED)
    with pytest.raises(TransitionError):
        check_transition("计划 X", PlanState.FILED, PlanState.DRAFT)
    assert not PlanState.DRAFT.locked and PlanState.FILED.locked
    assert PlanState.PUBLISHED.label == "已公开"


def test_filing_due_31_january() -> None:
    assert filing_late(2026, date(2026, 1, 31)) is None
    assert filing_late(2026, date(2025, 12, 20)) is None
    late = filing_late(2026, date(2026, 2, 3))
    assert late is not None and late.severity is Severity.WARNING and "逾期 3 天" in late.message


def test_task_code_format() -> None:
    assert check_task_code("LC-SCJGJ-2026-003") is None
    assert check_task_code("LC-SCJGJ-2026-003", 2026) is None
    assert "年度" in (check_task_code("LC-SCJGJ-2025-003", 2026) or "")
    for bad in ("lc-scjgj-2026-003", "LC-SCJGJ-26-003", "LC-SCJGJ-2026-3", "LC_SCJGJ_2026_003"):
        assert check_task_code(bad) is not None
    assert check_plan_code("LC-LH-2026") is None
    assert check_plan_code("计划") is not None
    assert next_task_code("LC", "SCJGJ", 2026, ["LC-SCJGJ-2026-001", "LC-SCJGJ-2026-003"]) == (
        "LC-SCJGJ-2026-002"
    )


def test_ratio_text_round_trip() -> None:
    assert parse_ratio_percent("5") == 500
    assert parse_ratio_percent("2.55%") == 255
    assert parse_ratio_percent("0.5") == 50
    assert parse_ratio_percent("100") == 10000
    for bad in ("101", "-1", "1.234", "abc", ""):
        with pytest.raises(ValueError):
            parse_ratio_percent(bad)
    assert [format_ratio(b) for b in (500, 250, 255, 1, 10000, 0)] == [
        "5%",
        "2.5%",
        "2.55%",
        "0.01%",
        "100%",
        "0%",
    ]


def test_periods_and_expected_overlap() -> None:
    assert periods_overlap(
        (date(2026, 3, 1), date(2026, 5, 31)), (date(2026, 5, 31), date(2026, 6, 1))
    )
    assert not periods_overlap(
        (date(2026, 3, 1), date(2026, 5, 30)), (date(2026, 5, 31), date(2026, 6, 1))
    )
    assert expected_both({"A": 100, "D": 10}, {"A": 0.1, "D": 1.0}, {"A": 0.5, "D": 1.0}) == 15.0
