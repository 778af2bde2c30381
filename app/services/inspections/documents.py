"""检查通知书 and 检查记录表 of a task's inspections, from the database to the PDF writers.

The issuer and contact come from the bureau profile (app.services.system.bureau).
A task's notices carry one 文号, taken from the bureau's counter the first
time they are printed and kept (setting `notice_docno/<task>`), so a reprint
shows the same number. The QR code on each notice holds
`TASK_CODE|USCC|ticket` — the enterprise's ticket from the stored result —
so the enterprise can check its own selection with `verify.py --target USCC`.

A case or special inspection (个案检查, 专项检查) is named CASE-<id> wherever a
task code is accepted: its one notice says the source and reference instead of
a random draw, keeps its own 文号 (`notice_docno/CASE-<id>`), and its QR code
holds `CASE-<id>|USCC` (there is no ticket to check).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.results import CaseSource, InspectionKind
from app.models import AppSetting
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember
from app.models.plans import SamplingTask
from app.models.registry import InspectionItem
from app.reports.checklist import (
    ChecklistItem,
    ChecklistMember,
    ChecklistPoint,
    InspectionChecklist,
    write_checklist_files,
    write_checklists,
)
from app.reports.notice import (
    InspectionNotice,
    NoticeItem,
    NoticeMember,
    write_notice_files,
    write_notices,
)
from app.services.access.auth import put_setting, require
from app.services.inspections.cases import (
    case_basis,
    case_code,
    case_inspection_id,
    is_case_code,
    require_case_organiser,
)
from app.services.inspections.common import InspectionError
from app.services.inspections.creation import (
    computed_attempt,
    require_organiser,
    stored_result,
)
from app.services.plans.queries import load_task
from app.services.plans.scope import task_department_ids
from app.services.system.bureau import BureauProfile, load_bureau, next_document_number

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
_LAW = re.compile(r"《[^》]{1,60}》")


def _inspections(s: Session, task: SamplingTask) -> list[Inspection]:
    rows = list(
        s.scalars(
            select(Inspection)
            .where(Inspection.task_id == task.id)
            .order_by(Inspection.draw_rank, Inspection.id)
        )
    )
    if not rows:
        raise InspectionError(f"任务“{task.code}”还没有检查：请先根据抽取结果生成检查")
    return rows


def _laws(texts: list[str]) -> str:
    """《…》 titles named in the items' legal basis, each once, in order."""
    seen: dict[str, None] = {}
    for text in texts:
        for law in _LAW.findall(text or ""):
            seen.setdefault(law, None)
    return "".join(seen)


def _unit(ins: Inspection, m: InspectionMember) -> str:
    """The member's department, and for a replacement whom they replaced and why (printed)."""
    if m.replaces_id is None:
        return m.department.name
    old = next((x for x in ins.members if x.id == m.replaces_id), None)
    who = old.inspector.name if old is not None else "原检查人员"
    return f"{m.department.name}（接替{who}：{m.reason or ''}）"


def _notice_number(s: Session, code: str, year: int, bureau: BureauProfile) -> str:
    key = f"notice_docno/{code}"
    row = s.get(AppSetting, key)
    if row is not None and row.value:
        return str(row.value)
    number = bureau.document_number(year, next_document_number(s, "notice", year))
    put_setting(s, key, number)
    return number


def _stored_number(s: Session, code: str) -> str:
    """The 文号 the notices got when printed, for the checklists that go with them."""
    return str(v.value) if (v := s.get(AppSetting, f"notice_docno/{code}")) else ""


def _notice_items(items: list[InspectionItem]) -> tuple[NoticeItem, ...]:
    return tuple(
        NoticeItem(i.code, i.name, i.department.name, i.legal_basis, tuple(i.methods or ()))
        for i in items
    )


def _methods(items: list[InspectionItem]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m for i in items for m in (i.methods or ())))


def _notice_team(ins: Inspection) -> tuple[NoticeMember, ...]:
    return tuple(
        NoticeMember(m.inspector.name, m.inspector.badge_no, _unit(ins, m)) for m in ins.team
    )


def _checklist_items(items: list[InspectionItem]) -> tuple[ChecklistItem, ...]:
    return tuple(
        ChecklistItem(
            i.code,
            i.name,
            i.department.name,
            i.legal_basis,
            tuple(
                ChecklistPoint(c.text, c.basis) for c in (i.guide.checkpoints if i.guide else ())
            ),
        )
        for i in items
    )


def _checklist(
    ins: Inspection, bureau: BureauProfile, code: str, name: str, items: tuple[ChecklistItem, ...]
) -> InspectionChecklist:
    return InspectionChecklist(
        issuer=bureau.full_name,
        task_code=code,
        task_name=name,
        target_name=ins.target.name,
        uscc=ins.target.uscc,
        address=ins.target.address or "",
        items=items,
        team=tuple(
            ChecklistMember(m.inspector.name, m.inspector.badge_no, _unit(ins, m)) for m in ins.team
        ),
        window_start=ins.window_start,
        window_end=ins.window_end,
    )


def _case(s: Session, code: str) -> Inspection:
    iid = case_inspection_id(code)
    ins = s.get(Inspection, iid) if iid is not None else None
    if ins is None or ins.task_id is not None:
        raise InspectionError(f"找不到个案或专项检查“{code}”")
    return ins


def _case_items(ins: Inspection) -> list[InspectionItem]:
    return list(dict.fromkeys(r.item for r in ins.results))


