"""年度抽查计划: create and edit plans and tasks, file, publish, adjust, list, compare.

One Session per call. A draft plan is edited freely; once filed (备案) every
change is an adjustment (调整): the change and a new PlanVersion with its
reason are written in the same transaction, and the older versions stay.
Problems that block filing are computed by `plan_checks` (also shown live
in the editor); structural mistakes are refused at save with a PlanError.

Every change checks the acting user's permission and department in this
layer (app.services.plans.scope): plans and filing need 制定和调整抽查计划
in the lead department, a task needs it in one of the task's departments or
the plan's lead, publishing needs 审核与公示. Forms pass the `version` they
were loaded with; a save over someone else's newer save is refused with a
ConcurrentEditError naming the other change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.auth import Permission
from app.domain.planning import (
    ADJUSTABLE_TASK_STATES,
    PlanKind,
    PlanState,
    Problem,
    Severity,
    check_plan_code,
    check_transition,
    filing_late,
)
from app.models.db import Database
from app.models.plans import AnnualPlan, PlanVersion
from app.models.registry import Department, InspectionItem
from app.services.common.concurrency import ensure_version, flush_or_explain, touch
from app.services.plans import tasks as plan_tasks
from app.services.plans.queries import (
    compare_versions,
    get_plan,
    list_plans,
    list_versions,
    load_plan,
    plan_year_of_task,
    reference_data,
    task_spec,
    version_snapshot,
)
from app.services.plans.scope import require_plan, require_task
from app.services.plans.snapshot import plan_snapshot, snapshot_hash
from app.services.plans.values import (
    Outcome,
    PlanError,
    PlanSpec,
    TaskSpec,
)

FILING_REASON = "备案"


@contextmanager
def _unit(db: Database) -> Iterator[Session]:
    """A Session whose constraint failures come out as PlanError.

    Each change ends with flush_or_explain, so a lost race is a ConcurrentEditError
    naming the other change; a StaleDataError reaching this point is the fallback.
    """
    try:
        with db.session() as s:
            yield s
    except StaleDataError:
        raise PlanError("该计划刚被其他用户修改，请刷新后重试。本次修改未保存。") from None
    except IntegrityError as exc:
        raise PlanError(f"保存失败，数据不符合数据库约束：{exc.orig}") from None


def _departments(s: Session, codes: list[str]) -> list[Department]:
    found = {d.code: d for d in s.scalars(select(Department).where(Department.code.in_(codes)))}
    missing = [c for c in codes if c not in found]
    if missing:
        raise PlanError(f"部门代码不存在：{'、'.join(missing)}")
    return [found[c] for c in codes]


# --- versions ----------------------------------------------------------------


def record_version(s: Session, plan: AnnualPlan, reason: str) -> PlanVersion:
    """Store the plan as it now stands as its next version (in the caller's Session)."""
    flush_or_explain(s)
    s.expire(plan)  # reload collections as now stored
    number = 1 if not plan.versions else max(v.version_no for v in plan.versions) + 1
    snap = plan_snapshot(plan)
    version = PlanVersion(
        version_no=number, reason=reason, snapshot=snap, snapshot_hash=snapshot_hash(snap)
    )
    plan.versions.append(version)
    plan.version_no = number
    return version


# --- editing -----------------------------------------------------------------


def _require_reason(plan: AnnualPlan, reason: str | None) -> str | None:
    """None for a draft; the trimmed reason of an adjustment, or a refusal."""
    if not plan.state.locked:
        return None
    text = (reason or "").strip()
    if not text:
        raise PlanError(
            f"计划“{plan.code}”已{plan.state.label}，不能直接修改：请作为“调整”提交，并填写调整原因。"
        )
    return text


def _adjusted(s: Session, plan: AnnualPlan, reason: str | None, what: str) -> Outcome:
    if reason is None:
        flush_or_explain(s)
        return Outcome(f"已保存{what}。")
    version = record_version(s, plan, reason)
    plan_tasks.sync_plan_state(plan)
    flush_or_explain(s)
    note = "请重新公开调整后的计划。" if plan.published_at else ""
    return Outcome(f"已调整{what}，计划“{plan.code}”现为第 {version.version_no} 版。{note}")


def _apply_plan_spec(s: Session, plan: AnnualPlan, spec: PlanSpec) -> None:
    problem = check_plan_code(spec.code)
    if problem:
        raise PlanError(problem)
    if not spec.title.strip():
        raise PlanError("计划名称不能为空")
    codes = [spec.lead_department, *[c for c in spec.departments if c != spec.lead_department]]
    depts = _departments(s, codes)
    if spec.kind is PlanKind.JOINT and len(depts) < 2:
        raise PlanError(f"联合抽查计划“{spec.code}”至少需要两个部门（牵头部门和参与部门）")
    plan.code, plan.year, plan.title, plan.kind = (
        spec.code,
        spec.year,
        spec.title.strip(),
        spec.kind,
    )
    plan.lead_department = depts[0]
    plan.departments = depts
    plan.note = spec.note


def _plan_values(spec: PlanSpec) -> dict[str, object]:
    """The plan form's own columns, for the message of a refused stale save."""
    return {"code": spec.code, "year": spec.year, "title": spec.title.strip(), "note": spec.note}


def create_plan(db: Database, spec: PlanSpec) -> Outcome:
    with _unit(db) as s:
        if s.scalar(select(AnnualPlan.id).where(AnnualPlan.code == spec.code)) is not None:
            raise PlanError(f"计划编号“{spec.code}”已存在")
        plan = AnnualPlan(state=PlanState.DRAFT, version_no=1)
        with s.no_autoflush:
            _apply_plan_spec(s, plan, spec)
        require_plan(Permission.MANAGE_PLANS, plan)
        s.add(plan)
    return Outcome(f"已新建计划“{spec.code}”（草稿）。")


def update_plan(
    db: Database,
    code: str,
    spec: PlanSpec,
    reason: str | None = None,
    *,
    version: int | None = None,
) -> Outcome:
    """Save the plan form; `version` is the plan's `row_version` the form was loaded with."""
    with _unit(db) as s:
        plan = load_plan(s, code)
        require_plan(Permission.MANAGE_PLANS, plan)
        if version is not None:
            ensure_version(plan, version, mine=_plan_values(spec))
        why = _require_reason(plan, reason)
        if why is not None and (spec.code != plan.code or spec.year != plan.year):
            raise PlanError("已备案计划的编号和年度不能调整")
        with s.no_autoflush:
            _apply_plan_spec(s, plan, spec)
        require_plan(Permission.MANAGE_PLANS, plan)  # the new lead department too
        for task in plan.tasks:
            plan_tasks.check_task_departments_in_plan(task, plan)
        return _adjusted(s, plan, why, "计划信息")


def save_task(
    db: Database,
    plan_code: str,
    spec: TaskSpec,
    *,
    original_code: str | None = None,
    reason: str | None = None,
    version: int | None = None,
) -> Outcome:
    """Create (original_code None) or change a task; an adjustment once filed.

    `version` is the task's `row_version` the editor was loaded with.
    """
    with _unit(db) as s:
        plan = load_plan(s, plan_code)
        before: TaskSpec | None = None
        if original_code is None:
            task = plan_tasks.new_task(s, plan, spec)
        else:
            task = plan_tasks.task_in_plan(plan, original_code)
            require_task(Permission.MANAGE_PLANS, task)
            if version is not None:
                ensure_version(task, version, mine=plan_tasks.task_values(spec))
            if task.state not in ADJUSTABLE_TASK_STATES:
                raise PlanError(f"任务“{task.code}”已{task.state.label}，不能再修改")
            before = plan_tasks.task_spec(task)
        why = _require_reason(plan, reason)
        with s.no_autoflush:
            plan_tasks.apply_task_spec(s, plan, task, spec)
            # The departments as saved must be the user's too (a new task's, or a moved one's).
            require_task(Permission.MANAGE_PLANS, task, plan)
            if why is not None:
                _refuse_blocking(s, spec, plan.year)
            if before is not None and plan_tasks.task_spec(task) != before:
                touch(task)  # the version covers items, departments and rules
        if task not in plan.tasks:
            plan.tasks.append(task)
        what = f"任务“{spec.code}”" if original_code else f"新任务“{spec.code}”"
        return _adjusted(s, plan, why, what)


def _refuse_blocking(s: Session, spec: TaskSpec, year: int) -> None:
    """A filed plan must stay fileable: an adjustment may not break a filing rule."""
    items = {
        i.code: plan_tasks.item_ref(i)
        for i in s.scalars(select(InspectionItem).where(InspectionItem.code.in_(spec.item_codes)))
    }
    blocking = [
        p
        for p in plan_tasks.task_problems(spec, items, year)
        if p.severity is Severity.BLOCKS_FILING
    ]
    if blocking:
        raise PlanError("调整后的任务不符合备案要求：\n" + "\n".join(str(p) for p in blocking))


def delete_task(
    db: Database, task_code: str, reason: str | None = None, *, version: int | None = None
) -> Outcome:
    plan_code, _ = plan_year_of_task(db, task_code)
    with _unit(db) as s:
        plan = load_plan(s, plan_code)
        task = plan_tasks.task_in_plan(plan, task_code)
        require_task(Permission.MANAGE_PLANS, task)
        if version is not None:
            ensure_version(task, version)
        why = _require_reason(plan, reason)
        if task.state not in ADJUSTABLE_TASK_STATES:
            raise PlanError(f"任务“{task_code}”已{task.state.label}，不能删除")
        plan.tasks.remove(task)
        if why is not None and not plan.tasks:
            raise PlanError("已备案的计划至少保留一个抽查任务")
        return _adjusted(s, plan, why, f"（删除任务“{task_code}”）")


# --- life cycle --------------------------------------------------------------


def _require_plan_code(db: Database, code: str, permission: Permission) -> None:
    with db.session() as s:
        require_plan(permission, load_plan(s, code))


CountsFn = Callable[[TaskSpec], dict[str, int]]


def plan_checks(
    db: Database, code: str, on: date | None = None, counts: CountsFn | None = None
) -> list[Problem]:
    """Everything filing would refuse or warn about, task by task.

    `counts` gives a task's candidates per stratum (for fixed counts under a
    cap); the pool preview supplies it, tests may pass a stub.
    """
    on = on or date.today()
    detail = get_plan(db, code)
    _, items = reference_data(db)
    by_code = {i.code: i for i in items}
    problems: list[Problem] = []
    if not detail.tasks:
        problems.append(Problem(Severity.BLOCKS_FILING, f"计划“{code}”还没有抽查任务"))
    for task in detail.tasks:
        populations = counts(task.spec) if counts else None
        problems += plan_tasks.task_problems(task.spec, by_code, detail.spec.year, populations)
    if detail.state is PlanState.DRAFT:
        late = filing_late(detail.spec.year, on)
        if late:
            problems.append(late)
    return problems


def file_plan(
    db: Database, code: str, on: date | None = None, counts: CountsFn | None = None
) -> Outcome:
    """备案: refuse on any blocking problem; lock the plan and store version 1."""
    _require_plan_code(db, code, Permission.MANAGE_PLANS)
    problems = plan_checks(db, code, on, counts)
    blocking = [p for p in problems if p.severity is Severity.BLOCKS_FILING]
    if blocking:
        raise PlanError(f"计划“{code}”不能备案：\n" + "\n".join(str(p) for p in blocking))
    with _unit(db) as s:
        plan = load_plan(s, code)
        require_plan(Permission.MANAGE_PLANS, plan)
        check_transition(f"计划“{code}”", plan.state, PlanState.FILED)
        plan.state = PlanState.FILED
        plan.filed_at = datetime.now(UTC)
        for task in plan.tasks:
            task.state = PlanState.FILED
        record_version(s, plan, FILING_REASON)
        flush_or_explain(s)
    warnings = tuple(p for p in problems if p.severity is not Severity.BLOCKS_FILING)
    return Outcome(f"计划“{code}”已备案，已锁定为第 1 版。", warnings)


def publish_plan(db: Database, code: str) -> Outcome:
    """公开: the filed plan (and later adjustments) may be posted."""
    with _unit(db) as s:
        plan = load_plan(s, code)
        require_plan(Permission.PUBLISH, plan)
        check_transition(f"计划“{code}”", plan.state, PlanState.PUBLISHED)
        plan.state = PlanState.PUBLISHED
        plan.published_at = datetime.now(UTC)
        for task in plan.tasks:
            if task.state is PlanState.FILED:
                task.state = PlanState.PUBLISHED
        flush_or_explain(s)
    return Outcome(f"计划“{code}”已公开。")


# Who moves a task on: the draw marks it drawn, results mark it inspected and done.
STATE_PERMISSIONS: dict[PlanState, Permission] = {
    PlanState.DRAWN: Permission.RUN_DRAWS,
    PlanState.INSPECTING: Permission.ENTER_RESULTS,
    PlanState.DONE: Permission.ENTER_RESULTS,
}


def set_task_state(db: Database, task_code: str, state: PlanState) -> Outcome:
    """已抽取 / 检查中 / 已完成, set by the draw and results services; the plan follows."""
    plan_code, _ = plan_year_of_task(db, task_code)
    with _unit(db) as s:
        plan = load_plan(s, plan_code)
        task = plan_tasks.task_in_plan(plan, task_code)
        require_task(STATE_PERMISSIONS.get(state, Permission.MANAGE_PLANS), task)
        check_transition(f"任务“{task_code}”", task.state, state)
        task.state = state
        plan_tasks.sync_plan_state(plan)
        flush_or_explain(s)
        return Outcome(f"任务“{task_code}”已改为“{state.label}”。")


__all__ = [
    "FILING_REASON",
    "PlanError",
    "compare_versions",
    "create_plan",
    "delete_task",
    "file_plan",
    "get_plan",
    "list_plans",
    "list_versions",
    "plan_checks",
    "plan_year_of_task",
    "publish_plan",
    "record_version",
    "reference_data",
    "save_task",
    "set_task_state",
    "task_spec",
    "update_plan",
    "version_snapshot",
]
