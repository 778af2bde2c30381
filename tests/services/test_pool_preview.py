"""The live pool preview: SQL counts checked against a Python recount of known targets."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from planning_data import TargetRow, joint_plan, joint_task, seed_registry, single_task

from app.domain.planning import DistrictRule, SamplingRule, Severity
from app.models.db import Database
from app.services.plans import planning
from app.services.plans.pool.preview import preview_pool
from app.services.plans.values import Scope

ON = date(2026, 1, 10)


def _in_scope(t: TargetRow, scope: Scope) -> bool:
    return (
        t.active
        and (not scope.divisions or t.division in scope.divisions)
        and (not scope.entity_types or t.entity_type in scope.entity_types)
        and (not scope.industries or any(t.industry.startswith(p) for p in scope.industries))
        and (not scope.tags or bool(set(scope.tags) & set(t.tags)))
        and (scope.registered_before is None or t.founded_on < scope.registered_before)
    )


def _recount(rows: list[TargetRow], *scopes: Scope) -> Counter[str]:
    return Counter(t.stratum for t in rows if all(_in_scope(t, s) for s in scopes))


@pytest.fixture
def rows(db: Database) -> list[TargetRow]:
    rows = seed_registry(db)
    planning.create_plan(db, joint_plan())
    return rows


SCOPES = [
    Scope(),
    Scope(divisions=("371502", "371521")),
    Scope(entity_types=("个体工商户",)),
    Scope(industries=("F52",)),
    Scope(industries=("F5211", "C")),
    Scope(tags=("食品经营",)),
    Scope(tags=("特种设备使用单位", "不存在的标签")),
    Scope(registered_before=date(2010, 1, 1)),
    Scope(divisions=("371503",), entity_types=("企业",), industries=("H",), tags=("食品经营",)),
    # Target i was founded on 2000-01-01 + 37·i days: i = 10 on 2001-01-05.
    Scope(registered_before=date(2001, 1, 5)),
    Scope(registered_before=date(2001, 1, 6)),
    Scope(registered_before=date(2000, 12, 31)),
    Scope(registered_before=date(2001, 1, 1)),
    Scope(tags=("食品经营",), registered_before=date(2012, 1, 1)),
    Scope(tags=("食品",)),  # a prefix of a tag is not the tag
    Scope(entity_types=("企业",), tags=("特种设备使用单位",), registered_before=date(2020, 1, 1)),
]


@pytest.mark.parametrize("scope", SCOPES)
def test_candidates_per_class_match_a_recount(
    db: Database, rows: list[TargetRow], scope: Scope
) -> None:
    preview = preview_pool(db, joint_task(scope=scope), year=2026, on=ON)
    expected = _recount(rows, scope)
    assert {s.stratum: s.candidates for s in preview.strata} == {
        st: expected.get(st, 0) for st in ("A", "B", "C", "D", "未分类")
    }


def test_expected_sample_is_the_draw1_ceiling(db: Database, rows: list[TargetRow]) -> None:
    preview = preview_pool(db, joint_task(), year=2026, on=ON)
    by = {s.stratum: s for s in preview.strata}
    n_a = _recount(rows, Scope())["A"]
    assert by["A"].expected == (n_a * 300 + 9999) // 10000
    assert by["D"].expected == min(3, by["D"].candidates)
    assert by["未分类"].rule is None and by["未分类"].expected == 0
    assert preview.candidates == sum(by[s].candidates for s in "ABCD")
    assert preview.expected == sum(by[s].expected for s in "ABCD")


def test_inspectors_eligible_per_department_with_reasons(db: Database, rows: list) -> None:
    preview = preview_pool(db, joint_task(), year=2026, on=ON)
    by = {d.code: d for d in preview.departments}
    # SCJGJ: item SCJG-01 only; 赵敏's badge expired, 刘洋 retired.
    assert by["SCJGJ"].eligible == 4
    assert by["SCJGJ"].excluded == {"执法证过期": 1, "人员非在岗": 1}
    # YJJ: 周丽 借调; 吴刚 has no district but the rule is "any".
    assert by["YJJ"].eligible == 2 and by["YJJ"].excluded == {"人员非在岗": 1}
    # WJW: 冯军 has no badge date, 何芳 no qualification.
    assert by["WJW"].eligible == 1
    assert by["WJW"].excluded == {"执法证过期": 1, "无资质": 1}
    assert by["WJW"].name == "卫生健康委"
    assert not preview.blocks_draw


def test_qualification_needs_every_item_of_the_own_department(db: Database, rows: list) -> None:
    task = single_task(item_codes=("SCJG-02", "SCJG-03"), scope=Scope())
    by = {d.code: d for d in preview_pool(db, task, year=2026, on=ON).departments}
    # 张明 and 王强 hold both; 李娜 lacks SCJG-03, 陈静 lacks SCJG-02.
    assert by["SCJGJ"].eligible == 2
    assert by["SCJGJ"].excluded["无资质"] == 2


def test_district_rule_needs_a_district(db: Database, rows: list) -> None:
    task = joint_task(district_rule=DistrictRule.DIFFERENT)
    by = {d.code: d for d in preview_pool(db, task, year=2026, on=ON).departments}
    assert by["YJJ"].eligible == 1 and by["YJJ"].excluded["无所属区划"] == 1


def test_too_few_inspectors_blocks_the_draw(db: Database, rows: list) -> None:
    task = joint_task(departments={"SCJGJ": 1, "YJJ": 1, "WJW": 2}, team_size=4)
    preview = preview_pool(db, task, year=2026, on=ON)
    draw_blocks = [p for p in preview.problems if p.severity is Severity.BLOCKS_DRAW]
    assert len(draw_blocks) == 1 and "卫生健康委" in draw_blocks[0].message
    assert preview.blocks_draw and not preview.blocks_filing


def test_cap_shows_as_filing_block(db: Database, rows: list) -> None:
    task = single_task(rules=(SamplingRule("A", ratio_bp=501),))
    preview = preview_pool(db, task, year=2026, on=ON)
    assert preview.blocks_filing
    assert any("比例上限 5%" in p.message for p in preview.problems)


def test_max_load_capacity(db: Database, rows: list) -> None:
    task = joint_task(max_load=1, rules=(SamplingRule("A", ratio_bp=10000),))
    preview = preview_pool(db, task, year=2026, on=ON)
    assert any("人次" in p.message for p in preview.problems)


def test_overlap_with_tasks_of_the_same_period(db: Database, rows: list[TargetRow]) -> None:
    other = single_task(scope=Scope(divisions=("371502",), entity_types=("企业", "个体工商户")))
    planning.save_task(db, "LC-LH-2026", other)
    later = single_task(
        code="LC-SCJGJ-2026-002", planned_start=date(2026, 9, 1), planned_end=date(2026, 9, 30)
    )
    planning.save_task(db, "LC-LH-2026", later)
    mine = joint_task(
        scope=Scope(entity_types=("企业",), industries=("F",)),
        rules=(SamplingRule("A", ratio_bp=10000), SamplingRule("B", ratio_bp=10000)),
    )
    preview = preview_pool(db, mine, year=2026, on=ON)
    [overlap] = preview.overlaps
    assert overlap.task_code == "LC-SCJGJ-2026-001" and overlap.plan_code == "LC-LH-2026"
    both = _recount(rows, mine.scope, other.scope)
    assert overlap.shared == sum(both.values())
    # Mine takes all of A and B; the other task 2% of A and 3% of B.
    assert overlap.expected_both == pytest.approx(both["A"] * 0.02 + both["B"] * 0.03)
    # With tags on one side the overlap is counted by its own query: same answer.
    tagged = joint_task(scope=Scope(entity_types=("企业",), industries=("F",), tags=("食品经营",)))
    [o2] = preview_pool(db, tagged, year=2026, on=ON).overlaps
    assert o2.shared == sum(_recount(rows, tagged.scope, other.scope).values())


def test_overlap_warning_suggests_a_joint_task(db: Database, rows: list) -> None:
    planning.save_task(
        db, "LC-LH-2026", single_task(rules=(SamplingRule("A", ratio_bp=500),), scope=Scope())
    )
    mine = joint_task(rules=(SamplingRule("A", ratio_bp=10000),))
    preview = preview_pool(db, mine, year=2026, on=ON)
    [warning] = [p for p in preview.problems if "多头检查" in p.message]
    assert warning.severity is Severity.WARNING and "部门联合抽查" in warning.message
    # The task being edited never overlaps with its own stored version.
    planning.save_task(db, "LC-LH-2026", mine)
    again = preview_pool(db, mine, year=2026, on=ON, exclude_code=mine.code)
    assert [o.task_code for o in again.overlaps] == ["LC-SCJGJ-2026-001"]


def test_disjoint_scopes_do_not_overlap(db: Database, rows: list) -> None:
    planning.save_task(db, "LC-LH-2026", single_task(scope=Scope(divisions=("371502",))))
    mine = joint_task(scope=Scope(divisions=("371503",)))
    assert preview_pool(db, mine, year=2026, on=ON).overlaps == ()


def test_count_rule_of_the_other_task_uses_its_population(db: Database, rows: list) -> None:
    planning.save_task(
        db, "LC-LH-2026", single_task(rules=(SamplingRule("D", count=3),), scope=Scope())
    )
    mine = joint_task(rules=(SamplingRule("D", ratio_bp=10000),))
    [overlap] = preview_pool(db, mine, year=2026, on=ON).overlaps
    assert overlap.expected_both == pytest.approx(3.0)


def test_histogram_and_sql_intersection_agree(db: Database, rows: list[TargetRow]) -> None:
    from app.services.plans.pool import histogram as pool_histogram
    from app.services.plans.pool.preview import sql_scope_counts

    with db.session() as s:
        key = db.url
        for a in SCOPES:
            assert pool_histogram.counts(s, key, a) == sql_scope_counts(s, a)
            for b in SCOPES:
                expected = {k: v for k, v in _recount(rows, a, b).items() if v}
                assert sql_scope_counts(s, a, b) == expected
                assert pool_histogram.counts(s, key, a, b) == expected


def test_histogram_follows_new_targets(db: Database, rows: list[TargetRow]) -> None:
    from sqlalchemy import insert

    from app.models.registry import Target

    before = preview_pool(db, joint_task(), year=2026, on=ON).counts()["A"]
    with db.session() as s:
        s.execute(
            insert(Target),
            [
                {
                    "uscc": f"91371502TEST{i:05d}X",
                    "name": f"新登记企业{i}",
                    "division_code": "371502",
                    "reg_status": "存续",
                    "risk_class": "A",
                    "tags": [],
                    "version": 1,
                }
                for i in range(3)
            ],
        )
    assert preview_pool(db, joint_task(), year=2026, on=ON).counts()["A"] == before + 3


def test_warm_histograms_loads_the_summary_once(
    db: Database, rows: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.plans.pool import histogram as pool_histogram
    from app.services.plans.pool.preview import warm_histograms

    planning.save_task(db, "LC-LH-2026", single_task(scope=Scope(tags=("食品经营",))))
    pool_histogram.forget()
    loads = []
    real = pool_histogram.load_histogram
    monkeypatch.setattr(
        pool_histogram, "load_histogram", lambda *a, **k: loads.append(1) or real(*a, **k)
    )
    assert warm_histograms(db) > 0
    # Then previews with new tag sets and dates count from memory: no further load.
    for scope in (Scope(tags=("特种设备使用单位",)), Scope(registered_before=date(2003, 3, 3))):
        preview_pool(db, joint_task(scope=scope), year=2026, on=ON)
    assert len(loads) == 1
