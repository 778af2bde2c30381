"""节假日与结果期限 tab: a year entered by hand, a wrong row refused, the deadline rule saved."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.workdays import DayKind
from app.services.inspections import holidays
from app.services.inspections.common import DeadlineReference
from app.services.inspections.settings import deadline_rule
from app.views.context import AppContext
from app.views.settings.holidays_tab import HolidaysTab

pytestmark = [pytest.mark.gui]


def test_enter_2027_by_hand(qtbot, app_ctx: AppContext) -> None:
    tab = HolidaysTab(app_ctx)
    qtbot.addWidget(tab)
    tab.year.setValue(2027)
    assert "估算" in tab.source.text()
    tab.add_row("2027-01-01", "放假", "元旦")
    tab.add_row("2027-02-22", "调休上班", "春节")  # a Monday
    tab.save_year()
    assert "工作日" in tab.message.text()
    assert holidays.list_days(app_ctx.db, 2027) == []
    tab.table.removeRow(1)
    tab.add_row("2027-02-20", "调休上班", "春节")
    tab.save_year()
    assert [d.kind for d in holidays.list_days(app_ctx.db, 2027)] == [
        DayKind.HOLIDAY,
        DayKind.WORKDAY,
    ]
    assert tab.source.text() == "管理员录入"
    assert holidays.workdays_after(app_ctx.db, date(2026, 12, 31), 1).day == date(2027, 1, 4)
    tab.rule.setCurrentIndex(tab.rule.findData(DeadlineReference.INSPECTION_DATE.value))
    tab.save_rule()
    assert deadline_rule(app_ctx.db) is DeadlineReference.INSPECTION_DATE
