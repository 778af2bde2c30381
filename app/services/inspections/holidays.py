"""节假日与调休设置: the administrator's holiday table, its xlsx import, and working-day queries.

Entered days override the calendar package (app.domain.workdays). Saving or
importing a year recomputes the deadline of every inspection not yet
published, so an estimated (Monday–Friday) due date becomes exact as soon as
the year is entered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, extract, select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.registry_fields import FieldError, cell_text, parse_date
from app.domain.results import ResultState
from app.domain.workdays import ChineseCalendar, DayKind, WorkdayAnswer, add_workdays
from app.excel.reader import SheetReader
from app.excel.result_sheets import HOLIDAYS
from app.models.auditing import actor
from app.models.db import Database
from app.models.inspections import Holiday, Inspection
from app.services.access import audit
from app.services.access.auth import put_setting, require
from app.services.inspections.common import (
    SETTING_DEADLINE_REFERENCE,
    DeadlineReference,
    InspectionError,
    apply_deadline,
    calendar,
    deadline_reference,
)
from app.services.registry.imports.base import ImportReport


@dataclass(frozen=True)
class DayEntry:
    day: date
    kind: DayKind
    name: str = ""


def working_calendar(db: Database | None) -> ChineseCalendar:
    """The calendar in force: with a database its entered days, without one the package only."""
    if db is None:
        return ChineseCalendar.build()
    with db.session() as s:
        return calendar(s)


def workdays_after(db: Database | None, start: date, n: int) -> WorkdayAnswer:
    return add_workdays(start, n, working_calendar(db))


def list_days(db: Database, year: int) -> list[DayEntry]:
    with db.session() as s:
        rows = s.scalars(
            select(Holiday).where(extract("year", Holiday.day) == year).order_by(Holiday.day)
        )
        return [DayEntry(h.day, DayKind(h.kind), h.name) for h in rows]


def entered_years(db: Database) -> list[int]:
    with db.session() as s:
        days = s.scalars(select(Holiday.day))
        return sorted({d.year for d in days})


def recompute_deadlines(s: Session) -> int:
    """Every open inspection's due date under the current calendar and rule; returns changes."""
    mode, cal = deadline_reference(s), calendar(s)
    changed = 0
    for ins in s.scalars(select(Inspection).where(Inspection.state != ResultState.PUBLISHED.value)):
        before = (ins.due_date, ins.due_date_estimated)
        apply_deadline(ins, mode, cal)
        changed += before != (ins.due_date, ins.due_date_estimated)
    return changed


def _check(entries: Sequence[DayEntry], year: int | None) -> None:
    seen: set[date] = set()
    for e in entries:
        if year is not None and e.day.year != year:
            raise InspectionError(f"{e.day:%Y-%m-%d} 不属于 {year} 年")
        if e.day in seen:
            raise InspectionError(f"{e.day:%Y-%m-%d} 重复")
        seen.add(e.day)
        weekend = e.day.weekday() >= 5
        if e.kind is DayKind.WORKDAY and not weekend:
            raise InspectionError(f"{e.day:%Y-%m-%d} 是工作日，不能设为“调休上班”")
        if e.kind is DayKind.HOLIDAY and weekend and not e.name:
            raise InspectionError(f"{e.day:%Y-%m-%d} 是周末，设为“放假”时请写明节日名称")


def save_year(db: Database, year: int, entries: Sequence[DayEntry]) -> int:
    """Replace a year's entered days (by hand in settings); returns deadlines changed."""
    require(Permission.MANAGE_SYSTEM)
    _check(entries, year)
    with db.session() as s:
        year_days = extract("year", Holiday.day) == year
        before = len(s.scalars(select(Holiday.day).where(year_days)).all())
        s.execute(delete(Holiday).where(year_days))
        who = actor()
        for e in entries:
            s.add(Holiday(day=e.day, kind=e.kind.value, name=e.name.strip()[:64], entered_by=who))
        s.flush()
        audit.record(s, "update", "holidays", year, {"days": before}, {"days": len(entries)})
        return recompute_deadlines(s)


def set_deadline_reference(db: Database, mode: DeadlineReference) -> int:
    """The bureau's rule for the 20-working-day clock; returns deadlines changed."""
    require(Permission.MANAGE_SYSTEM)
    with db.session() as s:
        put_setting(s, SETTING_DEADLINE_REFERENCE, mode.value)
        s.flush()
        return recompute_deadlines(s)


def import_days(db: Database, path: Path | str) -> ImportReport:
    """Import 日期 / 类型（放假、调休上班）/ 名称 rows in one transaction.

    A day already entered is updated; a row with a bad date or type, a
    make-up day on a weekday or a repeated date is rejected with the reason.
    """
    require(Permission.MANAGE_SYSTEM)
    path = Path(path)
    with SheetReader(path, HOLIDAYS) as reader:
        match = reader.match
        report = ImportReport("holidays", str(path), match.sheet_name, match.header_row)
        report.headers = list(match.headers)
        fields = match.fields
        with db.session() as s:
            existing = {h.day: h for h in s.scalars(select(Holiday))}
            seen: dict[date, int] = {}
            who = actor()
            for row, cells in reader.rows():
                report.total += 1
                try:
                    entry = _parse(cells, fields)
                    if entry.day in seen:
                        raise InspectionError(f"与第 {seen[entry.day]} 行日期相同")
                    _check([entry], None)
                except (InspectionError, FieldError) as exc:
                    report.reject(row, str(exc), cells)
                    continue
                seen[entry.day] = row
                old = existing.get(entry.day)
                if old is None:
                    s.add(
                        Holiday(
                            day=entry.day, kind=entry.kind.value, name=entry.name, entered_by=who
                        )
                    )
                    report.inserted += 1
                elif (old.kind, old.name) != (entry.kind.value, entry.name):
                    old.kind, old.name, old.entered_by = entry.kind.value, entry.name, who
                    report.updated += 1
                else:
                    report.unchanged += 1
            s.flush()
            changed = recompute_deadlines(s)
            if changed:
                report.notes.append(f"已按新的节假日重新计算 {changed} 项检查的结果录入期限")
            audit.record(
                s, "import", "holidays", None, None, {"file": path.name, **report.summary()}
            )
    return report


def _parse(cells: list[object], fields: dict[str, int]) -> DayEntry:
    day = parse_date(cells[fields["day"]])
    if day is None:
        raise InspectionError("“日期”为空")
    kind_text = cell_text(cells[fields["kind"]])
    kind = DayKind.from_label(kind_text)
    if kind is None:
        raise InspectionError(f"类型“{kind_text}”应为“放假”或“调休上班”")
    name = cell_text(cells[fields["name"]]).strip()[:64] if "name" in fields else ""
    return DayEntry(day, kind, name)
