"""Changing an inspection's team after the draw: only with a reason, only to an eligible inspector.

Eligible replacements follow the task's own pool rules (app.services.plans.pool:
in post, badge valid today, qualified for every item of their department),
come from the same department as the person replaced (so each department's
share of the team stays as drawn), respect the task's district rule against
the target, are not on the team already and have no 回避 for the target.
The replaced place is ended, never edited; the draw's stored result stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.planning import DistrictRule
from app.domain.registry import is_drawable_inspector
from app.domain.results import ResultState
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember
from app.models.registry import Inspector, Recusal
from app.services.access.auth import require
from app.services.common.concurrency import ensure_version, flush_or_explain, touch
from app.services.inspections.common import InspectionError, now_utc
from app.services.plans import tasks as plan_tasks
from app.services.plans.pool.inspectors import inspector_pool
from app.services.plans.scope import task_department_ids


@dataclass(frozen=True)
class Candidate:
    inspector_id: int
    name: str
    badge_no: str
    department: str


def inspection_department_ids(ins: Inspection) -> set[int]:
    if ins.task is not None:
        return task_department_ids(ins.task)
    return {ins.lead_department_id, *(m.department_id for m in ins.team)}


def load_inspection(s: Session, inspection_id: int) -> Inspection:
    ins = s.get(Inspection, inspection_id)
    if ins is None:
        raise InspectionError(f"找不到检查（编号 {inspection_id}）")
    return ins


def _member(ins: Inspection, position: int) -> InspectionMember:
    for m in ins.team:
        if m.position == position:
            return m
    raise InspectionError(f"检查 {ins.id} 的检查组没有第 {position} 位成员")


def _eligible(s: Session, ins: Inspection, replaced: InspectionMember, on: date) -> list[Inspector]:
    team_ids = {m.inspector_id for m in ins.team}
    recused = set(s.scalars(select(Recusal.inspector_id).where(Recusal.target_id == ins.target_id)))
    if ins.task is not None:
        spec = plan_tasks.task_spec(ins.task)
        pool = {m.inspector_id for m in inspector_pool(s, spec, on).members}
        rule = ins.task.district_rule
    else:
        pool = None
        rule = DistrictRule.ANY
    division = ins.target.division_code
    out = []
    for insp in s.scalars(
        select(Inspector)
        .where(Inspector.department_id == replaced.department_id)
        .order_by(Inspector.name, Inspector.id)
    ):
        if insp.id in team_ids or insp.id in recused:
            continue
        if pool is not None and insp.id not in pool:
            continue
        if pool is None and not is_drawable_inspector(insp.status, insp.badge_expires_on, on):
            continue
        if rule is DistrictRule.SAME and insp.district_code != division:
            continue
        if rule is DistrictRule.DIFFERENT and insp.district_code in (None, division):
            continue
        out.append(insp)
    return out


def candidates(db: Database, inspection_id: int, position: int, on: date) -> list[Candidate]:
    """Who may take team place `position` of the inspection (same department, task rules)."""
    with db.session() as s:
        ins = load_inspection(s, inspection_id)
        require(Permission.VIEW, department_ids=inspection_department_ids(ins))
        replaced = _member(ins, position)
        return [
            Candidate(i.id, i.name, i.badge_no, i.department.name)
            for i in _eligible(s, ins, replaced, on)
        ]


def reassign(
    db: Database,
    inspection_id: int,
    position: int,
    new_inspector_id: int,
    reason: str,
    *,
    on: date,
    expected_version: int | None = None,
) -> str:
    """Replace the member at `position` with an eligible inspector; the reason is recorded."""
    reason = reason.strip()
    if not reason:
        raise InspectionError("更换检查人员须说明原因（如因病、企业申请回避）")
    with db.session() as s:
        ins = load_inspection(s, inspection_id)
        p = require(Permission.MANAGE_PLANS, department_ids=inspection_department_ids(ins))
        if expected_version is not None:
            ensure_version(ins, expected_version)
        if ins.state in (ResultState.APPROVED.value, ResultState.PUBLISHED.value):
            raise InspectionError(f"检查 {ins.id} 的结果已审核通过，不能再更换检查人员")
        replaced = _member(ins, position)
        eligible = {i.id: i for i in _eligible(s, ins, replaced, on)}
        new = eligible.get(new_inspector_id)
        if new is None:
            who = s.get(Inspector, new_inspector_id)
            name = who.name if who else f"编号 {new_inspector_id}"
            raise InspectionError(
                f"{name}不符合本任务的检查人员条件（同部门、在岗、执法证有效、具备资质、"
                f"区域规则、无回避、不在本组），不能接替{replaced.inspector.name}"
            )
        at = now_utc()
        replaced.ended_at = at
        s.flush()  # free the place before the new row takes it (partial unique index)
        ins.members.append(
            InspectionMember(
                position=position,
                inspector_id=new.id,
                department_id=new.department_id,
                replaces_id=replaced.id,
                reason=reason,
                changed_by=p.username,
                started_at=at,
            )
        )
        touch(ins)  # a team change moves the inspection's version: stale forms see it
        flush_or_explain(s)
        return f"检查 {ins.id}：{replaced.inspector.name} 已由 {new.name} 接替（原因：{reason}）。"
