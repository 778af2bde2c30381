"""The main window: navigation, placeholders, status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel

from app.views.main_window import MainWindow
from app.views.pages import PAGES
from app.views.placeholder import PlaceholderPage

pytestmark = pytest.mark.gui

EXPECTED_NAV = [
    "首页",
    "事项清单",
    "检查对象库",
    "执法人员库",
    "抽查计划",
    "随机抽取",
    "检查与结果",
    "公示",
    "统计分析",
    "系统设置",
]


def test_navigation_lists_every_page_in_order(main_window: MainWindow) -> None:
    titles = [main_window.nav.item(i).text() for i in range(main_window.nav.count())]
    assert titles == EXPECTED_NAV
    assert main_window.nav.currentRow() == 0


def test_each_page_opens_and_unbuilt_pages_say_so(main_window: MainWindow, qtbot) -> None:
    for row, spec in enumerate(PAGES):
        main_window.nav.setCurrentRow(row)
        page = main_window.stack.currentWidget()
        assert page is main_window.page(spec.key)
        if spec.factory is None:
            assert isinstance(page, PlaceholderPage)
            texts = " ".join(label.text() for label in page.findChildren(QLabel))
            assert "尚在建设中" in texts and spec.title in texts


def test_keyboard_shortcut_switches_page(main_window: MainWindow, qtbot) -> None:
    qtbot.keyClick(main_window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert main_window.nav.currentItem().text() == "抽查计划"
    qtbot.keyClick(main_window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert main_window.nav.currentItem().text() == "系统设置"


def test_status_bar_names_the_database_file(main_window: MainWindow) -> None:
    text = main_window.db_label.text()
    assert "SQLite" in text
    assert str(main_window.ctx.db.engine.url.database) in text


def test_home_page_counts_what_is_stored(main_window: MainWindow) -> None:
    home = main_window.page("home")
    texts = [label.text() for label in home.findChildren(QLabel)]
    assert "检查对象" in texts
    assert any("数据库为空" in t for t in texts)


def test_shipped_cjk_font_is_registered(main_window: MainWindow) -> None:
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()
    assert main_window.font().family() == "WenQuanYi Micro Hei"
