"""Working-day arithmetic against dates counted by hand from the State Council's notices.

2025 (国办发明电〔2024〕12号): 春节 1月28日至2月4日放假，1月26日（周日）、2月8日（周六）上班;
国庆节、中秋节 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班.
2026 (国办发明电〔2025〕7号): 春节 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班;
中秋节 9月25日至27日放假; 国庆节 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班.
Each expected date below was counted on a paper calendar, day 1 being the first
working day after the start date.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from app.domain.workdays import (
    ChineseCalendar,
    DayKind,
    add_workdays,
    week_bounds,
    workdays_between,
)

PACKAGE = ChineseCalendar.build()


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Spring Festival 2025: the make-up Sunday 26 Jan is day 1.
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        (date(2025, 1, 24), 2, date(2025, 1, 27)),
        (date(2025, 1, 24), 3, date(2025, 2, 5)),
        (date(2025, 1, 24), 6, date(2025, 2, 8)),  # make-up Saturday
        (date(2025, 1, 24), 20, date(2025, 2, 27)),
        # National Day 2025 (with 中秋): 28 Sep and 11 Oct are working days.
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 9, 26), 4, date(2025, 10, 9)),
        (date(2025, 9, 26), 6, date(2025, 10, 11)),
        (date(2025, 9, 26), 20, date(2025, 10, 30)),
        # Spring Festival 2026: 14 Feb and 28 Feb are working Saturdays.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 13), 6, date(2026, 2, 28)),
        (date(2026, 2, 13), 20, date(2026, 3, 19)),
        # 中秋 25–27 Sep and National Day 1–7 Oct 2026; 20 Sep and 10 Oct worked.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 18), 6, date(2026, 9, 28)),
        (date(2026, 9, 18), 9, date(2026, 10, 8)),
        (date(2026, 9, 18), 11, date(2026, 10, 10)),
        (date(2026, 9, 18), 20, date(2026, 10, 22)),
        # The joint test task ends 30 June 2026: no holiday in July.
        (date(2026, 6, 30), 20, date(2026, 7, 28)),
        # The reference day itself never counts, even a working day.
        (date(2026, 7, 1), 1, date(2026, 7, 2)),
        (date(2026, 7, 1), 0, date(2026, 7, 1)),
    ],
)
def test_known_years(start: date, n: int, expected: date) -> None:
    answer = add_workdays(start, n, PACKAGE)
    assert answer.day == expected
    assert not answer.estimated and answer.note == ""


def test_hand_counted_make_up_days_agree_with_the_package() -> None:
    for day in (date(2025, 1, 26), date(2025, 2, 8), date(2025, 9, 28), date(2025, 10, 11)):
        assert chinese_calendar.is_workday(day) and PACKAGE.is_workday(day) == (True, False)
    for day in (date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)):
        assert chinese_calendar.is_workday(day) and PACKAGE.is_workday(day) == (True, False)
    for day in (date(2025, 10, 8), date(2026, 2, 23), date(2026, 9, 25), date(2026, 10, 7)):
        assert PACKAGE.is_workday(day) == (False, False)


def test_unknown_year_counts_monday_to_friday_and_says_so() -> None:
    # 2026-12-25 (Fri): 28–31 Dec are days 1–4; 2027 is unknown, so 1 Jan (Fri) counts.
    answer = add_workdays(date(2026, 12, 25), 20, PACKAGE)
    assert answer.day == date(2027, 1, 22)
    assert answer.estimated and answer.estimated_years == (2027,)
    assert "2027年节假日未录入" in answer.note
    # Far in the future: nothing raises.
    far = add_workdays(date(2099, 12, 30), 300, PACKAGE)
    assert far.estimated and far.day.year == 2101


def test_entered_2027_overrides_the_estimate() -> None:
    entered = {
        date(2027, 1, 1): DayKind.HOLIDAY,
        **{date(2027, 2, d): DayKind.HOLIDAY for d in range(5, 13)},
        date(2027, 2, 20): DayKind.WORKDAY,
    }
    cal = ChineseCalendar.build(entered)
    # 28–31 Dec (4), 4–8 Jan (9), 11–15 (14), 18–22 (19), 25 Jan is day 20.
    answer = add_workdays(date(2026, 12, 25), 20, cal)
    assert answer.day == date(2027, 1, 25) and not answer.estimated
    # Through the entered Spring Festival: 4 Feb (Thu) + 1 → 15 Feb; the Saturday 20th counts.
    assert add_workdays(date(2027, 2, 4), 1, cal).day == date(2027, 2, 15)
    assert add_workdays(date(2027, 2, 19), 1, cal).day == date(2027, 2, 20)
    assert cal.year_source(2027) == "管理员录入"
    # An entered day also overrides a year the package knows.
    fixed = ChineseCalendar.build({date(2026, 7, 1): DayKind.HOLIDAY})
    assert add_workdays(date(2026, 6, 30), 1, fixed).day == date(2026, 7, 2)


def test_between_and_week() -> None:
    assert workdays_between(date(2026, 9, 18), date(2026, 10, 22), PACKAGE) == 20
    assert workdays_between(date(2026, 10, 22), date(2026, 9, 18), PACKAGE) == 0
    assert week_bounds(date(2026, 12, 4)) == (date(2026, 11, 30), date(2026, 12, 6))


def test_day_kind_labels() -> None:
    assert DayKind.from_label("放假") is DayKind.HOLIDAY
    assert DayKind.from_label(" 调休上班 ") is DayKind.WORKDAY
    assert DayKind.from_label("补班") is DayKind.WORKDAY
    assert DayKind.from_label("加班") is None
