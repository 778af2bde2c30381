"""Inspections from a drawn task's stored result: one per drawn target, with the drawn team.

The stored result of record (the computed attempt's canonical bytes) is read,
never changed: its targets (USCC, reveal rank) and teams (DRAW-1 inspector
ids, lead first) are resolved to registry rows. A joint task gives one
inspection per target covering every item of every department (进一次门、查多项事),
one result row per item, 未录入. Running it again creates only what is missing,
so a crash halfway or a second PC doing the same is harmless.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.ceremony import AttemptState
from app.domain.planning import PlanState, check_transition
from app.domain.results import InspectionKind, ResultState
from app.models.db import Database
from app.models.draws import DrawAttempt
from app.models.inspections import Inspection, InspectionMember, InspectionResult
from app.models.plans import SamplingTask
from app.models.registry import InspectionItem, Inspector, Target
from app.services.access.auth import Principal, current_principal, require
from app.services.inspections.common import (
    InspectionError,
    apply_deadline,
    calendar,
    deadline_reference,
)
from app.services.plans import tasks as plan_tasks
from app.services.plans.pool.inspectors import draw_id
from app.services.plans.queries import load_task
from app.services.plans.scope import task_department_ids

CHUNK = 900


@dataclass(frozen=True)
class CreationSummary:
    task_code: str
    created: int
    existing: int
    unresolved: tuple[str, ...]  # drawn codes no longer in the registry

    @property
    def message(self) -> str:
        text = f"任务“{self.task_code}”：新建检查 {self.created} 户，已有 {self.existing} 户"
        if self.unresolved:
            missing = "、".join(self.unresolved[:5])
            text += f"；{len(self.unresolved)} 户在名录库中找不到：{missing}"
        return text + "。"


def staff(
    ins: Inspection, team: Iterable[tuple[int, Inspector]], items: Iterable[InspectionItem]
) -> None:
    """A new inspection's team places (position, inspector) and one empty result per item."""
    for position, insp in team:
        ins.members.append(
            InspectionMember(
                position=position, inspector_id=insp.id, department_id=insp.department_id
            )
        )
    for item in items:
        ins.results.append(
            InspectionResult(
                item_id=item.id,
                department_id=item.department_id,
                state=ResultState.NOT_ENTERED.value,
                finding="",
            )
        )


def computed_attempt(s: Session, task: SamplingTask) -> DrawAttempt:
    attempt = s.scalar(
        select(DrawAttempt).where(
            DrawAttempt.task_id == task.id, DrawAttempt.state == AttemptState.COMPUTED.value
        )
    )
    if attempt is None or attempt.result is None:
        raise InspectionError(f"任务“{task.code}”还没有随机抽取结果，不能安排检查")
    return attempt


def stored_result(attempt: DrawAttempt) -> dict[str, Any]:
    """The result document of record, parsed from its stored bytes."""
    assert attempt.result is not None
    data: dict[str, Any] = json.loads(attempt.result.result)
    return data


def require_organiser(task: SamplingTask) -> Principal:
    """Arranging inspections is the draw operator's or the planner's business."""
    p = current_principal()
    permission = Permission.RUN_DRAWS if p.may(Permission.RUN_DRAWS) else Permission.MANAGE_PLANS
    return require(permission, department_ids=task_department_ids(task))


def _inspectors_by_draw_id(s: Session, ids: set[str]) -> dict[str, Inspector]:
    if not ids:
        return {}
    # The registry is small (hundreds): read it rather than reverse draw_id in SQL.
    return {
        did: insp
        for insp in s.scalars(select(Inspector))
        if (did := draw_id(insp.id, insp.badge_no)) in ids
    }


def _targets_by_uscc(s: Session, codes: list[str]) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        out.update({t.uscc: t for t in s.scalars(select(Target).where(Target.uscc.in_(chunk)))})
    return out


def create_from_draw(db: Database, task_code: str) -> CreationSummary:
    """One inspection per drawn target of the task's result of record (idempotent)."""
    try:
        with db.session() as s:
            return _create(s, task_code)
    except IntegrityError as exc:
        # Another PC created the same inspections at the same moment: theirs stand.
        raise InspectionError(
            f"任务“{task_code}”的检查正由另一台电脑同时生成，请刷新后再看"
        ) from exc


def _create(s: Session, task_code: str) -> CreationSummary:
    task = load_task(s, task_code, InspectionError)
    p = require_organiser(task)
    if task.state not in (PlanState.DRAWN, PlanState.INSPECTING):
        raise InspectionError(f"任务“{task.code}”为“{task.state.label}”：抽取完成后才能安排检查")
    attempt = computed_attempt(s, task)
    result = stored_result(attempt)
    have = set(s.scalars(select(Inspection.target_id).where(Inspection.task_id == task.id)))
    teams: dict[str, list[str]] = result.get("teams", {})
    inspectors = _inspectors_by_draw_id(s, {i for team in teams.values() for i in team})
    targets = _targets_by_uscc(s, [t["id"] for t in result["targets"]])
    mode, cal = deadline_reference(s), calendar(s)
    items = list(task.items)
    kind = InspectionKind.RANDOM
    created, existing, unresolved = 0, 0, []
    for drawn in sorted(result["targets"], key=lambda t: t["rank"]):
        target = targets.get(drawn["id"])
        if target is None:
            unresolved.append(drawn["id"])
            continue
        if target.id in have:
            existing += 1
            continue
        ins = Inspection(
            kind=kind.value,
            task_id=task.id,
            attempt_id=attempt.id,
            draw_rank=drawn["rank"],
            target_id=target.id,
            lead_department_id=task.plan.lead_department_id,
            window_start=task.planned_start,
            window_end=task.planned_end,
            state=ResultState.NOT_ENTERED.value,
            created_by=p.username,
        )
        team = enumerate(teams.get(drawn["id"], []), start=1)
        staff(ins, [(k, inspectors[i]) for k, i in team if i in inspectors], items)
        apply_deadline(ins, mode, cal)
        s.add(ins)
        created += 1
    if task.state is PlanState.DRAWN and (created or existing):
        check_transition(f"任务“{task.code}”", task.state, PlanState.INSPECTING)
        task.state = PlanState.INSPECTING
        plan_tasks.sync_plan_state(task.plan)
    s.flush()
    return CreationSummary(task.code, created, existing, tuple(unresolved))
