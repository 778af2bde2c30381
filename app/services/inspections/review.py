"""结果审核: 待审核 → 审核通过, or → 审核退回 with the reviewer's reason (back to the team).

The reviewer holds Permission.PUBLISH (审核与公示) for the inspection's
departments and is never a member of its team — neither on the current team
nor anyone who entered one of its results. On a database without accounts the
person is named (`reviewer`) and the same rule is checked by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.auth import Permission
from app.domain.results import ResultState, inspection_state
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember, InspectionReview
from app.models.registry import Inspector, Target
from app.services.access.auth import PermissionDenied, Principal, require
from app.services.common.concurrency import ensure_version, flush_or_explain, touch
from app.services.inspections.common import InspectionError, now_utc
from app.services.inspections.team import inspection_department_ids, load_inspection
from app.services.plans.queries import load_task
from app.services.plans.scope import task_department_ids


@dataclass
class ReviewSummary:
    approved: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        text = f"审核通过 {self.approved} 户"
        if self.skipped:
            text += f"；未处理 {len(self.skipped)} 户：" + "；".join(self.skipped[:10])
        return text + "。"


def _reviewer(p: Principal, reviewer: str | None) -> str:
    if p.user_id is None and reviewer and reviewer.strip():
        return reviewer.strip()[:64]
    return (p.display_name or p.username)[:64]


def check_reviewer(s: Session, ins: Inspection, p: Principal, name: str) -> None:
    """The reviewer is not on the team and entered none of its results."""
    people = {m.inspector_id for m in ins.team}
    people |= {r.entered_by_inspector_id for r in ins.results if r.entered_by_inspector_id}
    names: set[str] = set()
    if people:
        names = set(s.scalars(select(Inspector.name).where(Inspector.id.in_(people))))
    if (p.inspector_id is not None and p.inspector_id in people) or name in names:
        raise PermissionDenied(f"审核人“{name}”是检查 {ins.id} 的检查组成员，不能审核本组结果")


def _decide(
    s: Session,
    ins: Inspection,
    action: str,
    reason: str,
    reviewer: str | None,
    item_ids: Iterable[int] | None = None,
) -> None:
    p = require(Permission.PUBLISH, department_ids=inspection_department_ids(ins))
    name = _reviewer(p, reviewer)
    check_reviewer(s, ins, p, name)
    wanted = set(item_ids) if item_ids is not None else None
    results = [r for r in ins.results if wanted is None or r.item_id in wanted]
    if action == "approve":
        missing = [r for r in ins.results if r.state != ResultState.PENDING_REVIEW.value]
        missing = [r for r in missing if r.state != ResultState.APPROVED.value]
        if missing:
            states = "、".join(sorted({ResultState(r.state).label for r in missing}))
            raise InspectionError(
                f"检查 {ins.id} 还有 {len(missing)} 项结果为“{states}”，不能审核通过"
            )
        new = ResultState.APPROVED
        results = [r for r in results if r.state == ResultState.PENDING_REVIEW.value]
    else:
        results = [
            r
            for r in results
            if r.state in (ResultState.PENDING_REVIEW.value, ResultState.APPROVED.value)
        ]
        new = ResultState.RETURNED
    if not results:
        raise InspectionError(f"检查 {ins.id} 没有待审核的结果")
    at = now_utc()
    for r in results:
        r.state = new.value
        r.reviewer_user_id = p.user_id
        r.reviewer_name = name
        r.reviewed_at = at
        r.review_reason = reason if action == "return" else None
    s.add(
        InspectionReview(
            inspection_id=ins.id,
            action=action,
            reason=reason,
            reviewer_user_id=p.user_id,
            reviewer_name=name,
            reviewed_at=at,
        )
    )
    ins.state = inspection_state(ResultState(r.state) for r in ins.results).value
    touch(ins)


def approve(
    db: Database,
    inspection_id: int,
    *,
    reviewer: str | None = None,
    expected_version: int | None = None,
) -> str:
    with db.session() as s:
        ins = load_inspection(s, inspection_id)
        if expected_version is not None:
            ensure_version(ins, expected_version)
        _decide(s, ins, "approve", "", reviewer)
        flush_or_explain(s)
        return f"检查 {ins.id}（{ins.target.name}）审核通过。"


def send_back(
    db: Database,
    inspection_id: int,
    reason: str,
    *,
    reviewer: str | None = None,
    item_ids: Iterable[int] | None = None,
    expected_version: int | None = None,
) -> str:
    """审核退回: the results go back to the team with the reason."""
    reason = reason.strip()
    if not reason:
        raise InspectionError("审核退回须填写退回原因")
    with db.session() as s:
        ins = load_inspection(s, inspection_id)
        if expected_version is not None:
            ensure_version(ins, expected_version)
        _decide(s, ins, "return", reason, reviewer, item_ids)
        flush_or_explain(s)
        return f"检查 {ins.id}（{ins.target.name}）已退回检查组：{reason}"


def approve_all(db: Database, task_code: str, *, reviewer: str | None = None) -> ReviewSummary:
    """Approve every inspection of the task whose results all await review."""
    summary = ReviewSummary()
    with db.session() as s:
        task = load_task(s, task_code, InspectionError)
        require(Permission.PUBLISH, department_ids=task_department_ids(task))
        rows = s.scalars(
            select(Inspection)
            .where(Inspection.task_id == task.id)
            .order_by(Inspection.draw_rank, Inspection.id)
            .options(
                selectinload(Inspection.target),
                selectinload(Inspection.results),
                selectinload(Inspection.members).selectinload(InspectionMember.inspector),
            )
        )
        for ins in rows:
            if ins.state != ResultState.PENDING_REVIEW.value:
                if ins.state != ResultState.APPROVED.value:
                    label = ResultState(ins.state).label
                    summary.skipped.append(f"{ins.target.name}（{label}）")
                continue
            try:
                with s.begin_nested():
                    _decide(s, ins, "approve", "", reviewer)
                    s.flush()
            except (InspectionError, PermissionDenied) as exc:
                summary.skipped.append(f"{ins.target.name}（{exc}）")
                continue
            summary.approved += 1
        flush_or_explain(s)
    return summary


def find_inspection_id(db: Database, task_code: str, ref: str) -> int:
    """An inspection of the task by its number or its target's 统一社会信用代码."""
    with db.session() as s:
        task = load_task(s, task_code, InspectionError)
        stmt = select(Inspection.id).where(Inspection.task_id == task.id)
        ref = ref.strip()
        if ref.isdigit() and len(ref) < 18:
            found = s.scalar(stmt.where(Inspection.id == int(ref)))
        else:
            found = s.scalar(
                stmt.join(Target, Inspection.target_id == Target.id).where(
                    Target.uscc == ref.upper()
                )
            )
        if found is None:
            raise InspectionError(
                f"任务“{task_code}”中找不到检查“{ref}”（检查编号或统一社会信用代码）"
            )
        return int(found)
