"""The main window: left navigation, one page at a time, database in the status bar."""

from __future__ import annotations

import importlib

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app import APP_TITLE, __version__
from app.views.context import AppContext
from app.views.help import install_help_menu
from app.views.pages import PAGES, PageSpec
from app.views.placeholder import PlaceholderPage
from app.views.widgets.jobs import stop_all_jobs
from app.views.widgets.screen import fit_to_screen


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"{APP_TITLE}  {__version__}")
        fit_to_screen(self, 1280, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(168)
        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        for spec in PAGES:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            holder = QWidget()  # replaced by the real page on first visit
            self.stack.addWidget(holder)
        self.nav.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(f"数据库  {ctx.db.describe()}")
        self.db_label.setObjectName("dbLabel")
        self.statusBar().addPermanentWidget(self.db_label)

        # Ctrl+1 … Ctrl+0 reach the ten pages from the keyboard.
        for i in range(len(PAGES)):
            key = QKeySequence(f"Ctrl+{(i + 1) % 10}")
            QShortcut(key, self).activated.connect(lambda row=i: self.nav.setCurrentRow(row))

        install_help_menu(self, ctx.db)
        self._restore_geometry()
        self.nav.setCurrentRow(0)

    def page(self, key: str) -> QWidget:
        """The page widget for `key`, built if not yet (tests and navigation use it)."""
        row = next(i for i, s in enumerate(PAGES) if s.key == key)
        self._ensure_page(row)
        return self._pages[key]

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, s in enumerate(PAGES) if s.key == key)
        self.nav.setCurrentRow(row)
        return self._pages[key]

    def _ensure_page(self, row: int) -> None:
        spec = PAGES[row]
        if spec.key in self._pages:
            return
        widget = self._build(spec)
        old = self.stack.widget(row)
        self.stack.insertWidget(row, widget)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self._pages[spec.key] = widget

    def _build(self, spec: PageSpec) -> QWidget:
        if spec.factory is None:
            return PlaceholderPage(spec)
        module_name, _, attr = spec.factory.partition(":")
        factory = getattr(importlib.import_module(module_name), attr)
        page: QWidget = factory(self.ctx, None)
        return page

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self._ensure_page(row)
        self.stack.setCurrentIndex(row)
        self.statusBar().showMessage(PAGES[row].title, 2000)

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            # Saved on a bigger screen (or a projector): shrink onto this one.
            fit_to_screen(self, self.width(), self.height())

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        stop_all_jobs()  # no query or export outlives the window that asked for it
        super().closeEvent(event)
