"""What a results publication contains: the reviewed results of a task, per enterprise.

The content (a JSON document) is the record of what was made public; the PDF
announcement and the upload xlsx are drawn from it, and corrections compare
two of them. A result whose item is on the exemption list, found a problem
and ordered corrected shows "责令改正，依法不予处罚" and is counted apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.publication import result_text
from app.domain.results import CaseSource, FollowUp, InspectionKind, ResultState
from app.models.inspections import Inspection, InspectionResult
from app.models.plans import SamplingTask
from app.models.publication import Exemption
from app.models.registry import Department
from app.reports.official import cn_date
from app.reports.result_announcement import (
    AnnouncedEnterprise,
    AnnouncedItem,
    Correction,
    ResultAnnouncement,
    enterprise_dates,
)
from app.services.access.auth import Principal, require
from app.services.common.categories import categories
from app.services.inspections.cases import case_code, case_inspection_id
from app.services.plans.scope import task_department_ids
from app.services.publication.records import PublicationError

ALL = "ALL"
PUBLISHABLE = (ResultState.APPROVED.value, ResultState.PUBLISHED.value)


@dataclass(frozen=True)
class Scope:
    """Whose results of what: a task's (one department's, or all: ALL), or one case inspection's."""

    task: SamplingTask | None
    department: Department | None
    case: Inspection | None = None

    @property
    def code(self) -> str:
        if self.task is not None:
            return self.task.code
        assert self.case is not None
        return case_code(self.case.id)

    @property
    def year(self) -> int:
        if self.task is not None:
            return self.task.plan.year
        assert self.case is not None
        return self.case.window_end.year

    @property
    def subject_key(self) -> str:
        return f"results:{self.code}:{self.department.code if self.department else ALL}"

    def covers(self, r: InspectionResult) -> bool:
        return self.department is None or r.department_id == self.department.id


def publishing_scope(s: Session, task: SamplingTask, department_code: str | None) -> Scope:
    """A department publishes its own results; an unrestricted publisher may publish all.

    Checked here (Permission.PUBLISH in that department), for the GUI and the command line.
    """
    task_depts = task_department_ids(task)
    p: Principal = require(Permission.PUBLISH, department_ids=task_depts)
    dept: Department | None = None
    if department_code:
        dept = s.scalar(select(Department).where(Department.code == department_code.strip()))
        if dept is None:
            raise PublicationError(f"找不到部门“{department_code}”")
    elif not p.unrestricted and p.department_id is not None:
        dept = s.get(Department, p.department_id)
    if dept is not None:
        if dept.id not in task_depts:
            raise PublicationError(f"部门“{dept.name}”不参与任务“{task.code}”，没有结果可公示")
        require(Permission.PUBLISH, department_id=dept.id)
    return Scope(task, dept)


def case_scope(s: Session, code: str) -> Scope:
    """A case or special inspection (CASE-12): published whole by its lead department."""
    iid = case_inspection_id(code)
    ins = s.get(Inspection, iid) if iid is not None else None
    if ins is None or ins.task_id is not None:
        raise PublicationError(f"找不到个案或专项检查“{code}”")
    require(Permission.PUBLISH, department_id=ins.lead_department_id)
    return Scope(None, None, ins)


def scoped_results(s: Session, scope: Scope) -> list[tuple[Inspection, list[InspectionResult]]]:
    if scope.case is not None:
        return [(scope.case, list(scope.case.results))]
    assert scope.task is not None
    rows = s.scalars(
        select(Inspection)
        .where(Inspection.task_id == scope.task.id)
        .order_by(Inspection.draw_rank, Inspection.id)
    )
    out = []
    for ins in rows:
        mine = [r for r in ins.results if scope.covers(r)]
        if mine:
            out.append((ins, mine))
    return out


def check_reviewed(pairs: Sequence[tuple[Inspection, list[InspectionResult]]], code: str) -> None:
    """Only reviewed (审核通过) results are published: refuse naming what is not."""
    waiting = [
        (ins.target.name, ResultState(r.state).label)
        for ins, results in pairs
        for r in results
        if r.state not in PUBLISHABLE
    ]
    if not pairs:
        raise PublicationError(f"任务“{code}”没有可公示的检查结果")
    if waiting:
        names = "、".join(sorted({f"{n}（{state}）" for n, state in waiting})[:5])
        raise PublicationError(
            f"任务“{code}”还有 {len(waiting)} 项结果未审核通过，不能公示：{names}"
        )


