"""工作日: working-day arithmetic over a calendar abstraction (pure; no DB, no Qt).

Which days are working days, in order of precedence:
1. a day the administrator entered (节假日与调休设置: 放假 or 调休上班) — it
   overrides everything below, so a wrong or late package can be corrected;
2. the `chinesecalendar` package, for the years it knows (the State Council's
   holiday notices up to its release);
3. Monday–Friday. For a year the administrator entered (some of its days are
   in the table) this is the rule, not a guess. For a year nobody entered and
   the package does not know, it is an estimate: the answer carries
   `estimated=True` and the years concerned, and every deadline shown says so.
   Nothing raises on an unknown year.

The 20-working-day rule (结果录入期限): day 1 is the first working day *after*
the reference date (the inspection date or the task's end date, as the
bureau configures); the deadline is day N. The reference date itself never
counts, even when it is a working day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

import chinese_calendar
from chinese_calendar import constants as _cc

# 抽查检查结果应在 20 个工作日内录入并公示.
RESULT_DEADLINE_WORKDAYS = 20


class DayKind(StrEnum):
    """An entered day: 放假 (off on a weekday) or 调休上班 (work on a weekend day)."""

    HOLIDAY = "holiday"
    WORKDAY = "workday"

    @property
    def label(self) -> str:
        return {"holiday": "放假", "workday": "调休上班"}[self.value]

    @classmethod
    def from_label(cls, text: str) -> DayKind | None:
        text = text.strip()
        for kind in cls:
            if text in (kind.value, kind.label):
                return kind
        return {"休息": cls.HOLIDAY, "上班": cls.WORKDAY, "补班": cls.WORKDAY}.get(text)


class Calendar(Protocol):
    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(working day?, estimated?) for one day."""
        ...


def package_years() -> frozenset[int]:
    """Years the installed chinesecalendar knows."""
    return frozenset(d.year for d in _cc.holidays)


@dataclass(frozen=True)
class ChineseCalendar:
    """Entered days over the package over Monday–Friday (see the module docstring)."""

    entered: Mapping[date, DayKind]
    entered_years: frozenset[int]
    known_years: frozenset[int]

    @classmethod
    def build(cls, entered: Mapping[date, DayKind] | None = None) -> ChineseCalendar:
        days = dict(entered or {})
        return cls(days, frozenset(d.year for d in days), package_years())

    def is_workday(self, day: date) -> tuple[bool, bool]:
        kind = self.entered.get(day)
        if kind is not None:
            return kind is DayKind.WORKDAY, False
        if day.year in self.entered_years:
            return day.weekday() < 5, False
        if day.year in self.known_years:
            return bool(chinese_calendar.is_workday(day)), False
        return day.weekday() < 5, True

    def year_source(self, year: int) -> str:
        """Where a year's working days come from, in words for the settings page."""
        if year in self.entered_years:
            return "管理员录入"
        if year in self.known_years:
            return "国务院办公厅通知（内置日历）"
        return "未录入：按周一至周五估算"


@dataclass(frozen=True, slots=True)
class WorkdayAnswer:
    """A computed date and whether any day of the count was estimated (Mon–Fri)."""

    day: date
    estimated: bool
    estimated_years: tuple[int, ...] = ()

    @property
    def note(self) -> str:
        """The visible warning that goes next to an estimated deadline ('' when exact)."""
        if not self.estimated:
            return ""
        years = "、".join(str(y) for y in self.estimated_years)
        return f"{years}年节假日未录入，按周一至周五估算"


def add_workdays(start: date, n: int, calendar: Calendar) -> WorkdayAnswer:
    """The date `n` working days after `start` (day 1 = the first working day after it).

    n = 0 gives `start` itself. Negative n counts backwards the same way.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    years: set[int] = set()
    # A year has ≥ 240 working days, so this ends; the guard only stops a broken calendar.
    for _ in range(remaining * 10 + 370):
        if remaining == 0:
            break
        day += timedelta(days=step)
        working, estimated = calendar.is_workday(day)
        if estimated:
            years.add(day.year)
        if working:
            remaining -= 1
    else:
        raise ValueError("日历中找不到足够的工作日")
    return WorkdayAnswer(day, bool(years), tuple(sorted(years)))


def workdays_between(start: date, end: date, calendar: Calendar) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_workday(day)[0]:
            count += 1
    return count


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)
