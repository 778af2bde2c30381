"""What a draw's ids and task mean to people: names, descriptions, drawn-target rows.

Helpers of app.services.draws.ceremony, inside its Sessions. Public data only: the
projector and the printed record get enterprise names and codes, inspector
names and departments, never phone numbers or addresses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.domain.ceremony import DepartmentLine, DrawNames, InspectorName, ItemLine, TaskDescription
from app.domain.divisions import DIVISIONS
from app.domain.industries import industry_label
from app.draw.documents import ManifestHead, ResultDoc
from app.models.base import table_of
from app.models.draws import DrawTarget
from app.models.plans import SamplingTask
from app.models.registry import Department, Inspector, Target
from app.services.access import audit
from app.services.plans.pool.inspectors import draw_id

CHUNK = 900  # ids per IN (…): under SQLite's default host-parameter limit


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def scope_lines(task: SamplingTask) -> tuple[str, ...]:
    lines = []
    if task.scope_divisions:
        lines.append("行政区划：" + "、".join(DIVISIONS.get(d, d) for d in task.scope_divisions))
    if task.scope_entity_types:
        lines.append("主体类型：" + "、".join(task.scope_entity_types))
    if task.scope_industries:
        lines.append("行业：" + "、".join(industry_label(c) for c in task.scope_industries))
    if task.scope_tags:
        lines.append("监管标签：" + "、".join(task.scope_tags))
    if task.registered_before:
        lines.append(f"成立日期早于 {task.registered_before:%Y-%m-%d}")
    lines.append("登记状态：在营（存续）")
    return tuple(lines)


def task_description(task: SamplingTask) -> TaskDescription:
    plan = task.plan
    departments = sorted(task.departments, key=lambda td: td.department.sort_order)
    return TaskDescription(
        code=task.code,
        title=task.title,
        plan_code=plan.code,
        plan_title=plan.title,
        is_joint=len(departments) >= 2,
        items=tuple(ItemLine(i.code, i.name, i.department.name) for i in task.items),
        departments=tuple(
            DepartmentLine(td.department.code, td.department.name, td.min_inspectors)
            for td in departments
        ),
        scope=scope_lines(task),
        period=f"{task.planned_start:%Y-%m-%d} 至 {task.planned_end:%Y-%m-%d}",
        organiser=plan.lead_department.name,
    )


def inspector_keys(s: Session, department_codes: Iterable[str]) -> dict[str, tuple[int, str, str]]:
    """DRAW-1 inspector id → (registry key, name, department name) for the departments."""
    rows = s.execute(
        select(Inspector.id, Inspector.badge_no, Inspector.name, Department.name)
        .join(Department, Inspector.department_id == Department.id)
        .where(Department.code.in_(sorted(set(department_codes))))
    )
    return {draw_id(key, badge): (key, name, dept) for key, badge, name, dept in rows}


def draw_names(s: Session, manifest: ManifestHead, result: ResultDoc | None = None) -> DrawNames:
    """Names for the pool's inspectors and departments, and for the drawn targets."""
    pool = manifest["inspectors"]["pool"]
    codes = {p["department"] for p in pool} | set(manifest["task"].get("departments", []))
    departments = dict(s.execute(select(Department.code, Department.name)).all())
    keys = inspector_keys(s, codes)
    inspectors = {iid: InspectorName(name, dept) for iid, (_key, name, dept) in keys.items()}
    targets: dict[str, str] = {}
    if result is not None:
        ids = [t["id"] for t in result["targets"]]
        for chunk in _chunks(ids):
            targets.update(
                s.execute(select(Target.uscc, Target.name).where(Target.uscc.in_(chunk))).all()
            )
    return DrawNames(targets, inspectors, departments)


def decoy_pool(s: Session, candidate_ids: Sequence[str], count: int = 60) -> list[str]:
    """Names of candidates spread over the pool, rolling past before each target settles."""
    if not candidate_ids:
        return []
    step = max(1, len(candidate_ids) // count)
    ids = list(candidate_ids[::step][:count])
    return list(s.scalars(select(Target.name).where(Target.uscc.in_(ids))))


def store_targets(s: Session, attempt_id: int, result: ResultDoc) -> int:
    """The per-target rows of a computed attempt (bulk Core, in the caller's transaction)."""
    teams, missing = result["teams"], result["missing"]
    all_ids = {iid for team in teams.values() for iid in team}
    keys = _inspector_ids(s, all_ids)
    rows = []
    for t in result["targets"]:
        team = [keys.get(iid) for iid in teams.get(t["id"], [])]
        rows.append(
            {
                "attempt_id": attempt_id,
                "rank": t["rank"],
                "batch": t["batch"],
                "candidate_id": t["id"],
                "stratum": t["stratum"],
                "lead_inspector_id": team[0] if team else None,
                "team": [k for k in team if k is not None],
                "missing": sum(missing.get(t["id"], {}).values()),
            }
        )
    if rows:
        s.connection().execute(insert(table_of(DrawTarget)), rows)
        # One statement resolves every code to its registry row (unique index on uscc).
        s.execute(
            update(DrawTarget)
            .where(DrawTarget.attempt_id == attempt_id)
            .values(
                target_id=select(Target.id)
                .where(Target.uscc == DrawTarget.candidate_id)
                .scalar_subquery()
            )
            .execution_options(synchronize_session=False)
        )
    audit.record(s, "insert", "draw_targets", attempt_id, after={"rows": len(rows)})
    return len(rows)


def _inspector_ids(s: Session, draw_ids: set[str]) -> dict[str, int]:
    """DRAW-1 inspector ids → registry keys (the inspector registry is small: read it all)."""
    if not draw_ids:
        return {}
    out = {}
    for key, badge in s.execute(select(Inspector.id, Inspector.badge_no)):
        did = draw_id(key, badge)
        if did in draw_ids:
            out[did] = key
    return out
