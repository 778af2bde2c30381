"""Tasks inside a plan's Session: spec ↔ rows, save-time validation, filing checks.

Helpers of app.services.plans.planning (which opens the Sessions); not a public API.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.planning import (
    STRATA,
    ItemCap,
    PlanState,
    Problem,
    SamplingRule,
    Severity,
    check_caps,
    check_rules,
    check_task_code,
    check_team,
)
from app.domain.registry import ItemCategory
from app.models.plans import AnnualPlan, SamplingTask, TaskDepartment, TaskSamplingRule
from app.models.registry import Department, InspectionItem
from app.services.plans.values import ItemRef, PlanError, Scope, TaskSpec

DIVISION_RE = re.compile(r"\d{6}")


def item_ref(i: InspectionItem) -> ItemRef:
    return ItemRef(
        code=i.code,
        name=i.name,
        department=i.department.code,
        is_key=i.category is ItemCategory.KEY,
        ratio_cap_bp=i.ratio_cap_bp,
        joint_allowed=i.joint_allowed,
    )


def task_spec(t: SamplingTask) -> TaskSpec:
    return TaskSpec(
        code=t.code,
        title=t.title,
        item_codes=tuple(i.code for i in t.items),
        departments={
            td.department.code: td.min_inspectors
            for td in sorted(t.departments, key=lambda td: td.department.sort_order)
        },
        rules=tuple(
            SamplingRule(r.stratum, r.ratio_bp, r.count)
            for r in sorted(t.rules, key=lambda r: _stratum_rank(r.stratum))
        ),
        planned_start=t.planned_start,
        planned_end=t.planned_end,
        scope=Scope(
            divisions=tuple(t.scope_divisions),
            entity_types=tuple(t.scope_entity_types),
            industries=tuple(t.scope_industries),
            tags=tuple(t.scope_tags),
            registered_before=t.registered_before,
        ),
        initiator_level=t.initiator_level,
        batches=t.batches,
        team_size=t.team_size,
        district_rule=t.district_rule,
        max_load=t.max_load,
        recent_window_months=t.recent_window_months,
        pending_item=t.pending_item or "",
    )


def task_values(spec: TaskSpec) -> dict[str, object]:
    """The task editor's own columns, for the message of a refused stale save."""
    return {
        "code": spec.code,
        "title": spec.title.strip(),
        "planned_start": spec.planned_start,
        "planned_end": spec.planned_end,
        "team_size": spec.team_size,
        "batches": spec.batches,
        "max_load": spec.max_load,
        "district_rule": spec.district_rule,
        "initiator_level": spec.initiator_level,
        "recent_window_months": spec.recent_window_months,
        "scope_divisions": sorted(spec.scope.divisions),
        "scope_entity_types": sorted(spec.scope.entity_types),
        "scope_industries": sorted(spec.scope.industries),
        "scope_tags": sorted(spec.scope.tags),
        "registered_before": spec.scope.registered_before,
    }


def _stratum_rank(stratum: str) -> int:
    return STRATA.index(stratum) if stratum in STRATA else len(STRATA)


def task_in_plan(plan: AnnualPlan, code: str) -> SamplingTask:
    """A task of an already loaded plan (by code in the session: plans.queries.load_task)."""
    for task in plan.tasks:
        if task.code == code:
            return task
    raise PlanError(f"计划“{plan.code}”中没有任务“{code}”")


def new_task(s: Session, plan: AnnualPlan, spec: TaskSpec) -> SamplingTask:
    if s.scalar(select(SamplingTask.id).where(SamplingTask.code == spec.code)) is not None:
        raise PlanError(f"任务编号“{spec.code}”已被使用")
    if plan.state is PlanState.DRAFT:
        state = PlanState.DRAFT
    else:
        state = PlanState.PUBLISHED if plan.published_at else PlanState.FILED
    # Joined to the plan by the caller once filled in (autoflush must not see it half-made).
    return SamplingTask(
        position=max((t.position for t in plan.tasks), default=0) + 1,
        state=state,
        code=spec.code,
    )