def exempt_item_ids(s: Session) -> set[int]:
    return set(s.scalars(select(Exemption.item_id).where(Exemption.active.is_(True))))


def is_exempt(r: InspectionResult, exempt_items: set[int]) -> bool:
    return bool(
        r.item_id in exempt_items and r.is_problem and r.follow_up == FollowUp.RECTIFY.value
    )


def header(scope: Scope) -> dict[str, Any]:
    """What the announcement says about the task (or the case) as a whole."""
    if scope.task is not None:
        t = scope.task
        return {
            "task_code": t.code,
            "task_title": t.title,
            "inspection_kind": InspectionKind.RANDOM.label,
            "is_joint": bool(t.is_joint),
            "window": f"{cn_date(t.planned_start)}至{cn_date(t.planned_end)}",
        }
    ins = scope.case
    assert ins is not None
    source = CaseSource(ins.case_source).label if ins.case_source else ""
    return {
        "task_code": scope.code,
        "task_title": f"{source}{ins.case_reference or ''}".strip() or "个案检查",
        "inspection_kind": InspectionKind(ins.kind).label,
        "is_joint": False,
        "window": f"{cn_date(ins.window_start)}至{cn_date(ins.window_end)}",
    }


def build_content(
    s: Session,
    scope: Scope,
    pairs: Sequence[tuple[Inspection, list[InspectionResult]]],
    published_on: date,
) -> dict[str, Any]:
    names = {c.code: c.name for c in categories(s).categories}
    exempt_items = exempt_item_ids(s)
    enterprises: list[dict[str, Any]] = []
    exempt = 0
    for ins, results in pairs:
        items: list[dict[str, Any]] = []
        for r in sorted(results, key=lambda r: (r.department.name, r.item.code)):
            flag = is_exempt(r, exempt_items)
            exempt += flag
            items.append(
                {
                    "item_code": r.item.code,
                    "item_name": r.item.name,
                    "department": r.department.name,
                    "category_code": r.category_code,
                    "result": result_text(names.get(r.category_code or "", ""), flag),
                    "finding": r.finding or "",
                    "follow_up": "" if r.follow_up == FollowUp.NONE.value else r.follow_up or "",
                    "inspected_on": r.inspected_on.isoformat() if r.inspected_on else "",
                    "exempt": flag,
                }
            )
        enterprises.append(
            {
                "uscc": ins.target.uscc,
                "name": ins.target.name,
                "inspected_on": enterprise_dates([i["inspected_on"] for i in items]),
                "departments": sorted({i["department"] for i in items}),
                "items": items,
            }
        )
    departments = sorted(
        {d for e in enterprises for d in e["departments"]},
    )
    return {
        **header(scope),
        "departments": departments,
        "published_on": published_on.isoformat(),
        "enterprises": enterprises,
        "exempt_count": exempt,
    }


def announcement(
    content: dict[str, Any],
    *,
    issuer: str,
    title: str,
    doc_number: str,
    published_on: date,
    correction: Correction | None = None,
) -> ResultAnnouncement:
    return ResultAnnouncement(
        issuer=issuer,
        title=title,
        doc_number=doc_number,
        task_code=content["task_code"],
        task_title=content["task_title"],
        kind_label=content["inspection_kind"],
        is_joint=bool(content["is_joint"]),
        departments=tuple(content["departments"]),
        window=content["window"],
        enterprises=tuple(
            AnnouncedEnterprise(
                e["name"],
                e["uscc"],
                e["inspected_on"],
                tuple(e["departments"]),
                tuple(
                    AnnouncedItem(
                        i["item_code"], i["item_name"], i["department"], i["result"], i["finding"]
                    )
                    for i in e["items"]
                ),
            )
            for e in content["enterprises"]
        ),
        published_on=published_on,
        correction=correction,
        exempt_count=int(content.get("exempt_count", 0)),
    )
