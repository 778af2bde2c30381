"""公示 timeliness for the dashboard and the duty record.

A random inspection's results count as published when its task's results
were first published (the first version; a correction does not move the
date). They are on time when that day is within the task's publication
deadline (20 working days after its planned end, as the 公示 page counts),
late after it, and overdue while unpublished past it. A joint task counts
as published with its first department's announcement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.publication import PublicationKind
from app.domain.results import InspectionKind
from app.models.inspections import Inspection
from app.models.plans import SamplingTask
from app.models.publication import Publication
from app.services.publication.results import publication_due
from app.services.stats.frames import Period
from app.services.stats.reads import read_array

# Per inspection: not yet due, published on time, published late, overdue unpublished.
NOT_DUE, ON_TIME, LATE, OVERDUE = 0, 1, 2, 3
_VERDICTS = {NOT_DUE: "未到期", ON_TIME: "按时公示", LATE: "逾期公示", OVERDUE: "逾期未公示"}


@dataclass(frozen=True, eq=False)
class PublicationFigures:
    on_time: int
    late: int
    overdue: int
    # "YYYY-MM" → results published that month
    monthly: dict[str, int] = field(default_factory=dict)
    # The random inspections of the period (sorted ids) and each one's state above.
    ins_id: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    state: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))

    def verdict(self, inspection_id: int) -> str:
        """The duty record's word for one inspection."""
        i = int(np.searchsorted(self.ins_id, inspection_id))
        if i < len(self.ins_id) and self.ins_id[i] == inspection_id:
            return _VERDICTS[int(self.state[i])]
        return _VERDICTS[NOT_DUE]


def publication_figures(s: Session, period: Period, today: date) -> PublicationFigures:
    """Timeliness of the period's random inspections, read from the database."""
    rows = read_array(
        s,
        select(Inspection.id, Inspection.task_id)
        .where(
            Inspection.kind == InspectionKind.RANDOM.value,
            Inspection.task_id.is_not(None),
            Inspection.window_start.between(period.start, period.end),
        )
        .order_by(Inspection.id),
        [("id", "i8"), ("task", "i8")],
    )
    return publication_of(
        s, np.ascontiguousarray(rows["id"]), np.ascontiguousarray(rows["task"]), today
    )


def publication_of(
    s: Session, ins_id: np.ndarray, ins_task: np.ndarray, today: date
) -> PublicationFigures:
    """Timeliness of the given random inspections (ids sorted) of the given tasks."""
    tasks, inv = np.unique(ins_task, return_inverse=True)
    ids = [int(t) for t in tasks]
    first = dict(
        s.execute(
            select(Publication.task_id, func.min(Publication.published_on))
            .where(
                Publication.kind == PublicationKind.RESULTS.value,
                Publication.task_id.in_(ids),
                Publication.corrects_id.is_(None),
            )
            .group_by(Publication.task_id)
        ).all()
    )
    objects = {t.id: t for t in s.scalars(select(SamplingTask).where(SamplingTask.id.in_(ids)))}
    nat = np.datetime64("NaT")
    published = np.array([first.get(t) or nat for t in ids], dtype="datetime64[D]")
    deadline = np.array([publication_due(s, objects[t]) for t in ids], dtype="datetime64[D]")
    on, due = published[inv], deadline[inv]
    is_published = ~np.isnat(on)
    state = np.full(len(ins_id), NOT_DUE, dtype=np.int8)
    state[is_published & (on <= due)] = ON_TIME
    state[is_published & (on > due)] = LATE
    state[~is_published & (due < np.datetime64(today, "D"))] = OVERDUE
    months, counts = np.unique(
        np.datetime_as_string(on[is_published], unit="M"), return_counts=True
    )
    return PublicationFigures(
        int((state == ON_TIME).sum()),
        int((state == LATE).sum()),
        int((state == OVERDUE).sum()),
        {str(m): int(c) for m, c in zip(months, counts, strict=True)},
        ins_id,
        state,
    )