def _validate(spec: TaskSpec) -> None:
    """What makes a task unsavable; each message names the task and the field."""
    where = f"任务“{spec.code or '（未编号）'}”"
    problem = check_task_code(spec.code)
    if problem:
        raise PlanError(problem)
    if not spec.title.strip():
        raise PlanError(f"{where}：任务名称不能为空")
    if not spec.item_codes:
        raise PlanError(f"{where}：至少选择一个抽查事项")
    if spec.planned_end < spec.planned_start:
        raise PlanError(f"{where}：计划结束日期早于开始日期")
    if spec.team_size < 2:
        raise PlanError(f"{where}：每组检查人员不得少于 2 人")
    if spec.batches < 1:
        raise PlanError(f"{where}：批次数至少为 1")
    if spec.max_load is not None and spec.max_load < 1:
        raise PlanError(f"{where}：每人最多检查户数至少为 1，或留空表示不限")
    if spec.recent_window_months < 0:
        raise PlanError(f"{where}：近期检查回避月数不能为负")
    if any(n < 0 for n in spec.departments.values()):
        raise PlanError(f"{where}：部门每组最少人数不能为负")
    bad = [d for d in spec.scope.divisions if not DIVISION_RE.fullmatch(d)]
    if bad:
        raise PlanError(f"{where}：行政区划代码应为 6 位数字：{'、'.join(bad)}")
    rule_problems = check_rules(spec.code, spec.rules)
    if rule_problems:
        raise PlanError("；".join(p.message for p in rule_problems))


def apply_task_spec(s: Session, plan: AnnualPlan, task: SamplingTask, spec: TaskSpec) -> None:
    _validate(spec)
    if spec.code != task.code:
        taken = s.scalar(select(SamplingTask.id).where(SamplingTask.code == spec.code))
        if taken is not None:
            raise PlanError(f"任务编号“{spec.code}”已被使用")
    items = list(s.scalars(select(InspectionItem).where(InspectionItem.code.in_(spec.item_codes))))
    unknown = sorted(set(spec.item_codes) - {i.code for i in items})
    if unknown:
        raise PlanError(f"任务“{spec.code}”：抽查事项不存在：{'、'.join(unknown)}")
    item_depts = {i.department.code for i in items}
    chosen = set(spec.departments)
    if chosen != item_depts:
        extra, missing = sorted(chosen - item_depts), sorted(item_depts - chosen)
        parts = []
        if missing:
            parts.append(f"事项所属部门未列入：{'、'.join(missing)}")
        if extra:
            parts.append(f"部门没有选入任何事项：{'、'.join(extra)}")
        raise PlanError(f"任务“{spec.code}”的部门与抽查事项不一致（{'；'.join(parts)}）")
    depts = {d.code: d for d in s.scalars(select(Department).where(Department.code.in_(chosen)))}

    task.code, task.title = spec.code, spec.title.strip()
    task.items = items
    task.is_joint = spec.is_joint
    task.initiator_level = spec.initiator_level
    task.scope_divisions = sorted(spec.scope.divisions)
    task.scope_entity_types = sorted(spec.scope.entity_types)
    task.scope_industries = sorted(spec.scope.industries)
    task.scope_tags = sorted(spec.scope.tags)
    task.registered_before = spec.scope.registered_before
    task.batches, task.team_size = spec.batches, spec.team_size
    task.district_rule, task.max_load = spec.district_rule, spec.max_load
    task.recent_window_months = spec.recent_window_months
    task.planned_start, task.planned_end = spec.planned_start, spec.planned_end
    # Items were picked (the save requires one): an imported row's text is settled.
    task.pending_item = None

    # Update association rows in place: a delete and an insert of the same
    # primary key in one flush may run in the wrong order.
    current = {td.department.code: td for td in task.departments}
    for code in list(current):
        if code not in chosen:
            task.departments.remove(current.pop(code))
    for code, minimum in spec.departments.items():
        if code in current:
            current[code].min_inspectors = minimum
        else:
            task.departments.append(TaskDepartment(department=depts[code], min_inspectors=minimum))
    rules = {r.stratum: r for r in task.rules}
    wanted = {r.stratum: r for r in spec.rules}
    for stratum in list(rules):
        if stratum not in wanted:
            task.rules.remove(rules.pop(stratum))
    for stratum, rule in wanted.items():
        row = rules.get(stratum)
        if row is None:
            task.rules.append(
                TaskSamplingRule(stratum=stratum, ratio_bp=rule.ratio_bp, count=rule.count)
            )
        else:
            row.ratio_bp, row.count = rule.ratio_bp, rule.count
    check_task_departments_in_plan(task, plan, chosen)


