"""Demo annual plans: a filed and published 2026 joint plan and a 2027 draft.

Built from whatever the database holds: a task is added only when its items
and departments exist, so the function also runs on a partial item list.
It works inside the caller's Session (the demo fill adds it to its own
transaction); `create_demo_plans` opens one for use on its own.

2026 (联合, 已公开): 食品生产企业联合检查 (市场监管局、应急局、生态环境局),
住宿场所联合检查 (公安局、卫生健康委、市场监管局), 特种设备使用单位全覆盖检查
(重点事项, 100 %, 3 批), 企业公示信息抽查, 餐饮服务提供者监督检查.
2027 (草稿): the food-production joint task and the 企业公示 sample again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.planning import (
    STRATA,
    DistrictRule,
    InitiatorLevel,
    PlanKind,
    PlanState,
    SamplingRule,
)
from app.models.db import Database
from app.models.plans import AnnualPlan
from app.models.registry import Department, InspectionItem
from app.services.plans import tasks as plan_tasks
from app.services.plans.planning import FILING_REASON, record_version
from app.services.plans.values import Scope, TaskSpec

LEAD = "SCJGJ"


@dataclass(frozen=True)
class DemoPlans:
    plans: int
    tasks: int


def _ratios(
    a: int, b: int, c: int, d: int, unclassified: int | None = None
) -> tuple[SamplingRule, ...]:
    values = (a, b, c, d, d if unclassified is None else unclassified)
    return tuple(SamplingRule(s, ratio_bp=v) for s, v in zip(STRATA, values, strict=True))


def _tasks(year: int) -> list[TaskSpec]:
    y = year
    return [
        TaskSpec(
            code=f"LC-LH-{y}-001",
            title="食品生产企业联合检查",
            item_codes=("SCJGJ-001", "SHJ-001", "YJJ-003"),
            departments={"SCJGJ": 1, "YJJ": 1, "SHJ": 1},
            rules=_ratios(300, 500, 500, 500),
            planned_start=date(y, 4, 1),
            planned_end=date(y, 6, 30),
            scope=Scope(tags=("食品生产",)),
            initiator_level=InitiatorLevel.CITY,
            team_size=3,
            district_rule=DistrictRule.DIFFERENT,
        ),
        TaskSpec(
            code=f"LC-LH-{y}-002",
            title="住宿场所联合检查",
            item_codes=("GAJ-001", "SCJGJ-004", "WJW-001"),
            departments={"GAJ": 1, "WJW": 1, "SCJGJ": 1},
            rules=_ratios(200, 300, 500, 500),
            planned_start=date(y, 5, 1),
            planned_end=date(y, 7, 31),
            scope=Scope(industries=("61",)),
            initiator_level=InitiatorLevel.CITY,
            team_size=3,
        ),
        TaskSpec(
            code=f"LC-SCJGJ-{y}-001",
            title="东昌府区特种设备使用单位全覆盖检查",
            item_codes=("SCJGJ-004",),
            departments={"SCJGJ": 2},
            rules=_ratios(10000, 10000, 10000, 10000),
            planned_start=date(y, 3, 1),
            planned_end=date(y, 11, 30),
            scope=Scope(divisions=("371502",), tags=("特种设备使用",)),
            batches=3,
            max_load=40,
        ),
        TaskSpec(
            code=f"LC-SCJGJ-{y}-002",
            title="企业公示信息抽查",
            item_codes=("SCJGJ-009",),
            departments={"SCJGJ": 2},
            rules=_ratios(100, 200, 300, 300),
            planned_start=date(y, 7, 1),
            planned_end=date(y, 11, 30),
            scope=Scope(entity_types=("企业",)),
            initiator_level=InitiatorLevel.CITY,
        ),
        TaskSpec(
            code=f"LC-SCJGJ-{y}-003",
            title="餐饮服务提供者监督检查",
            item_codes=("SCJGJ-003",),
            departments={"SCJGJ": 2},
            rules=_ratios(200, 300, 500, 500),
            planned_start=date(y, 6, 1),
            planned_end=date(y, 9, 30),
            scope=Scope(industries=("62",)),
        ),
    ]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour)).astimezone(UTC)


def _add_plan(
    s: Session,
    code: str,
    year: int,
    title: str,
    tasks: list[TaskSpec],
    depts: dict[str, Department],
    items: set[str],
) -> AnnualPlan | None:
    usable = [t for t in tasks if set(t.item_codes) <= items and set(t.departments) <= set(depts)]
    if LEAD not in depts or not usable:
        return None
    codes = [LEAD, *sorted({d for t in usable for d in t.departments} - {LEAD})]
    plan = AnnualPlan(
        code=code,
        year=year,
        title=title,
        kind=PlanKind.JOINT if len(codes) > 1 else PlanKind.DEPARTMENT,
        lead_department=depts[LEAD],
        departments=sorted((depts[c] for c in codes), key=lambda d: d.sort_order),
        state=PlanState.DRAFT,
        version_no=1,
        note="",
    )
    s.add(plan)
    for spec in usable:
        task = plan_tasks.new_task(s, plan, spec)
        with s.no_autoflush:
            plan_tasks.apply_task_spec(s, plan, task, spec)
        plan.tasks.append(task)
    s.flush()
    return plan


def fill_demo_plans(s: Session, today: date | None = None) -> DemoPlans:
    """Add the demo plans in `s`; nothing is added when the plan codes are taken."""
    today = today or date.today()
    year = today.year
    taken = set(s.scalars(select(AnnualPlan.code)))
    depts = {d.code: d for d in s.scalars(select(Department))}
    items = set(s.scalars(select(InspectionItem.code)))
    current, following = f"LC-LH-{year}", f"LC-LH-{year + 1}"
    if current in taken or following in taken:
        return DemoPlans(0, 0)

    made = []
    plan = _add_plan(
        s, current, year, f"聊城市{year}年度部门联合双随机抽查工作计划", _tasks(year), depts, items
    )
    if plan is not None:
        filed = min(today, date(year, 1, 20))
        published = min(today, date(year, 1, 28))
        plan.state, plan.filed_at = PlanState.FILED, _at(filed, 10)
        for task in plan.tasks:
            task.state = PlanState.FILED
        record_version(s, plan, FILING_REASON)
        plan.state, plan.published_at = PlanState.PUBLISHED, _at(published, 15)
        for task in plan.tasks:
            task.state = PlanState.PUBLISHED
        made.append(plan)
    wanted = {f"LC-LH-{year + 1}-001", f"LC-SCJGJ-{year + 1}-002"}
    draft = _add_plan(
        s,
        following,
        year + 1,
        f"聊城市{year + 1}年度部门联合双随机抽查工作计划（草案）",
        [t for t in _tasks(year + 1) if t.code in wanted],
        depts,
        items,
    )
    if draft is not None:
        made.append(draft)
    s.flush()
    return DemoPlans(len(made), sum(len(p.tasks) for p in made))


def create_demo_plans(db: Database, today: date | None = None) -> DemoPlans:
    with db.session() as s:
        return fill_demo_plans(s, today)
