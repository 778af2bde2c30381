"""年度抽查计划, read side: lists, details, versions and their comparison.

Re-exported by app.services.plans.planning, the module callers use. Each read is
narrowed to the acting user's departments (app.services.plans.scope): a
department sees the plans it leads or takes part in, and within them the
tasks it belongs to; opening another department's plan is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.errors import UserError
from app.models.db import Database
from app.models.plans import AnnualPlan, SamplingTask, TaskDepartment
from app.models.registry import Department, InspectionItem
from app.services.access.auth import Permission
from app.services.plans import tasks as plan_tasks
from app.services.plans.scope import (
    plan_visible_clause,
    require_plan_view,
    require_task,
    task_visible,
)
from app.services.plans.snapshot import compare_snapshots
from app.services.plans.values import (
    DepartmentRef,
    DiffRow,
    ItemRef,
    PlanDetail,
    PlanError,
    PlanRow,
    PlanSpec,
    TaskDetail,
    TaskRow,
    TaskSpec,
    VersionRow,
)


def load_plan(s: Session, code: str) -> AnnualPlan:
    plan = s.execute(
        select(AnnualPlan)
        .where(AnnualPlan.code == code)
        .options(selectinload(AnnualPlan.tasks).selectinload(SamplingTask.rules))
    ).scalar_one_or_none()
    if plan is None:
        raise PlanError(f"找不到计划“{code}”")
    return plan


def load_task(s: Session, code: str, refuse: type[UserError] = PlanError) -> SamplingTask:
    """The one way to find a task by code; an unknown code raises `refuse` (PlanError)."""
    task = s.scalar(select(SamplingTask).where(SamplingTask.code == code))
    if task is None:
        raise refuse(f"找不到抽查任务“{code}”")
    return task


# --- reading -----------------------------------------------------------------


def reference_data(db: Database) -> tuple[list[DepartmentRef], list[ItemRef]]:
    """Departments and items for the editors' pick lists."""
    with db.session() as s:
        depts = [
            DepartmentRef(d.code, d.name)
            for d in s.scalars(select(Department).order_by(Department.sort_order, Department.code))
        ]
        items = [
            plan_tasks.item_ref(i)
            for i in s.scalars(
                select(InspectionItem)
                .options(selectinload(InspectionItem.department))
                .order_by(InspectionItem.code)
            )
        ]
    return depts, items


def _task_row(t: SamplingTask) -> TaskRow:
    return TaskRow(
        code=t.code,
        title=t.title,
        state=t.state,
        is_joint=t.is_joint,
        departments=tuple(
            td.department.code
            for td in sorted(t.departments, key=lambda td: td.department.sort_order)
        ),
        planned_start=t.planned_start,
        planned_end=t.planned_end,
    )


def list_plans(db: Database, year: int | None = None) -> list[PlanRow]:
    """Plans, newest year first, each with its tasks in order."""
    with db.session() as s:
        stmt = (
            select(AnnualPlan)
            .options(
                selectinload(AnnualPlan.lead_department),
                selectinload(AnnualPlan.tasks)
                .selectinload(SamplingTask.departments)
                .selectinload(TaskDepartment.department),
            )
            .order_by(AnnualPlan.year.desc(), AnnualPlan.code)
        )
        stmt = stmt.where(plan_visible_clause())
        if year is not None:
            stmt = stmt.where(AnnualPlan.year == year)
        return [
            PlanRow(
                code=p.code,
                year=p.year,
                title=p.title,
                kind=p.kind,
                state=p.state,
                version_no=p.version_no,
                lead_department=p.lead_department.name,
                tasks=tuple(_task_row(t) for t in p.tasks if task_visible(t)),
            )
            for p in s.scalars(stmt)
        ]


def get_plan(db: Database, code: str) -> PlanDetail:
    with db.session() as s:
        plan = load_plan(s, code)
        require_plan_view(plan)
        spec = PlanSpec(
            code=plan.code,
            year=plan.year,
            title=plan.title,
            kind=plan.kind,
            lead_department=plan.lead_department.code,
            departments=tuple(d.code for d in plan.departments),
            note=plan.note,
        )
        return PlanDetail(
            spec=spec,
            state=plan.state,
            version_no=plan.version_no,
            filed_at=plan.filed_at,
            published_at=plan.published_at,
            tasks=tuple(
                TaskDetail(plan_tasks.task_spec(t), t.state, t.row_version)
                for t in plan.tasks
                if task_visible(t)
            ),
            row_version=plan.row_version,
        )


def plan_year_of_task(db: Database, task_code: str) -> tuple[str, int]:
    with db.session() as s:
        row = s.execute(
            select(AnnualPlan.code, AnnualPlan.year)
            .join(SamplingTask, SamplingTask.plan_id == AnnualPlan.id)
            .where(SamplingTask.code == task_code)
        ).one_or_none()
    if row is None:
        raise PlanError(f"找不到抽查任务“{task_code}”")
    return row[0], row[1]


def list_versions(db: Database, code: str) -> list[VersionRow]:
    with db.session() as s:
        plan = load_plan(s, code)
        require_plan_view(plan)
        return [
            VersionRow(v.version_no, v.reason, v.created_at, v.snapshot_hash) for v in plan.versions
        ]


def version_snapshot(db: Database, code: str, version_no: int) -> dict[str, Any]:
    with db.session() as s:
        plan = load_plan(s, code)
        require_plan_view(plan)
        for v in plan.versions:
            if v.version_no == version_no:
                return dict(v.snapshot)
    raise PlanError(f"计划“{code}”没有第 {version_no} 版")


def compare_versions(db: Database, code: str, left: int, right: int) -> list[DiffRow]:
    """Side by side: every line of both versions, changed lines flagged."""
    return compare_snapshots(version_snapshot(db, code, left), version_snapshot(db, code, right))


def task_spec(db: Database, task_code: str) -> TaskSpec:
    with db.session() as s:
        task = load_task(s, task_code)
        require_task(Permission.VIEW, task)
        return plan_tasks.task_spec(task)
