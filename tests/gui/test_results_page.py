"""检查与结果 driven from the keyboard: a joint inspection entered, sent back, re-entered, approved.

The home page's overdue lists follow: 逾期未录入 before entry, 逾期未审核 while
waiting for review, neither once approved.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from inspection_data import TODAY, first_inspection, inspected_task
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from sqlalchemy import select

from app.domain.results import ResultState
from app.models.inspections import Inspection, InspectionResult
from app.models.registry import Target
from app.services.inspections.todo import TodoKind
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.results.page import NAME_COLUMN, ResultsPage

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

# The day after the joint task's deadline (2026-06-30 + 20 working days = 2026-07-28).
AFTER_DEADLINE = date(2026, 7, 29)


@pytest.fixture
def window(qtbot, app_ctx: AppContext) -> Iterator[MainWindow]:
    inspected_task(app_ctx.db)
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.page("home").today = lambda: AFTER_DEADLINE  # type: ignore[attr-defined]
    w.show()
    qtbot.waitExposed(w)
    # Ctrl+S is a window shortcut: it fires only in the active window, and a window
    # an earlier test left behind may still hold activation.
    w.activateWindow()
    qtbot.waitActive(w)
    yield w


def _overdue(w: MainWindow, kind: TodoKind) -> set[int]:
    home = w.show_page("home")
    home.refresh_todo()  # type: ignore[attr-defined]
    return {line.inspection_id for line in home.lines(kind)}  # type: ignore[attr-defined]


def _type_line(qtbot, page: ResultsPage, index: int, code: str, finding: str = "") -> None:
    """Category by its code, Tab, the finding; date, method and follow-up keep their defaults."""
    line = page.grid.lines[index]
    line.category.setFocus()
    qtbot.keyClicks(line.category, code)
    assert line.category.currentData() == code
    qtbot.keyClick(line.category, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is line.finding
    if finding:
        # Chinese text arrives from the input method as one commit, not as key presses.
        line.finding.insert(finding)


def test_enter_return_reenter_approve(qtbot, window: MainWindow, monkeypatch) -> None:
    db = window.ctx.db
    iid, _team = first_inspection(db)
    assert iid in _overdue(window, TodoKind.OVERDUE_RESULTS)

    # The to-do line opens the inspection on the results page (Enter on the item).
    home = window.page("home")
    tree = home.todo_tree  # type: ignore[attr-defined]
    leaf = tree.topLevelItem(0).child(0).child(0)
    target = leaf.data(0, Qt.ItemDataRole.UserRole)
    tree.itemActivated.emit(leaf, 0)
    page = window.page("results")
    assert isinstance(page, ResultsPage)
    assert window.stack.currentWidget() is page
    assert page.detail is not None and page.detail.inspection_id == target
    page.today = lambda: TODAY
    page.open_inspection(iid)
    assert len(page.grid.lines) == 3  # joint: three departments' items in one visit

    for i in range(3):
        _type_line(qtbot, page, i, "01")
    qtbot.keyClick(page.grid.lines[2].finding, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.detail.state is ResultState.PENDING_REVIEW, page.message.text()
    with db.session() as s:
        rows = s.scalars(select(InspectionResult).where(InspectionResult.inspection_id == iid))
        assert {r.entered_department_id == r.department_id for r in rows} == {True}
    assert iid not in _overdue(window, TodoKind.OVERDUE_RESULTS)
    assert iid in _overdue(window, TodoKind.OVERDUE_REVIEW)

    # Review sends it back with a reason; the team sees the reason on every line.
    window.show_page("results")
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("食品事项应为责令改正", True)
    )
    qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    assert page.detail.state is ResultState.RETURNED
    assert "食品事项应为责令改正" in page.grid.lines[0].status.text()
    assert iid in _overdue(window, TodoKind.OVERDUE_RESULTS)

    # Re-entry: one line changed to 05 with a finding, the others saved again.
    window.show_page("results")
    food = next(
        i for i, line in enumerate(page.grid.lines) if line.row.item_code.startswith("SCJG")
    )
    _type_line(qtbot, page, food, "05", "未公示食品经营许可证，已责令改正")
    page.save()
    assert page.detail.state is ResultState.PENDING_REVIEW, page.message.text()
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    assert page.detail.state is ResultState.APPROVED, page.message.text()
    assert not page.save_button.isEnabled() or not page.grid.inputs()
    with db.session() as s:
        ins = s.get(Inspection, iid)
        codes = sorted(r.category_code for r in ins.results)
        assert codes == ["01", "01", "05"]
        assert ins.target.last_inspected_on == TODAY
    assert iid not in _overdue(window, TodoKind.OVERDUE_RESULTS)
    assert iid not in _overdue(window, TodoKind.OVERDUE_REVIEW)


def test_fill_remaining_asks_first(qtbot, window: MainWindow, monkeypatch) -> None:
    db = window.ctx.db
    iid, _ = first_inspection(db)
    page = window.show_page("results")
    page.today = lambda: TODAY  # type: ignore[attr-defined]
    page.open_inspection(iid)  # type: ignore[attr-defined]
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    page.fill_remaining()  # type: ignore[attr-defined]
    assert page.detail.state is ResultState.NOT_ENTERED  # type: ignore[attr-defined]
    page.fill_remaining()  # type: ignore[attr-defined]
    assert page.detail.state is ResultState.PENDING_REVIEW  # type: ignore[attr-defined]


def test_reassign_dialog(qtbot, window: MainWindow) -> None:
    db = window.ctx.db
    iid, team = first_inspection(db)
    page = window.show_page("results")
    page.today = lambda: TODAY  # type: ignore[attr-defined]
    page.open_inspection(iid)  # type: ignore[attr-defined]
    page.reassign()  # type: ignore[attr-defined]
    dialog = page.dialog  # type: ignore[attr-defined]
    assert dialog.person.count() > 0
    dialog._accept()
    assert "原因" in dialog.error.text()
    dialog.reason.insert("因病住院")
    dialog._accept()
    assert dialog.outcome and "因病住院" in dialog.outcome
    assert team[0].name not in [m.name for m in page.detail.team]  # type: ignore[attr-defined]


def test_documents_in_the_background(qtbot, window: MainWindow, tmp_path) -> None:
    page = window.show_page("results")
    out = tmp_path / "notices.pdf"
    page.files.write_documents("notices", "batch", str(out))  # type: ignore[attr-defined]
    job = page.files.job  # type: ignore[attr-defined]
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass
    assert out.exists() and "检查通知书" in page.message.text()  # type: ignore[attr-defined]
    folder = tmp_path / "each"
    page.files.write_documents("checklists", "files", str(folder))  # type: ignore[attr-defined]
    with qtbot.waitSignal(page.files.job.done, timeout=60_000):  # type: ignore[attr-defined]
        pass
    assert len(list(folder.glob("*.pdf"))) == 15


def test_every_list_column_in_sight_at_1280x720(qtbot, window: MainWindow) -> None:
    """Long company names are elided; 状态, 已录入 and 录入期限 stay whole, with no scrolling."""
    db = window.ctx.db
    iid, _team = first_inspection(db)
    long_name = "聊城市东昌府区古楼街道办事处兴华路大酒店管理有限责任公司"
    with db.session() as s:
        for n, target in enumerate(s.scalars(select(Target))):
            target.name = f"{long_name}{n}"
    page = window.show_page("results")
    assert isinstance(page, ResultsPage)
    page.today = lambda: TODAY
    page.open_inspection(iid)
    qtbot.wait(20)
    assert window.width() <= 1280 and window.height() <= 720
    view, header = page.view, page.view.horizontalHeader()
    last = header.count() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= (
        view.viewport().width()
    ), [header.sectionSize(c) for c in range(header.count())]
    assert view.horizontalScrollBar().maximum() == 0
    for column in range(header.count()):
        if column != NAME_COLUMN:  # header and content whole, not elided
            need = max(header.sectionSizeHint(column), view.sizeHintForColumn(column))
            assert header.sectionSize(column) >= need, page.model.headerData(
                column, Qt.Orientation.Horizontal
            )
    # The name keeps a readable width; the whole name is in the tooltip.
    chars = header.sectionSize(NAME_COLUMN) / view.fontMetrics().horizontalAdvance("聊")
    assert chars >= 10
    row = page.model.row_of(iid)
    tip = page.model.index(row, NAME_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert long_name in tip and "录入期限" in tip
    # The entry grid beside the list fits without scrolling sideways either.
    scroll = page.grid.parentWidget().parentWidget()
    assert scroll.horizontalScrollBar().maximum() == 0
