"""个案检查与专项检查: inspections that do not come from a random draw.

A complaint (投诉举报), a referral (转办交办), data monitoring (数据监测) or a
campaign (专项检查) gives one inspection per target, with the items, the team
and the source's reference; no task, no draw. They then use the same result
entry, review and publication as drawn ones, and their kind (case / special)
keeps them apart from the random-draw statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.results import CaseSource, InspectionKind, ResultState
from app.models.db import Database
from app.models.inspections import Inspection
from app.models.registry import Department, InspectionItem, Inspector, Target
from app.services.access.auth import current_principal, require, scope_clause
from app.services.inspections.common import (
    InspectionError,
    apply_deadline,
    calendar,
    deadline_reference,
)
from app.services.inspections.creation import staff

M = TypeVar("M", Target, InspectionItem, Inspector)

# 执法检查人员不少于两人.
MIN_TEAM = 2

# A case or special inspection has no task: CASE-<inspection id> stands for the task code
# wherever one is accepted (notices, checklists, publication).
CASE_PREFIX = "CASE-"


def case_code(inspection_id: int) -> str:
    return f"{CASE_PREFIX}{inspection_id}"


def is_case_code(code: str) -> bool:
    return code.strip().upper().startswith(CASE_PREFIX)


def case_inspection_id(code: str) -> int | None:
    """The inspection id in CASE-12, or None when the rest is not a number."""
    raw = code.strip().upper().removeprefix(CASE_PREFIX)
    return int(raw) if raw.isdigit() else None


def require_case_organiser(department_id: int) -> None:
    """Who records a case inspection (a planner, or a publisher) arranges it: its notices too."""
    p = current_principal()
    perm = Permission.MANAGE_PLANS if p.may(Permission.MANAGE_PLANS) else Permission.PUBLISH
    require(perm, department_id=department_id)


def case_basis(source: str | None, reference: str | None, kind: InspectionKind) -> str:
    """Why the enterprise is inspected, as printed on its notice (it was not drawn)."""
    ref = (reference or "").strip()
    ref_part = f"（{ref}）" if ref else ""
    if source is None:
        return f"按照{kind.label}工作安排{ref_part}"
    src = CaseSource(source)
    if src is CaseSource.CAMPAIGN:
        return f"按照专项检查工作安排{ref_part}"
    return f"根据{src.label}线索{ref_part}"


@dataclass(frozen=True)
class CaseInput:
    source: CaseSource
    reference: str  # 投诉举报编号, 交办文号, 专项行动名称…
    targets: Sequence[str]  # 统一社会信用代码
    items: Sequence[str]  # 事项编码
    team: Sequence[str]  # 执法证号, lead first
    window_start: date
    window_end: date
    department_code: str | None = None  # the lead department; default: the user's


def source_from_text(text: str) -> CaseSource:
    text = text.strip()
    for s in CaseSource:
        if text in (s.value, s.label):
            return s
    labels = "、".join(s.label for s in CaseSource)
    raise InspectionError(f"检查来源“{text}”不在可选范围内（{labels}）")


def _lookup(s: Session, model: type[M], column: str, keys: Sequence[str], what: str) -> list[M]:
    wanted = [k.strip().upper() if column == "uscc" else k.strip() for k in keys if k.strip()]
    if not wanted:
        raise InspectionError(f"请至少填写一个{what}")
    stmt = select(model).where(getattr(model, column).in_(wanted))
    found = {getattr(o, column): o for o in s.scalars(stmt)}
    missing = [k for k in wanted if k not in found]
    if missing:
        raise InspectionError(f"找不到{what}：{'、'.join(missing[:5])}")
    return [found[k] for k in dict.fromkeys(wanted)]


def _lead_department(s: Session, code: str | None) -> Department:
    if code:
        dept = s.scalar(select(Department).where(Department.code == code.strip()))
        if dept is None:
            raise InspectionError(f"找不到部门“{code}”")
        return dept
    p = current_principal()
    if p.department_id is not None:
        dept = s.get(Department, p.department_id)
        if dept is not None:
            return dept
    raise InspectionError("请指定负责检查的部门（部门代码）")


def add_case(db: Database, case: CaseInput) -> list[int]:
    """Record one case/special inspection per target; return their numbers."""
    reference = case.reference.strip()
    if not reference:
        raise InspectionError("请填写检查来源的编号或说明（如投诉举报编号、交办文号）")
    if case.window_end < case.window_start:
        raise InspectionError("检查结束日期不能早于开始日期")
    with db.session() as s:
        dept = _lead_department(s, case.department_code)
        p = current_principal()
        require_case_organiser(dept.id)
        targets = _lookup(s, Target, "uscc", case.targets, "检查对象")
        items = _lookup(s, InspectionItem, "code", case.items, "抽查事项")
        team = _lookup(s, Inspector, "badge_no", case.team, "执法证号")
        if len(team) < MIN_TEAM:
            raise InspectionError(f"检查组至少需要 {MIN_TEAM} 名执法人员")
        kind = InspectionKind.SPECIAL if case.source is CaseSource.CAMPAIGN else InspectionKind.CASE
        mode, cal = deadline_reference(s), calendar(s)
        created = []
        for target in targets:
            ins = Inspection(
                kind=kind.value,
                target_id=target.id,
                lead_department_id=dept.id,
                case_source=case.source.value,
                case_reference=reference[:200],
                window_start=case.window_start,
                window_end=case.window_end,
                state=ResultState.NOT_ENTERED.value,
                created_by=p.username,
            )
            staff(ins, enumerate(team, start=1), items)
            apply_deadline(ins, mode, cal)
            s.add(ins)
            created.append(ins)
        s.flush()
        return [ins.id for ins in created]


@dataclass(frozen=True)
class CaseRow:
    inspection_id: int
    kind: InspectionKind
    source: str
    reference: str
    target_name: str
    uscc: str
    state: ResultState
    due_date: date | None

    @property
    def code(self) -> str:
        return case_code(self.inspection_id)


def list_cases(db: Database) -> list[CaseRow]:
    """Case and special inspections not from a draw, newest first, in the user's scope."""
    with db.session() as s:
        require(Permission.VIEW)
        rows = s.scalars(
            select(Inspection)
            .where(Inspection.task_id.is_(None), scope_clause(Inspection.lead_department_id))
            .order_by(Inspection.id.desc())
        )
        return [
            CaseRow(
                ins.id,
                InspectionKind(ins.kind),
                CaseSource(ins.case_source).label if ins.case_source else "",
                ins.case_reference or "",
                ins.target.name,
                ins.target.uscc,
                ResultState(ins.state),
                ins.due_date,
            )
            for ins in rows
        ]
