"""统计分析 page on the hand-counted year: tiles, charts, tables and drill-down dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from stats_data import TODAY, build

from app.views.context import AppContext
from app.views.dashboard.glance import YearGlance
from app.views.dashboard.page import StatsPage


def _page(qtbot, app_ctx: AppContext) -> StatsPage:  # type: ignore[no-untyped-def]
    build(app_ctx.db)
    page = StatsPage(app_ctx)
    page.today = lambda: TODAY
    page.year.setValue(2026)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.dashboard is not None and page._job is None, timeout=10_000)
    if page.dashboard.period.start.year != 2026:  # the first show counted the real year
        page.refresh()
        qtbot.waitUntil(
            lambda: page._job is None and page.dashboard.period.start.year == 2026, timeout=10_000
        )
    return page


def test_tiles_tables_and_drill_down(qtbot, app_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, app_ctx)
    assert "40.0%" in page.tiles["rate"].text()
    assert "4 / 1 / 1" in page.tiles["results"].text()
    assert "0 / 0 / 6" in page.tiles["publication"].text()
    risk = page.tables["risk"]
    assert risk.horizontalHeaderItem(0).text() == "风险分类"
    assert page.tables["item"].horizontalHeaderItem(0).text() == "抽查事项"
    assert [risk.item(r, 0).text() for r in range(risk.rowCount())] == [
        "A",
        "B",
        "C",
        "D",
        "未分类",
    ]
    assert risk.item(1, 4).text() == "100.0%"  # B: 1 of 1
    page.tiles["rate"].click()
    dialog = page.last_dialog
    assert dialog.table.rowCount() == 2  # i2 and i4
    dialog.close()
    # A bar of the problem-rate chart: class A → the one inspection with a problem (i4).
    page.rate_chart.drill.emit(("risk", "A", "with_problems"))
    assert page.last_dialog.table.rowCount() == 1
    assert page.last_dialog.table.item(0, 3).text() == "测试企业t1"
    page.last_dialog.close()
    # A table cell: late results by department.
    dept = page.tables["department"]
    page._cell_activated(dept.item(0, 7))
    assert page.last_dialog.table.rowCount() == 1
    page.last_dialog.close()
    page.close()


def test_home_glance(qtbot, app_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    build(app_ctx.db)
    glance = YearGlance(app_ctx)
    glance.today = lambda: TODAY
    qtbot.addWidget(glance)
    glance.refresh()
    qtbot.waitUntil(lambda: "覆盖率" in glance.body.text(), timeout=10_000)
    assert glance.title.text() == "2026年概览"
    assert "问题发现率：40.0%" in glance.body.text()
    assert "结果逾期未录入：1" in glance.body.text()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip, offscreen
def test_result_category_chart_names_items_down_the_left(qtbot, app_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCharts import QBarCategoryAxis, QHorizontalStackedBarSeries
    from PySide6.QtWidgets import QToolTip

    from app.services.stats.charts import category_stack

    page = _page(qtbot, app_ctx)
    chart = page.stack_chart.chart()
    (series,) = chart.series()
    assert isinstance(series, QHorizontalStackedBarSeries)
    (axis,) = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    assert axis.alignment() == Qt.AlignmentFlag.AlignLeft
    # Whole names, the item inspected most at the top (Qt counts categories upwards).
    names = ["食品经营者经营条件检查", "企业公示信息检查", "危险化学品经营许可检查"]
    assert axis.categories() == list(reversed(names))
    # The top bar opens the inspections of the first item.
    first = series.barSets()[0]
    with qtbot.waitSignal(page.stack_chart.drill) as got:
        first.clicked.emit(len(names) - 1)
    assert got.args[0] == category_stack(page.dashboard).drills[0][0]
    page.last_dialog.close()  # the drill-down list it opened
    # Hovering it names the item in full, with the category and the count.
    first.hovered.emit(True, len(names) - 1)
    assert QToolTip.text() == f"{names[0]}\n{first.label()}：4 户次"
    first.hovered.emit(False, len(names) - 1)
    page.close()


def test_duty_record_reads_and_exports_in_the_background(  # type: ignore[no-untyped-def]
    qtbot, app_ctx: AppContext, tmp_path, monkeypatch
) -> None:
    from openpyxl import load_workbook

    from app.services.stats.duty import duty_lines
    from app.services.stats.frames import Period
    from app.views.dashboard import duty_dialog

    page = _page(qtbot, app_ctx)
    expected = duty_lines(app_ctx.db, Period.year(2026), TODAY)
    page.duty_button.click()
    qtbot.waitUntil(lambda: getattr(page, "duty_dialog", None) is not None, timeout=10_000)
    dialog = page.duty_dialog
    assert dialog.model.rowCount() == len(expected)
    first = dialog.model.index(0, 1)
    assert dialog.model.data(first) == expected[0].inspector
    names = {dialog.summary_table.item(r, 1).text() for r in range(dialog.summary_table.rowCount())}
    assert any(n.startswith("张三") for n in names)

    told: list[str] = []
    monkeypatch.setattr(
        duty_dialog.QMessageBox, "information", lambda _p, _t, text: told.append(text)
    )
    out = tmp_path / "尽职记录.xlsx"
    job = dialog.export_to(out)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    job.wait()
    assert told == [f"已导出：{out}"]
    assert load_workbook(out)["明细"].max_row == len(expected) + 1
    dialog.close()
    page.close()


def test_risk_suggestions_generated_and_decided_in_the_background(  # type: ignore[no-untyped-def]
    qtbot, app_ctx: AppContext, monkeypatch
) -> None:
    from PySide6.QtCore import QItemSelectionModel

    from app.services.stats.frames import Period
    from app.views.dashboard import risk_dialog

    build(app_ctx.db)
    told: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(risk_dialog.QMessageBox, name, lambda _p, _t, text: told.append(text))
    dialog = risk_dialog.RiskDialog(app_ctx, Period.year(2026))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    dialog.generate_button.click()
    qtbot.waitUntil(lambda: told == ["新生成 2 条风险分类建议。"], timeout=10_000)
    assert dialog.model.rowCount() == 2
    assert {dialog.model.data(dialog.model.index(r, 2)) for r in range(2)} == {
        "测试企业t1",
        "测试企业t3",
    }
    # The first one accepted; the list (待处理) then shows only the other.
    dialog.table.selectionModel().select(
        dialog.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    dialog.accept_button.click()
    qtbot.waitUntil(lambda: len(told) == 2, timeout=10_000)
    assert told[1] == "已采纳 1 条建议。"
    assert dialog.model.rowCount() == 1
    # Rejecting without a reason is refused by the service, shown as a message.
    dialog.table.selectAll()
    dialog.reject_button.click()
    qtbot.waitUntil(lambda: len(told) == 3, timeout=10_000)
    assert "须填写理由" in told[2]
    assert dialog.model.rowCount() == 1