def _case_notice(s: Session, code: str, bureau: BureauProfile, issued_on: date) -> InspectionNotice:
    ins = _case(s, code)
    require_case_organiser(ins.lead_department_id)
    code = case_code(ins.id)
    kind = InspectionKind(ins.kind)
    items = _case_items(ins)
    t = ins.target
    return InspectionNotice(
        issuer=bureau.full_name,
        doc_number=_notice_number(s, code, ins.window_start.year, bureau),
        target_name=t.name,
        uscc=t.uscc,
        address=t.address or "",
        task_code=code,
        task_name=kind.label,
        is_joint=False,
        departments=(bureau.full_name,),
        legal_basis=_laws([i.legal_basis for i in items]),
        items=_notice_items(items),
        window_start=ins.window_start,
        window_end=ins.window_end,
        methods=_methods(items),
        materials=(),
        team=_notice_team(ins),
        contact=bureau.contact,
        issued_on=issued_on,
        qr_payload=f"{code}|{t.uscc}",
        source_text=case_basis(ins.case_source, ins.case_reference, kind),
    )


def _case_checklist(s: Session, code: str, bureau: BureauProfile) -> InspectionChecklist:
    ins = _case(s, code)
    require(
        Permission.VIEW,
        department_ids={ins.lead_department_id, *(r.department_id for r in ins.results)},
    )
    code = case_code(ins.id)
    kind = InspectionKind(ins.kind)
    source = CaseSource(ins.case_source).label if ins.case_source else kind.label
    name = f"{source}：{ins.case_reference}" if ins.case_reference else source
    out = _checklist(ins, bureau, code, name, _checklist_items(_case_items(ins)))
    return replace(out, doc_number=_stored_number(s, code), task_label="检查来源")


def task_notices(db: Database, task_code: str, *, issued_on: date) -> list[InspectionNotice]:
    """One notice per inspection of the task, in reveal order; for CASE-<id>, its one notice."""
    bureau = load_bureau(db)
    with db.session() as s:
        if is_case_code(task_code):
            return [_case_notice(s, task_code, bureau, issued_on)]
        task = load_task(s, task_code, InspectionError)
        require_organiser(task)
        tickets = {
            t["id"]: t["ticket"] for t in stored_result(computed_attempt(s, task))["targets"]
        }
        items = list(task.items)
        # The bureau issues the notice for the lead department; the others join it.
        lead = task.plan.lead_department_id
        others = [
            td.department.name
            for td in sorted(task.departments, key=lambda td: td.department.sort_order)
            if td.department_id != lead
        ]
        departments = (bureau.full_name, *others)
        notice_items = _notice_items(items)
        methods = _methods(items)
        number = _notice_number(s, task.code, task.planned_start.year, bureau)
        out = []
        for ins in _inspections(s, task):
            t = ins.target
            out.append(
                InspectionNotice(
                    issuer=bureau.full_name,
                    doc_number=number,
                    target_name=t.name,
                    uscc=t.uscc,
                    address=t.address or "",
                    task_code=task.code,
                    task_name=task.title,
                    is_joint=task.is_joint or len(departments) > 1,
                    departments=departments,
                    legal_basis=_laws([i.legal_basis for i in items]),
                    items=notice_items,
                    window_start=ins.window_start,
                    window_end=ins.window_end,
                    methods=methods,
                    materials=(),
                    team=_notice_team(ins),
                    contact=bureau.contact,
                    issued_on=issued_on,
                    qr_payload=f"{task.code}|{t.uscc}|{tickets.get(t.uscc, '')}",
                )
            )
        return out


def task_checklists(db: Database, task_code: str) -> list[InspectionChecklist]:
    """One checklist per inspection of the task (or CASE-<id>'s one), from the items' guides."""
    bureau = load_bureau(db)
    with db.session() as s:
        if is_case_code(task_code):
            return [_case_checklist(s, task_code, bureau)]
        task = load_task(s, task_code, InspectionError)
        require(Permission.VIEW, department_ids=task_department_ids(task))
        items = _checklist_items(list(task.items))
        number = _stored_number(s, task.code)
        return [
            replace(_checklist(ins, bureau, task.code, task.title, items), doc_number=number)
            for ins in _inspections(s, task)
        ]


def write_task_notices(
    db: Database,
    task_code: str,
    out: Path | None,
    *,
    issued_on: date,
    per_enterprise: Path | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> str:
    """The batch PDF (`out`) and/or one file per enterprise; returns what was written."""
    notices = task_notices(db, task_code, issued_on=issued_on)
    done = []
    if out is not None:
        pages = write_notices(notices, out, progress=progress, cancelled=cancelled)
        done.append(f"检查通知书 {len(notices)} 份（{pages} 页）：{out}")
    if per_enterprise is not None:
        per_enterprise.mkdir(parents=True, exist_ok=True)
        files = write_notice_files(notices, per_enterprise, progress=progress, cancelled=cancelled)
        done.append(f"每户一个文件 {len(files)} 个：{per_enterprise}")
    return "；".join(done)


def write_task_checklists(
    db: Database,
    task_code: str,
    out: Path | None,
    *,
    per_enterprise: Path | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> str:
    checklists = task_checklists(db, task_code)
    done = []
    if out is not None:
        pages = write_checklists(checklists, out, progress=progress, cancelled=cancelled)
        done.append(f"检查记录表 {len(checklists)} 份（{pages} 页）：{out}")
    if per_enterprise is not None:
        per_enterprise.mkdir(parents=True, exist_ok=True)
        files = write_checklist_files(
            checklists, per_enterprise, progress=progress, cancelled=cancelled
        )
        done.append(f"每户一个文件 {len(files)} 个：{per_enterprise}")
    return "；".join(done)