def check_task_departments_in_plan(
    task: SamplingTask, plan: AnnualPlan, codes: set[str] | None = None
) -> None:
    allowed = {d.code for d in plan.departments}
    codes = codes if codes is not None else {td.department.code for td in task.departments}
    outside = sorted(codes - allowed)
    if outside:
        raise PlanError(
            f"任务“{task.code}”的部门 {'、'.join(outside)} 不是计划“{plan.code}”的参与部门，"
            "请先在计划中加入该部门"
        )


def task_problems(
    spec: TaskSpec,
    items: Mapping[str, ItemRef],
    year: int,
    populations: Mapping[str, int] | None = None,
) -> list[Problem]:
    """Filing blockers and warnings of one task (the live editor shows the same)."""
    problems: list[Problem] = []
    if spec.pending_item or not spec.item_codes:
        written = f"（导入时写作“{spec.pending_item}”）" if spec.pending_item else ""
        problems.append(
            Problem(
                Severity.BLOCKS_FILING,
                f"任务 {spec.code} 还没有选定抽查事项{written}，请在任务中选择抽查事项",
            )
        )
    code_problem = check_task_code(spec.code, year)
    if code_problem:
        problems.append(Problem(Severity.BLOCKS_FILING, code_problem))
    problems += check_rules(spec.code, spec.rules)
    chosen = [items[c] for c in spec.item_codes if c in items]
    caps = [ItemCap(i.code, i.name, i.is_key, i.ratio_cap_bp) for i in chosen]
    problems += check_caps(spec.code, caps, spec.rules, populations)
    for item in chosen:
        if not item.is_key and item.ratio_cap_bp is None:
            problems.append(
                Problem(
                    Severity.WARNING,
                    f"任务 {spec.code}：一般检查事项“{item.name}”（{item.code}）未设抽查比例上限，"
                    "请在抽查事项清单中核实事项类别并补填比例上限",
                )
            )
    minimums = {d: n for d, n in spec.departments.items() if n > 0}
    problems += check_team(spec.code, spec.team_size, minimums)
    if spec.is_joint:
        for item in chosen:
            if not item.joint_allowed:
                problems.append(
                    Problem(
                        Severity.BLOCKS_FILING,
                        f"任务 {spec.code}：事项“{item.name}”（{item.code}）不适用部门联合抽查",
                    )
                )
    if spec.planned_start.year != year or spec.planned_end.year != year:
        problems.append(
            Problem(
                Severity.WARNING,
                f"任务 {spec.code} 的计划时间 {spec.planned_start} 至 {spec.planned_end} "
                f"超出 {year} 年度",
            )
        )
    return problems


def sync_plan_state(plan: AnnualPlan) -> None:
    """After publishing, a plan is as far as its least advanced task."""
    if plan.state.rank < PlanState.PUBLISHED.rank or not plan.tasks:
        return
    least = min((t.state for t in plan.tasks), key=lambda st: st.rank)
    plan.state = max(least, PlanState.PUBLISHED, key=lambda st: st.rank)
