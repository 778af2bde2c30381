"""A drawn joint task with every result entered and approved: the start of publication tests."""

from __future__ import annotations

from datetime import date

from inspection_data import TODAY, VISIT, inspected_task
from sqlalchemy import select

from app.domain.results import FollowUp
from app.models.db import Database
from app.models.inspections import Inspection, InspectionResult
from app.services.inspections import entry, review

ON_SITE = "实地核查"
PUBLISHED_ON = date(2026, 7, 10)


def inspection_ids(db: Database) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(Inspection.id).order_by(Inspection.draw_rank)))


def enter_all(db: Database, iid: int, problem_item: int | None = None) -> None:
    with db.session() as s:
        items = list(
            s.scalars(
                select(InspectionResult.item_id)
                .where(InspectionResult.inspection_id == iid)
                .order_by(InspectionResult.id)
            )
        )
    values = []
    for item in items:
        if item == problem_item:
            values.append(
                entry.ResultInput(
                    item, "02", VISIT, ON_SITE, FollowUp.RECTIFY.value, "未按期公示年度报告"
                )
            )
        else:
            values.append(entry.ResultInput(item, "01", VISIT, ON_SITE, FollowUp.NONE.value))
    entry.enter_results(db, iid, values, today=TODAY)


def approved_task(db: Database, *, problem: bool = True) -> str:
    """Every inspection entered (the first one's first item a problem to correct) and approved."""
    code = inspected_task(db)
    ids = inspection_ids(db)
    first_item = None
    if problem:
        with db.session() as s:
            first_item = s.scalar(
                select(InspectionResult.item_id)
                .where(InspectionResult.inspection_id == ids[0])
                .order_by(InspectionResult.id)
            )
    for k, iid in enumerate(ids):
        enter_all(db, iid, first_item if k == 0 else None)
    review.approve_all(db, code, reviewer="审核员")
    return code
