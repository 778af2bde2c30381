"""Plans and tasks on a real database: editing, filing, adjusting, publishing, states."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from planning_data import joint_plan, joint_task, seed_registry, single_task

from app.domain.planning import PlanState, SamplingRule, Severity, TransitionError
from app.models.db import Database
from app.services.plans import planning
from app.services.plans.values import PlanError

ON_TIME = date(2026, 1, 20)


@pytest.fixture
def seeded(db: Database) -> Database:
    seed_registry(db)
    planning.create_plan(db, joint_plan())
    return db


def test_create_plan_and_tasks_then_list(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", joint_task())
    planning.save_task(seeded, "LC-LH-2026", single_task())
    [plan] = planning.list_plans(seeded)
    assert (plan.code, plan.year, plan.state, plan.version_no) == (
        "LC-LH-2026",
        2026,
        PlanState.DRAFT,
        1,
    )
    assert [t.code for t in plan.tasks] == ["LC-LH-2026-001", "LC-SCJGJ-2026-001"]
    assert plan.tasks[0].is_joint and not plan.tasks[1].is_joint
    assert plan.tasks[0].departments == ("WJW", "YJJ", "SCJGJ")  # by sort order
    detail = planning.get_plan(seeded, "LC-LH-2026")
    assert detail.task("LC-LH-2026-001").spec == joint_task()


def test_editing_a_draft_task_in_place(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", joint_task())
    changed = joint_task(
        departments={"SCJGJ": 2, "YJJ": 1},
        item_codes=("SCJG-01", "YJ-01"),
        rules=(SamplingRule("A", ratio_bp=100), SamplingRule("未分类", count=2)),
        team_size=3,
    )
    planning.save_task(seeded, "LC-LH-2026", changed, original_code="LC-LH-2026-001")
    assert planning.task_spec(seeded, "LC-LH-2026-001") == changed
    renamed = replace(changed, code="LC-LH-2026-002")
    planning.save_task(seeded, "LC-LH-2026", renamed, original_code="LC-LH-2026-001")
    assert [t.code for t in planning.list_plans(seeded)[0].tasks] == ["LC-LH-2026-002"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "LC-LH-26-1"}, "格式不符"),
        ({"title": " "}, "任务名称不能为空"),
        ({"item_codes": ()}, "至少选择一个抽查事项"),
        ({"item_codes": ("SCJG-01", "NOPE")}, "抽查事项不存在：NOPE"),
        ({"departments": {"SCJGJ": 1, "YJJ": 1}}, "事项所属部门未列入：WJW"),
        ({"planned_end": date(2026, 3, 1)}, "结束日期早于开始日期"),
        ({"team_size": 1}, "不得少于 2 人"),
        ({"rules": (SamplingRule("A"),)}, "须设置抽查比例或固定户数之一"),
    ],
)
def test_unsavable_tasks_are_refused_with_the_reason(
    seeded: Database, changes: dict, message: str
) -> None:
    with pytest.raises(PlanError, match=message):
        planning.save_task(seeded, "LC-LH-2026", joint_task(**changes))
    assert planning.list_plans(seeded)[0].tasks == ()


def test_duplicate_task_code_refused(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", joint_task())
    with pytest.raises(PlanError, match="已被使用"):
        planning.save_task(seeded, "LC-LH-2026", joint_task())


def test_department_outside_plan_refused(db: Database) -> None:
    seed_registry(db)
    planning.create_plan(db, replace(joint_plan(), departments=("SCJGJ", "YJJ")))
    with pytest.raises(PlanError, match="WJW 不是计划“LC-LH-2026”的参与部门"):
        planning.save_task(db, "LC-LH-2026", joint_task())


def test_cap_blocks_filing_and_nothing_changes(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", single_task(rules=(SamplingRule("A", ratio_bp=600),)))
    problems = planning.plan_checks(seeded, "LC-LH-2026", ON_TIME)
    assert [p.severity for p in problems] == [Severity.BLOCKS_FILING]
    with pytest.raises(PlanError, match="比例上限 5%"):
        planning.file_plan(seeded, "LC-LH-2026", ON_TIME)
    assert planning.get_plan(seeded, "LC-LH-2026").state is PlanState.DRAFT
    assert planning.list_versions(seeded, "LC-LH-2026") == []


def test_joint_task_uses_the_strictest_cap(seeded: Database) -> None:
    task = joint_task(
        item_codes=("SCJG-03", "WJ-01", "YJ-01"),
        rules=(SamplingRule("A", ratio_bp=400),),
    )
    planning.save_task(seeded, "LC-LH-2026", task)
    [problem] = planning.plan_checks(seeded, "LC-LH-2026", ON_TIME)
    assert "SCJG-03" in problem.message and "3%" in problem.message


def test_fixed_count_checked_against_population_when_given(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", single_task(rules=(SamplingRule("D", count=9),)))
    assert planning.plan_checks(seeded, "LC-LH-2026", ON_TIME) == []
    problems = planning.plan_checks(seeded, "LC-LH-2026", ON_TIME, counts=lambda _spec: {"D": 100})
    assert "固定抽取 9 户" in problems[0].message


def test_empty_plan_cannot_be_filed(seeded: Database) -> None:
    with pytest.raises(PlanError, match="还没有抽查任务"):
        planning.file_plan(seeded, "LC-LH-2026", ON_TIME)


def test_file_locks_adjust_needs_reason_and_keeps_versions(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", joint_task())
    outcome = planning.file_plan(seeded, "LC-LH-2026", date(2026, 2, 2))
    assert "已备案" in outcome.message
    assert [w.severity for w in outcome.warnings] == [Severity.WARNING]
    assert "逾期 2 天" in outcome.warnings[0].message
    detail = planning.get_plan(seeded, "LC-LH-2026")
    assert detail.state is PlanState.FILED and detail.filed_at is not None
    assert detail.tasks[0].state is PlanState.FILED

    adjusted = joint_task(rules=(SamplingRule("A", ratio_bp=200),))
    with pytest.raises(PlanError, match="调整原因"):
        planning.save_task(seeded, "LC-LH-2026", adjusted, original_code="LC-LH-2026-001")
    out = planning.save_task(
        seeded,
        "LC-LH-2026",
        adjusted,
        original_code="LC-LH-2026-001",
        reason="按省局通知下调 A 类抽查比例",
    )
    assert "第 2 版" in out.message
    versions = planning.list_versions(seeded, "LC-LH-2026")
    assert [(v.version_no, v.reason) for v in versions] == [
        (1, "备案"),
        (2, "按省局通知下调 A 类抽查比例"),
    ]
    assert versions[0].snapshot_hash != versions[1].snapshot_hash
    rows = planning.compare_versions(seeded, "LC-LH-2026", 1, 2)
    changed = [r for r in rows if r.changed]
    assert [(r.label, r.left, r.right) for r in changed] == [
        ("LC-LH-2026-001｜A 类抽查", "3%", "2%"),
        ("LC-LH-2026-001｜B 类抽查", "5%", "—"),
        ("LC-LH-2026-001｜C 类抽查", "8%", "—"),
        ("LC-LH-2026-001｜D 类抽查", "3 户", "—"),
    ]
    # Version 1 is untouched by the adjustment.
    assert planning.version_snapshot(seeded, "LC-LH-2026", 1)["tasks"][0]["rules"][0] == {
        "stratum": "A",
        "ratio_bp": 300,
        "count": None,
    }


def test_adjustment_adds_and_removes_tasks(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", joint_task())
    planning.file_plan(seeded, "LC-LH-2026", ON_TIME)
    planning.save_task(seeded, "LC-LH-2026", single_task(), reason="增加广告专项")
    assert planning.get_plan(seeded, "LC-LH-2026").task("LC-SCJGJ-2026-001").state is (
        PlanState.FILED
    )
    with pytest.raises(PlanError, match="调整原因"):
        planning.delete_task(seeded, "LC-SCJGJ-2026-001")
    planning.delete_task(seeded, "LC-SCJGJ-2026-001", reason="并入联合任务")
    assert [v.version_no for v in planning.list_versions(seeded, "LC-LH-2026")] == [1, 2, 3]
    rows = planning.compare_versions(seeded, "LC-LH-2026", 2, 3)
    assert any(r.label == "LC-SCJGJ-2026-001｜任务名称" and r.right == "—" for r in rows)


def test_publish_then_task_states_drive_the_plan(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", joint_task())
    planning.save_task(seeded, "LC-LH-2026", single_task())
    with pytest.raises(TransitionError):
        planning.publish_plan(seeded, "LC-LH-2026")
    planning.file_plan(seeded, "LC-LH-2026", ON_TIME)
    planning.publish_plan(seeded, "LC-LH-2026")
    assert planning.get_plan(seeded, "LC-LH-2026").published_at is not None
    planning.set_task_state(seeded, "LC-LH-2026-001", PlanState.DRAWN)
    assert planning.get_plan(seeded, "LC-LH-2026").state is PlanState.PUBLISHED
    planning.set_task_state(seeded, "LC-SCJGJ-2026-001", PlanState.DRAWN)
    assert planning.get_plan(seeded, "LC-LH-2026").state is PlanState.DRAWN
    with pytest.raises(TransitionError):
        planning.set_task_state(seeded, "LC-LH-2026-001", PlanState.DONE)
    with pytest.raises(PlanError, match="已抽取，不能再修改"):
        planning.save_task(
            seeded, "LC-LH-2026", joint_task(), original_code="LC-LH-2026-001", reason="x"
        )


def test_plan_info_changes(seeded: Database) -> None:
    spec = replace(joint_plan(), title="新的标题", note="说明")
    planning.update_plan(seeded, "LC-LH-2026", spec)
    assert planning.get_plan(seeded, "LC-LH-2026").spec.title == "新的标题"
    with pytest.raises(PlanError, match="至少需要两个部门"):
        planning.update_plan(seeded, "LC-LH-2026", replace(spec, departments=("SCJGJ",)))
    with pytest.raises(PlanError, match="已存在"):
        planning.create_plan(seeded, joint_plan())
    with pytest.raises(PlanError, match="部门代码不存在"):
        planning.create_plan(seeded, replace(joint_plan("LC-X-2026"), lead_department="NOPE"))


def test_adjustment_may_not_break_a_filing_rule(seeded: Database) -> None:
    planning.save_task(seeded, "LC-LH-2026", single_task())
    planning.file_plan(seeded, "LC-LH-2026", ON_TIME)
    too_high = single_task(rules=(SamplingRule("A", ratio_bp=900),))
    with pytest.raises(PlanError, match="不符合备案要求"):
        planning.save_task(
            seeded, "LC-LH-2026", too_high, original_code=too_high.code, reason="提高比例"
        )
    assert planning.task_spec(seeded, too_high.code) == single_task()
    assert [v.version_no for v in planning.list_versions(seeded, "LC-LH-2026")] == [1]
