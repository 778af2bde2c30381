"""公示 timeliness for the dashboard and the duty record.

A random inspection's results count as published when its task's results
were first published (the first version; a correction does not move the
date). They are on time when that day is within the task's publication
deadline (20 working days after its planned end, as the 公示 page counts),
late after it, and overdue while unpublished past it. A joint task counts
as published with its first department's announcement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.publication import PublicationKind
from app.domain.results import InspectionKind
from app.models.inspections import Inspection
from app.models.plans import SamplingTask
from app.models.publication import Publication
from app.services.publication.results import publication_due
from app.services.stats.frames import Period


@dataclass(frozen=True)
class PublicationFigures:
    on_time: int
    late: int
    overdue: int
    # "YYYY-MM" → results published that month
    monthly: dict[str, int] = field(default_factory=dict)
    # inspection id → published on time (for the duty record)
    on_time_by_inspection: dict[int, bool] = field(default_factory=dict)
    # unpublished past the deadline
    overdue_inspections: frozenset[int] = frozenset()

    def verdict(self, inspection_id: int) -> str:
        """The duty record's word for one inspection."""
        published = self.on_time_by_inspection.get(inspection_id)
        if published is not None:
            return "按时公示" if published else "逾期公示"
        return "逾期未公示" if inspection_id in self.overdue_inspections else "未到期"


def publication_figures(s: Session, period: Period, today: date) -> PublicationFigures:
    first = (
        select(Publication.task_id, func.min(Publication.published_on).label("first_on"))
        .where(
            Publication.kind == PublicationKind.RESULTS.value,
            Publication.task_id.is_not(None),
            Publication.corrects_id.is_(None),
        )
        .group_by(Publication.task_id)
        .subquery()
    )
    # Core, not ORM rows: 50,000 inspections a year (the other figures read them so too).
    rows = (
        s.connection()
        .execute(
            select(Inspection.id, Inspection.task_id, first.c.first_on)
            .outerjoin(first, first.c.task_id == Inspection.task_id)
            .where(
                Inspection.kind == InspectionKind.RANDOM.value,
                Inspection.task_id.is_not(None),
                Inspection.window_start.between(period.start, period.end),
            )
        )
        .all()
    )
    task_ids = {tid for _iid, tid, _on in rows}
    tasks = s.scalars(select(SamplingTask).where(SamplingTask.id.in_(task_ids))).all()
    due = {t.id: publication_due(s, t) for t in tasks}
    by_inspection: dict[int, bool] = {}
    overdue: set[int] = set()
    monthly: Counter[str] = Counter()
    for iid, tid, on in rows:
        deadline = due[tid]
        if on is None:
            if deadline < today:
                overdue.add(iid)
            continue
        by_inspection[iid] = on <= deadline
        monthly[f"{on:%Y-%m}"] += 1
    on_time = sum(by_inspection.values())
    return PublicationFigures(
        on_time,
        len(by_inspection) - on_time,
        len(overdue),
        dict(sorted(monthly.items())),
        by_inspection,
        frozenset(overdue),
    )
