"""The three registry pages in the main window: tables, filters, search, edit dialogs."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit
from registry_data import add_departments, add_inspector, add_items, add_targets

from app.domain.auth import Role
from app.domain.registry import InspectorStatus
from app.services.access.auth import Principal, acting_as
from app.services.registry.targets import get_target, save_target
from app.views.main_window import MainWindow
from app.views.registry import forms
from app.views.registry.background import wait_for_background
from app.views.registry.inspectors_page import InspectorsPage
from app.views.registry.items_page import ItemsPage
from app.views.registry.target_dialog import TargetDialog
from app.views.registry.targets_page import TargetsPage

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def messages(
    monkeypatch: pytest.MonkeyPatch, main_window: MainWindow
) -> Iterator[list[tuple[str, str]]]:
    """Message boxes are recorded instead of shown; background work ends at teardown."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(forms, "warn", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(forms, "inform", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(forms, "confirm", lambda _p, _title, _text: True)
    yield shown
    # Before the window (and its database) goes: no timer may start another query.
    for timer in main_window.findChildren(QTimer):
        timer.stop()
    wait_for_background()


def _type_chinese(widget: QLineEdit, text: str) -> None:
    """Chinese arrives from the input method as a committed string, not as key presses."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _choose(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value!r} not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _targets_page(main_window: MainWindow) -> TargetsPage:
    page = main_window.show_page("targets")
    assert isinstance(page, TargetsPage)
    return page


# ---- 检查对象库 ------------------------------------------------------------------------


def test_targets_page_pages_sorts_and_counts(main_window: MainWindow, qtbot, qtmodeltester) -> None:
    add_targets(main_window.ctx.db, 450)
    page = _targets_page(main_window)
    model = page.model
    assert model.rowCount() == 200 and model.canFetchMore()
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: "450" in page.count_label.text())
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 450
    page.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    assert model.query.sort_key == "name" and model.query.descending
    names = [model.row_at(i).name for i in range(model.rowCount())]
    assert names == sorted(names, reverse=True) and len(names) >= 200
    qtmodeltester.check(model)


def test_targets_page_filters_and_debounced_search(main_window: MainWindow, qtbot) -> None:
    add_targets(main_window.ctx.db, 60)
    page = _targets_page(main_window)
    _choose(page.division, "371522")
    assert {page.model.row_at(i).division_code for i in range(page.model.rowCount())} == {"371522"}
    _choose(page.status, "注销")
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert rows and all(r.reg_status == "注销" and r.division_code == "371522" for r in rows)
    page.clear_filters()
    assert page.model.rowCount() == 60

    page.search.setFocus()
    _type_chinese(page.search, "鑫源")
    assert page.model.query.text == ""  # not yet: the search waits for a pause
    qtbot.waitUntil(lambda: page.model.query.text == "鑫源", timeout=2000)
    assert page.model.rowCount() == 20
    assert all("鑫源" in page.model.row_at(i).name for i in range(20))
    page.search.clear()
    _type_chinese(page.search, "百姓大药房")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter searches at once
    assert page.model.query.text == "百姓大药房" and page.model.rowCount() == 10
    qtbot.waitUntil(lambda: "共 10 个" in page.count_label.text())
    qtbot.waitUntil(lambda: page.entity_type.count() == 3)  # 全部 + two types from the data
    _choose(page.risk, "未分类")
    assert all(page.model.row_at(i).risk_class is None for i in range(page.model.rowCount()))


def test_target_dialog_shows_validation_errors_inline_then_saves(
    main_window: MainWindow, qtbot, messages
) -> None:
    add_targets(main_window.ctx.db, 5)
    page = _targets_page(main_window)
    page.table.setFocus()
    page.table.selectRow(2)
    dialog = page.edit_row(2)
    qtbot.waitExposed(dialog)
    dialog.uscc.setText(dialog.uscc.text()[:-1] + ("0" if dialog.uscc.text()[-1] != "0" else "1"))
    dialog.division.setEditText("37152")
    dialog.founded_on.setText("2019年2月30日")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "校验" in dialog.errors.message("uscc")
    assert "6 位数字" in dialog.errors.message("division_code")
    assert "不是有效日期" in dialog.errors.message("founded_on")
    assert dialog.uscc.property("invalid") is True
    target_id = page.model.row_at(2).id
    original = get_target(main_window.ctx.db, target_id)
    dialog.uscc.setText(original.uscc)
    dialog.division.setEditText(original.division_code)
    dialog.founded_on.setText("2019-02-28")
    dialog.name.setText("聊城市新名称有限公司")
    with qtbot.waitSignal(dialog.finished):
        dialog.save_button.click()
    assert page.model.row_at(2).name == "聊城市新名称有限公司"
    assert messages == []


def test_deregister_from_the_dialog_and_stale_edit_message(
    main_window: MainWindow, qtbot, messages
) -> None:
    add_targets(main_window.ctx.db, 3)
    page = _targets_page(main_window)
    first = page.edit_row(0)
    assert first.change_status("吊销")
    with qtbot.waitSignal(first.finished):
        first.reject()
    assert page.model.row_at(0).reg_status == "吊销"

    stale = page.edit_row(1)
    fresh = get_target(main_window.ctx.db, page.model.row_at(1).id)
    fresh.phone = "0635-1234567"
    save_target(main_window.ctx.db, fresh)
    stale.name.setText("后保存的修改")
    assert not stale.save()
    assert messages and "在您打开之后已被" in messages[-1][1]
    assert "0635-1234567" in messages[-1][1]
    stale.reject()


def test_new_target_fills_division_from_the_code(main_window: MainWindow, qtbot) -> None:
    page = _targets_page(main_window)
    dialog = page.new_target()
    dialog.uscc.setText("91371522MA3C00000X")
    dialog.uscc.editingFinished.emit()
    assert dialog._division_code() == "371522"
    dialog.reject()


# ---- 执法人员库 ----------------------------------------------------------------------


def test_inspectors_page_filters_edit_and_recusals(
    main_window: MainWindow, qtbot, qtmodeltester
) -> None:
    db = main_window.ctx.db
    depts = add_departments(db)
    items = add_items(db, depts)
    ids = add_targets(db, 3)
    add_inspector(db, depts["SJ"], "张三", "37150001")
    add_inspector(db, depts["YJ"], "李四", "37150002", expires=date.today() - timedelta(days=1))
    add_inspector(db, depts["SJ"], "王五", "37150003", status=InspectorStatus.RETIRED)
    page = main_window.show_page("inspectors")
    assert isinstance(page, InspectorsPage)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 3
    # 执法证有效期至 shows the flag the service computed for today: 李四's lapsed yesterday.
    badges = {
        page.model.row_at(i).name: page.model.index(i, 3).data()
        for i in range(page.model.rowCount())
    }
    assert badges["李四"].endswith("（已过期）") and "已过期" not in badges["张三"]
    page.drawable_only.setChecked(True)
    assert [page.model.row_at(i).name for i in range(page.model.rowCount())] == ["张三"]
    page.drawable_only.setChecked(False)
    page.department.setCurrentIndex(page.department.findData(depts["SJ"]))
    assert page.model.rowCount() == 2

    row = next(i for i in range(page.proxy.rowCount()) if page.proxy.index(i, 0).data() == "王五")
    dialog = page.edit_row(row)
    assert dialog.qualifications.count() == 2  # the items of 市场监管局
    dialog.qualifications.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.checked_items() == [items["SJ-001"]]
    dialog.badge_no.setText("37150001")
    assert not dialog.save()
    assert "不能重复" in dialog.errors.message("badge_no")

    code = get_target(db, ids[1]).uscc
    dialog.recusal_target.setText("913715")
    assert not dialog.add_recusal()
    assert "没有统一社会信用代码" in dialog.recusal_errors.message("target")
    dialog.recusal_target.setText(code)
    dialog.recusal_reason.setText("配偶为该企业股东")
    assert dialog.add_recusal()
    qtmodeltester.check(dialog.recusals)
    assert dialog.recusals.rowCount() == 1
    dialog.badge_no.setText("37150009")
    dialog.status.setCurrentText("在岗")
    with qtbot.waitSignal(dialog.finished):
        assert dialog.save()
    assert page.model.row_at(page.model.row_of(dialog.saved_id)).qualification_count == 1

    targets = _targets_page(main_window)
    target_dialog = targets.edit_row(targets.model.row_of(ids[1]))
    assert target_dialog.recusals.rowCount() == 1
    assert target_dialog.recusals.index(0, 0).data() == "王五"
    qtmodeltester.check(target_dialog.recusals)
    target_dialog.reject()


# ---- 事项清单 ----------------------------------------------------------------------


def test_items_page_filters_and_item_dialog(
    main_window: MainWindow, qtbot, qtmodeltester, messages
) -> None:
    db = main_window.ctx.db
    depts = add_departments(db)
    add_items(db, depts)
    page = main_window.show_page("items")
    assert isinstance(page, ItemsPage)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 3
    page.category.setCurrentIndex(page.category.findData("KEY"))
    assert [page.model.row_at(i).code for i in range(page.model.rowCount())] == ["SJ-001"]
    page.category.setCurrentIndex(0)

    dialog = page.open_dialog(None)
    dialog.code.setText("SJ-001")
    dialog.key_radio.setChecked(True)
    assert not dialog.ratio_cap.isEnabled()
    dialog.general_radio.setChecked(True)
    assert dialog.ratio_cap.isEnabled()
    dialog.ratio_cap.setText("abc")
    assert not dialog.save()
    assert "已用于" in dialog.errors.message("code")
    assert "不是数字" in dialog.errors.message("ratio_cap")
    assert "检查方式" in dialog.errors.message("methods")

    dialog.code.setText("SJ-100")
    dialog.name.setText("网络交易平台检查")
    dialog.ratio_cap.setText("2.5")
    dialog.methods["网络监测"].setChecked(True)
    cps = dialog.checkpoints
    for text in ("要点甲", "要点乙", "要点丙"):
        dialog.checkpoint_view.setCurrentIndex(cps.index(cps.rowCount() - 1, 0))
        row = cps.add()
        cps.setData(cps.index(row, 0), text)
    qtmodeltester.check(cps)
    dialog.checkpoint_view.setCurrentIndex(cps.index(2, 0))
    dialog.move_checkpoint(-1)
    assert [c.text for c in cps.checkpoints()] == ["要点甲", "要点丙", "要点乙"]
    dialog.checkpoint_view.setCurrentIndex(cps.index(0, 0))
    dialog.remove_checkpoint()
    with qtbot.waitSignal(dialog.finished):
        assert dialog.save()
    row = page.model.row_of(dialog.saved_id)
    assert page.model.row_at(row).checkpoint_count == 2
    assert page.model.index(row, 4).data() == "2.50%"


def test_joint_groups_dialog_requires_two_departments(main_window: MainWindow, qtbot) -> None:
    db = main_window.ctx.db
    depts = add_departments(db)
    items = add_items(db, depts)
    page = main_window.show_page("items")
    dialog = page.open_joint_groups()
    dialog.code.setText("LH-001")
    dialog.name.setText("危化品联合检查")
    dialog.check_items({items["SJ-001"]})
    assert not dialog.save()
    assert "至少两个部门" in dialog.errors.message("items")
    dialog.check_items({items["YJ-001"]})
    assert dialog.save()
    assert dialog.group_list.count() == 1
    dialog.reject()


def test_item_list_pdf_is_written_in_the_background(
    main_window: MainWindow, qtbot, tmp_path: Path, messages
) -> None:
    db = main_window.ctx.db
    add_items(db, add_departments(db))
    page = main_window.show_page("items")
    out = tmp_path / "清单.pdf"
    job = page.start_pdf(str(out), "测试市部门联合抽查事项清单")
    with qtbot.waitSignal(job.done, timeout=20_000):
        pass
    assert out.stat().st_size > 10_000
    assert messages and "已生成 3 项" in messages[-1][1]


def test_import_of_a_file_that_is_not_a_workbook_says_so(
    main_window: MainWindow, qtbot, tmp_path: Path, messages
) -> None:
    pytest.importorskip("app.services.registry.imports.engine")
    page = _targets_page(main_window)
    bogus = tmp_path / "名录.xlsx"
    bogus.write_text("这不是 Excel 文件", encoding="utf-8")
    with qtbot.waitSignal(page.transfer.finished, timeout=20_000):
        page.transfer.start_import(str(bogus))
    assert messages and messages[-1][0] == "导入检查对象"
    assert page.transfer.summary is None


def test_template_export_and_import_round_trip_from_the_page(
    main_window: MainWindow, qtbot, tmp_path: Path, messages
) -> None:
    pytest.importorskip("app.services.registry.export")
    add_targets(main_window.ctx.db, 30)
    page = _targets_page(main_window)
    template = tmp_path / "模板.xlsx"
    with qtbot.waitSignal(page.transfer.finished, timeout=20_000):
        page.transfer.start_template(str(template))
    assert zipfile.is_zipfile(template)
    exported = tmp_path / "检查对象.xlsx"
    with qtbot.waitSignal(page.transfer.finished, timeout=20_000):
        page.transfer.start_export(str(exported))
    assert "已导出检查对象 30 行" in messages[-1][1]

    with qtbot.waitSignal(page.transfer.finished, timeout=30_000):
        page.transfer.start_import(str(exported))
    summary = page.transfer.summary
    assert summary is not None and summary.isVisible()
    assert "未变 30" in summary.findChild(QLabel, "pageTitle").text()
    report = tmp_path / "报告.xlsx"
    with qtbot.waitSignal(summary.save_report(str(report)).done, timeout=20_000):
        pass
    assert zipfile.is_zipfile(report)
    summary.close()


def test_enter_on_a_row_opens_its_dialog(main_window: MainWindow, qtbot) -> None:
    add_targets(main_window.ctx.db, 3)
    page = _targets_page(main_window)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(1, 1))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    [dialog] = page.findChildren(TargetDialog)
    qtbot.waitExposed(dialog)
    assert dialog.name.text() == page.model.row_at(1).name
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_a_viewer_sees_the_item_list_but_cannot_change_it(main_window: MainWindow) -> None:
    add_items(main_window.ctx.db, add_departments(main_window.ctx.db))
    viewer = Principal(None, "leader", "领导", frozenset({Role.VIEWER}))
    with acting_as(viewer):
        page = main_window.show_page("items")
    assert page.model.rowCount() == 3
    assert not page.new_button.isEnabled() and not page.delete_button.isEnabled()
    assert "没有" in page.new_button.toolTip()
    assert page.pdf_button.isEnabled() and page.edit_button.isEnabled()
