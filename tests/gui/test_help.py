"""帮助 menu: the local user guide and protocol, the shortcuts, the versions in 关于."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import qVersion

from app import __version__
from app.resources import draw_protocol_path, user_guide_path
from app.views.help import SHORTCUTS, AboutDialog, ShortcutsDialog, open_document
from app.views.main_window import MainWindow

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_help_menu_lists_guide_protocol_shortcuts_and_about(main_window: MainWindow) -> None:
    menus = [a for a in main_window.menuBar().actions() if a.text() == "帮助(&H)"]
    assert menus, "no 帮助 menu"
    texts = [a.text() for a in menus[0].menu().actions() if not a.isSeparator()]
    assert texts == ["用户指南(&G)", "随机抽取规则 DRAW-1(&P)", "键盘快捷键(&K)", "关于(&A)"]
    guide = menus[0].menu().actions()[0]
    assert guide.shortcut().toString() == "F1"


def test_the_guide_and_the_protocol_open_from_local_files(qtbot, main_window) -> None:
    for path, words in ((user_guide_path(), "用户指南"), (draw_protocol_path(), "DRAW-1")):
        assert path.exists(), path
        viewer = open_document(main_window, path, "文档")
        assert viewer is not None
        qtbot.addWidget(viewer)
        assert words in viewer.browser.toPlainText()
        viewer.close()


def test_about_names_every_version(qtbot, main_window) -> None:
    about = AboutDialog(main_window.ctx.db, main_window)
    qtbot.addWidget(about)
    text = about.text()
    assert f"程序版本：{__version__}" in text
    assert qVersion() in text
    assert f"SQLite {sqlite3.sqlite_version}" in text
    assert "DRAW-1" in text and "数据库结构版本：0" in text


def test_shortcuts_dialog_lists_them_all(qtbot) -> None:
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(SHORTCUTS)
    keys = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert "F1" in keys and "Ctrl+1 … Ctrl+0" in keys
