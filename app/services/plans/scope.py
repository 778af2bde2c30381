"""Which departments a plan or a task belongs to, for permission checks and narrowed lists.

- A plan belongs to its lead department (牵头部门): the plan's own fields,
  filing (备案) and publishing (公开) are that department's business. Every
  participating department (参与部门) sees the plan.
- A task belongs to each of its departments (all participants of a joint
  task) and to its plan's lead department, which compiles the plan. A
  department sees and changes only the tasks it belongs to.
- Users tied to no department and administrators see everything
  (app.services.access.auth).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select

from app.domain.auth import Permission
from app.models.plans import AnnualPlan, SamplingTask, TaskDepartment, plan_departments
from app.services.access.auth import Principal, in_scope, require, scope_clause


def _lead_id(plan: AnnualPlan) -> int:
    # A plan being built has its lead department object before its id column.
    return plan.lead_department.id if plan.lead_department is not None else plan.lead_department_id


def plan_department_ids(plan: AnnualPlan) -> set[int]:
    """The lead and every participating department."""
    return {_lead_id(plan), *(d.id for d in plan.departments)}


def task_department_ids(task: SamplingTask, plan: AnnualPlan | None = None) -> set[int]:
    """The task's departments and its plan's lead (pass `plan` for a task not yet in it)."""
    owner = plan if plan is not None else task.plan
    ids = {
        td.department.id if td.department is not None else td.department_id
        for td in task.departments
    }
    return ids | {_lead_id(owner)}


def require_plan(permission: Permission, plan: AnnualPlan) -> Principal:
    """A change to the plan itself: the lead department's."""
    return require(permission, department_id=_lead_id(plan))


def require_plan_view(plan: AnnualPlan) -> Principal:
    return require(Permission.VIEW, department_ids=plan_department_ids(plan))


def require_task(
    permission: Permission, task: SamplingTask, plan: AnnualPlan | None = None
) -> Principal:
    return require(permission, department_ids=task_department_ids(task, plan))


def task_visible(task: SamplingTask) -> bool:
    return in_scope(task_department_ids(task))


def plan_visible_clause() -> ColumnElement[bool]:
    """WHERE: plans the current principal sees (lead or participating department)."""
    participating = select(plan_departments.c.plan_id).where(
        scope_clause(plan_departments.c.department_id)
    )
    return or_(scope_clause(AnnualPlan.lead_department_id), AnnualPlan.id.in_(participating))


def task_visible_clause() -> ColumnElement[bool]:
    """WHERE: tasks the current principal sees (one of its departments, or its plan's lead)."""
    own = select(TaskDepartment.task_id).where(scope_clause(TaskDepartment.department_id))
    led = select(AnnualPlan.id).where(scope_clause(AnnualPlan.lead_department_id))
    return or_(SamplingTask.id.in_(own), SamplingTask.plan_id.in_(led))
