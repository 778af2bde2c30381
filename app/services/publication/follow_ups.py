"""后续处置: a follow-up record for each reviewed result that needs one, to its closure.

A result's 后续处置 (责令改正, 移送立案, 抄告相关部门, 移送司法机关, 其他) gives a
record once the result is reviewed: the responsible department is the item's
(谁主管、谁监管), due 20 working days after the inspection unless changed.
Closing one records the date and outcome; every change is in the audit log
through the flush hook on the ORM (app.models.auditing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.publication import (
    FOLLOW_UP_OF_RESULT,
    PUBLICATION_DEADLINE_WORKDAYS,
    FollowUpStatus,
    FollowUpType,
)
from app.domain.results import ResultState
from app.domain.workdays import add_workdays
from app.models.db import Database
from app.models.inspections import Inspection, InspectionResult
from app.models.publication import FollowUpRecord
from app.services.access.auth import current_principal, require, scope_clause
from app.services.common.concurrency import ensure_version, flush_or_explain
from app.services.inspections.common import calendar
from app.services.publication.records import PublicationError, publisher_name

REVIEWED = (ResultState.APPROVED.value, ResultState.PUBLISHED.value)


def ensure_records(s: Session, results: Iterable[InspectionResult]) -> int:
    """Create the missing records of these results; return how many were created."""
    wanted = [r for r in results if r.follow_up in FOLLOW_UP_OF_RESULT and r.state in REVIEWED]
    if not wanted:
        return 0
    have = set(
        s.scalars(
            select(FollowUpRecord.result_id).where(
                FollowUpRecord.result_id.in_([r.id for r in wanted])
            )
        )
    )
    cal, who, created = calendar(s), publisher_name(), 0
    for r in wanted:
        if r.id in have:
            continue
        start = r.inspected_on or date.today()
        s.add(
            FollowUpRecord(
                result_id=r.id,
                kind=FOLLOW_UP_OF_RESULT[r.follow_up or ""].value,
                department_id=r.department_id,
                due_date=add_workdays(start, PUBLICATION_DEADLINE_WORKDAYS, cal).day,
                status=FollowUpStatus.OPEN.value,
                outcome="",
                created_by=who,
            )
        )
        created += 1
    return created


def sync(db: Database) -> int:
    """Records for every reviewed result in scope that needs one and has none yet."""
    with db.session() as s:
        require(Permission.PUBLISH)
        results = s.scalars(
            select(InspectionResult)
            .outerjoin(FollowUpRecord, FollowUpRecord.result_id == InspectionResult.id)
            .where(
                FollowUpRecord.id.is_(None),
                InspectionResult.state.in_(REVIEWED),
                InspectionResult.follow_up.in_(list(FOLLOW_UP_OF_RESULT)),
                scope_clause(InspectionResult.department_id),
            )
        )
        n = ensure_records(s, list(results))
        s.flush()
        return n


@dataclass(frozen=True)
class FollowUpRow:
    follow_up_id: int
    version: int
    kind: FollowUpType
    department: str
    target_name: str
    uscc: str
    item: str
    finding: str
    task_code: str
    due_date: date
    status: FollowUpStatus
    closed_on: date | None
    outcome: str
    overdue: bool

    @property
    def status_text(self) -> str:
        if self.status is FollowUpStatus.CLOSED:
            return f"已完结（{self.closed_on:%Y-%m-%d}）"
        return "未完结·已逾期" if self.overdue else "未完结"


def list_follow_ups(db: Database, today: date, *, open_only: bool = True) -> list[FollowUpRow]:
    """Follow-ups in scope (the user's department, or all), overdue first, then by due date."""
    with db.session() as s:
        require(Permission.VIEW)
        stmt = (
            select(FollowUpRecord)
            .where(scope_clause(FollowUpRecord.department_id))
            .order_by(FollowUpRecord.due_date, FollowUpRecord.id)
        )
        if open_only:
            stmt = stmt.where(FollowUpRecord.status == FollowUpStatus.OPEN.value)
        rows = []
        for f in s.scalars(stmt):
            r = f.result
            ins: Inspection = r.inspection
            status = FollowUpStatus(f.status)
            rows.append(
                FollowUpRow(
                    f.id,
                    f.version,
                    FollowUpType(f.kind),
                    f.department.name,
                    ins.target.name,
                    ins.target.uscc,
                    f"{r.item.name}（{r.item.code}）",
                    r.finding,
                    ins.task.code if ins.task else f"个案{ins.id}",
                    f.due_date,
                    status,
                    f.closed_on,
                    f.outcome,
                    status is FollowUpStatus.OPEN and f.due_date < today,
                )
            )
        rows.sort(key=lambda x: (not x.overdue, x.department, x.due_date))
        return rows


def by_department(rows: Iterable[FollowUpRow]) -> dict[str, list[FollowUpRow]]:
    out: dict[str, list[FollowUpRow]] = {}
    for row in rows:
        out.setdefault(row.department, []).append(row)
    return out


def _load(s: Session, follow_up_id: int) -> FollowUpRecord:
    f = s.get(FollowUpRecord, follow_up_id)
    if f is None:
        raise PublicationError(f"找不到后续处置记录 {follow_up_id}")
    return f


def _require_handler(f: FollowUpRecord) -> None:
    """The responsible department's reviewers or results clerks handle its follow-ups."""
    p = current_principal()
    perm = Permission.PUBLISH if p.may(Permission.PUBLISH) else Permission.ENTER_ANY_RESULTS
    require(perm, department_id=f.department_id)


def close_follow_up(
    db: Database,
    follow_up_id: int,
    *,
    closed_on: date,
    outcome: str,
    expected_version: int | None = None,
) -> str:
    outcome = outcome.strip()
    if not outcome:
        raise PublicationError("办结须填写处置结果")
    with db.session() as s:
        f = _load(s, follow_up_id)
        _require_handler(f)
        if expected_version is not None:
            ensure_version(f, expected_version)
        if f.status == FollowUpStatus.CLOSED.value:
            raise PublicationError(f"后续处置记录 {f.id} 已于 {f.closed_on} 办结")
        if f.result.inspected_on is not None and closed_on < f.result.inspected_on:
            raise PublicationError("办结日期不能早于检查日期")
        f.status = FollowUpStatus.CLOSED.value
        f.closed_on = closed_on
        f.outcome = outcome
        f.closed_by = publisher_name()
        flush_or_explain(s)
        return f"后续处置记录 {f.id}（{FollowUpType(f.kind).label}）已办结。"


def update_follow_up(
    db: Database,
    follow_up_id: int,
    *,
    kind: FollowUpType | None = None,
    department_id: int | None = None,
    due_date: date | None = None,
    expected_version: int | None = None,
) -> None:
    """Change the type, the responsible department (e.g. 抄告 to another) or the due date."""
    with db.session() as s:
        f = _load(s, follow_up_id)
        _require_handler(f)
        if expected_version is not None:
            ensure_version(f, expected_version)
        if f.status == FollowUpStatus.CLOSED.value:
            raise PublicationError(f"后续处置记录 {f.id} 已办结，不能再修改")
        if kind is not None:
            f.kind = kind.value
        if department_id is not None:
            f.department_id = department_id
        if due_date is not None:
            f.due_date = due_date
        flush_or_explain(s)
