"""The 公示 page's list per year, and overdue publications for the home page.

A task whose inspections exist but whose results are not published yet is
待公示, due 20 working days after its end (the working-day calendar); past
that day it is overdue. Published versions come from the records, each 已公示
or 已更正 (a newer version corrects it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.planning import PlanState
from app.domain.publication import PublicationKind, PublicationState
from app.models.db import Database
from app.models.inspections import Inspection
from app.models.plans import AnnualPlan, SamplingTask
from app.models.publication import Publication
from app.services.access.auth import require
from app.services.plans.scope import task_visible
from app.services.publication.records import PublicationRow, publication_rows
from app.services.publication.results import publication_due


@dataclass(frozen=True)
class DueTask:
    task_code: str
    title: str
    year: int
    due_date: date
    overdue: bool

    @property
    def text(self) -> str:
        late = "，已逾期" if self.overdue else ""
        return f"{self.task_code} {self.title}：结果公示期限 {self.due_date:%Y-%m-%d}{late}"


def _unpublished_tasks(s: Session, today: date, year: int | None) -> list[DueTask]:
    published = {
        key.split(":")[1]
        for key in s.scalars(
            select(Publication.subject_key).where(Publication.kind == PublicationKind.RESULTS.value)
        )
    }
    with_inspections = select(Inspection.task_id).where(Inspection.task_id.is_not(None))
    stmt = (
        select(SamplingTask)
        .join(AnnualPlan)
        .where(
            SamplingTask.state.in_([PlanState.INSPECTING, PlanState.DONE]),
            SamplingTask.id.in_(with_inspections),
        )
        .order_by(SamplingTask.planned_end, SamplingTask.code)
    )
    if year is not None:
        stmt = stmt.where(AnnualPlan.year == year)
    out = []
    for task in s.scalars(stmt):
        if task.code in published or not task_visible(task):
            continue
        due = publication_due(s, task)
        out.append(DueTask(task.code, task.title, task.plan.year, due, due < today))
    return out


def page_rows(db: Database, year: int, today: date) -> list[PublicationRow]:
    """待公示 tasks first (overdue at the top), then every published version, newest first."""
    with db.session() as s:
        require(Permission.VIEW)
        due = [
            PublicationRow(
                None,
                PublicationKind.RESULTS,
                f"results:{t.task_code}",
                f"{t.task_code} {t.title}",
                t.year,
                0,
                PublicationState.DUE,
                "",
                None,
                None,
                "",
                "",
                t.due_date,
                t.overdue,
                "",
                None,
                (),
            )
            for t in _unpublished_tasks(s, today, year)
        ]
        due.sort(key=lambda r: (not r.overdue, r.due_date))
        return due + publication_rows(s, year)


def overdue_publications(db: Database, today: date) -> list[DueTask]:
    """Tasks in the user's scope whose results are past their publication deadline."""
    with db.session() as s:
        require(Permission.VIEW)
        return [t for t in _unpublished_tasks(s, today, None) if t.overdue]


def years(db: Database, today: date) -> list[int]:
    """Years with plans or publications, newest first (this year always listed)."""
    with db.session() as s:
        found = set(s.scalars(select(AnnualPlan.year).distinct()))
        found |= set(s.scalars(select(Publication.year).distinct()))
    found.add(today.year)
    return sorted(found, reverse=True)
