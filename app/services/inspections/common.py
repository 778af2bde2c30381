"""What every inspections use case shares: the error, settings, categories and the calendar.

`categories` lives in app.services.common.categories (the audit wording needs it too).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import InvalidInput
from app.domain.workdays import (
    RESULT_DEADLINE_WORKDAYS,
    ChineseCalendar,
    DayKind,
    WorkdayAnswer,
    add_workdays,
)
from app.models import AppSetting
from app.models.inspections import Holiday, Inspection

# Where the 20-working-day count starts (a bureau setting).
SETTING_DEADLINE_REFERENCE = "result_deadline_reference"


class InspectionError(InvalidInput):
    """An inspections request refused; str() says what and where, in Chinese."""


class DeadlineReference(StrEnum):
    """The reference date of the result deadline: day 1 is the next working day."""

    TASK_END = "task_end"
    INSPECTION_DATE = "inspection_date"

    @property
    def label(self) -> str:
        return {"task_end": "任务结束日期", "inspection_date": "检查日期"}[self.value]


def now_utc() -> datetime:
    return datetime.now(UTC)


def _setting(s: Session, key: str) -> object:
    row = s.get(AppSetting, key)
    return None if row is None else row.value


def deadline_reference(s: Session) -> DeadlineReference:
    raw = _setting(s, SETTING_DEADLINE_REFERENCE)
    try:
        return DeadlineReference(str(raw))
    except ValueError:
        return DeadlineReference.TASK_END


def calendar(s: Session) -> ChineseCalendar:
    """The working-day calendar: entered days over the package over Monday–Friday."""
    entered = {day: DayKind(kind) for day, kind in s.execute(select(Holiday.day, Holiday.kind))}
    return ChineseCalendar.build(entered)


def reference_date_of(ins: Inspection, mode: DeadlineReference) -> date | None:
    if mode is DeadlineReference.INSPECTION_DATE:
        return ins.inspected_on
    return ins.window_end


def apply_deadline(
    ins: Inspection, mode: DeadlineReference, cal: ChineseCalendar
) -> WorkdayAnswer | None:
    """Set reference_date, due_date and the estimate flag of one inspection from the rule."""
    ref = reference_date_of(ins, mode)
    if ref is None:
        answer = None
        ins.reference_date = ins.due_date = None
        ins.due_date_estimated = False
        return None
    answer = add_workdays(ref, RESULT_DEADLINE_WORKDAYS, cal)
    if (ins.reference_date, ins.due_date, ins.due_date_estimated) != (
        ref,
        answer.day,
        answer.estimated,
    ):
        ins.reference_date = ref
        ins.due_date = answer.day
        ins.due_date_estimated = answer.estimated
    return answer
