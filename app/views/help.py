"""帮助 menu: the user guide and the draw protocol (local files), shortcuts, about."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE
from app.models.db import Database
from app.resources import draw_protocol_path, user_guide_path
from app.services.system.about import versions
from app.views.widgets.screen import fit_to_screen

# (keys, what they do): every shortcut the program answers to, in one place.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+1 … Ctrl+0", "切换到左侧导航的第 1 … 10 个页面"),
    ("F1", "打开用户指南"),
    ("Ctrl+N", "新增（事项、检查对象、执法人员、联合事项、部门）"),
    ("回车 / 双击", "编辑所选的一行"),
    ("Ctrl+S", "在编辑窗口中保存"),
    ("Esc", "关闭编辑窗口，不保存"),
    ("Ctrl+F", "跳到搜索框（检查对象库、执法人员库）"),
    ("F5", "刷新列表"),
    ("Ctrl+Ins / Ctrl+Del", "在抽查细则中添加 / 删除检查要点"),
    ("Ctrl+↑ / Ctrl+↓", "上移 / 下移所选检查要点"),
    ("Alt+带下划线的字母", "跳到对应的筛选条件，如 Alt+D 行政区划"),
    ("PageDown / → / 空格", "投屏：下一页"),
    ("PageUp / ←", "投屏：上一页"),
    ("Tab / Shift+Tab", "在输入项之间移动"),
)


class GuideBrowser(QTextBrowser):
    """Screenshots shrink to the page's width instead of scrolling sideways."""

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        data = super().loadResource(kind, name)
        if kind != QTextDocument.ResourceType.ImageResource.value or data is None:
            return data
        image = data if isinstance(data, QImage) else QImage.fromData(data)
        room = max(self.viewport().width() - 40, 320)
        if image.isNull() or image.width() <= room:
            return data
        return image.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)


class DocumentViewer(QDialog):
    """A local markdown document with its links and images; back and forward."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — {APP_TITLE}")
        self.browser = GuideBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(path.parent)])
        back, forward, home = QPushButton("后退"), QPushButton("前进"), QPushButton("目录")
        back.clicked.connect(self.browser.backward)
        forward.clicked.connect(self.browser.forward)
        home.clicked.connect(self.browser.home)
        self.browser.backwardAvailable.connect(back.setEnabled)
        self.browser.forwardAvailable.connect(forward.setEnabled)
        back.setEnabled(False)
        forward.setEnabled(False)
        bar = QHBoxLayout()
        for b in (back, forward, home):
            bar.addWidget(b)
        bar.addStretch(1)
        self.where = QLabel(str(path))
        self.where.setObjectName("docPath")
        bar.addWidget(self.where)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        layout.addWidget(close)
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        fit_to_screen(self, 1000, 700)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"键盘快捷键 — {APP_TITLE}")
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setHorizontalHeaderLabels(["按键", "作用"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 640, 560)


class AboutDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"关于 — {APP_TITLE}")
        self.rows = versions(db).lines(qt=f"{qVersion()}（PySide6）")
        layout = QVBoxLayout(self)
        title = QLabel(APP_TITLE)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        form = QFormLayout()
        for label, value in self.rows:
            text = QLabel(value)
            text.setWordWrap(True)
            form.addRow(label, text)
        form.addRow("数据库位置", QLabel(db.describe()))
        layout.addLayout(form)
        note = QLabel(
            "随机抽取按公开的 DRAW-1 规则进行：任何人可用核验包中的 verify.py 独立复核抽取结果。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        copy = buttons.addButton("复制版本信息", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 520, 380)

    def text(self) -> str:
        return "\n".join(f"{label}：{value}" for label, value in self.rows)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


def open_document(parent: QMainWindow, path: Path, title: str) -> DocumentViewer | None:
    if not path.exists():
        from app.views.errors import show_error

        show_error("找不到文档", f"找不到“{title}”的文件：{path}", None)
        return None
    viewer = DocumentViewer(path, title, parent)
    viewer.show()
    return viewer


def install_help_menu(window: QMainWindow, db: Database) -> None:
    """帮助(&H): 用户指南 (F1), 抽取规则, 快捷键, 关于."""
    menu = window.menuBar().addMenu("帮助(&H)")

    def add(text: str, slot: object, key: str | None = None) -> QAction:
        action = QAction(text, window)
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    add("用户指南(&G)", lambda: open_document(window, user_guide_path(), "用户指南"), "F1")
    add(
        "随机抽取规则 DRAW-1(&P)",
        lambda: open_document(window, draw_protocol_path(), "随机抽取规则 DRAW-1"),
    )
    add("键盘快捷键(&K)", lambda: ShortcutsDialog(window).exec())
    menu.addSeparator()
    add("关于(&A)", lambda: AboutDialog(db, window).exec())
