"""检查通知书 and 检查记录表 of a task's inspections, from the database to the PDF writers.

The issuer and contact come from the bureau profile (app.services.system.bureau).
A task's notices carry one 文号, taken from the bureau's counter the first
time they are printed and kept (setting `notice_docno/<task>`), so a reprint
shows the same number. The QR code on each notice holds
`TASK_CODE|USCC|ticket` — the enterprise's ticket from the stored result —
so the enterprise can check its own selection with `verify.py --target USCC`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.models import AppSetting
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember
from app.models.plans import SamplingTask
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
from app.services.inspections.common import InspectionError
from app.services.inspections.creation import (
    computed_attempt,
    load_task,
    require_organiser,
    stored_result,
)
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


def _notice_number(s: Session, task: SamplingTask, bureau: BureauProfile) -> str:
    key = f"notice_docno/{task.code}"
    row = s.get(AppSetting, key)
    if row is not None and row.value:
        return str(row.value)
    year = task.planned_start.year
    number = bureau.document_number(year, next_document_number(s, "notice", year))
    put_setting(s, key, number)
    return number


def task_notices(db: Database, task_code: str, *, issued_on: date) -> list[InspectionNotice]:
    """One notice per inspection of the task, in reveal order."""
    bureau = load_bureau(db)
    with db.session() as s:
        task = load_task(s, task_code)
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
        notice_items = tuple(
            NoticeItem(i.code, i.name, i.department.name, i.legal_basis, tuple(i.methods or ()))
            for i in items
        )
        methods = tuple(dict.fromkeys(m for i in items for m in (i.methods or ())))
        number = _notice_number(s, task, bureau)
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
                    team=tuple(
                        NoticeMember(m.inspector.name, m.inspector.badge_no, _unit(ins, m))
                        for m in ins.team
                    ),
                    contact=bureau.contact,
                    issued_on=issued_on,
                    qr_payload=f"{task.code}|{t.uscc}|{tickets.get(t.uscc, '')}",
                )
            )
        return out


def task_checklists(db: Database, task_code: str) -> list[InspectionChecklist]:
    """One checklist per inspection of the task, from the items' guides and checkpoints."""
    bureau = load_bureau(db)
    with db.session() as s:
        task = load_task(s, task_code)
        require(Permission.VIEW, department_ids=task_department_ids(task))
        items = tuple(
            ChecklistItem(
                i.code,
                i.name,
                i.department.name,
                i.legal_basis,
                tuple(
                    ChecklistPoint(c.text, c.basis)
                    for c in (i.guide.checkpoints if i.guide else ())
                ),
            )
            for i in task.items
        )
        number = str(v.value) if (v := s.get(AppSetting, f"notice_docno/{task.code}")) else ""
        return [
            InspectionChecklist(
                issuer=bureau.full_name,
                task_code=task.code,
                task_name=task.title,
                target_name=ins.target.name,
                uscc=ins.target.uscc,
                address=ins.target.address or "",
                items=items,
                team=tuple(
                    ChecklistMember(m.inspector.name, m.inspector.badge_no, _unit(ins, m))
                    for m in ins.team
                ),
                window_start=ins.window_start,
                window_end=ins.window_end,
                doc_number=number,
            )
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
