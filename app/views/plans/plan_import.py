"""从表格导入…: a published annual plan table into a draft plan, from the plans page.

Choose the file, check how its columns were understood and give the year,
then the import runs in the background (app.services.plans.imports) and its
summary is shown; the page selects the new draft plan.
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from app.models.db import Database
from app.views.registry import forms
from app.views.registry.import_preview import ImportPreviewDialog
from app.views.registry.transfer import XLSX_FILTER, ImportSummaryDialog, last_dir, remember_dir
from app.views.widgets.jobs import Job, run_with_progress

TITLE = "年度抽查计划表"


def _year_row(year: int) -> tuple[QWidget, QSpinBox]:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    spin = QSpinBox()
    spin.setRange(2000, 2100)
    spin.setValue(year)
    label = QLabel("计划年度(&Y)：")
    label.setBuddy(spin)
    layout.addWidget(label)
    layout.addWidget(spin)
    layout.addWidget(
        QLabel("导入为草稿计划，不会备案或公开；未匹配到抽查事项的任务须选定事项后才能备案。")
    )
    layout.addStretch(1)
    return row, spin


class PlanImport(QObject):
    imported = Signal(str)  # the new plan's code ("" when no row could be imported)
    finished = Signal()  # any job ended (tests wait on it)

    def __init__(self, db: Database, parent: QWidget) -> None:
        super().__init__(parent)
        self._db = db
        self._parent = parent
        self.preview: ImportPreviewDialog | None = None
        self.summary: ImportSummaryDialog | None = None
        self.job: Job | None = None

    def ask(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._parent, f"导入{TITLE}", last_dir(), XLSX_FILTER)
        if path:
            remember_dir(path)
            self.open_preview(path)

    def open_preview(self, path: str, year: int | None = None) -> ImportPreviewDialog | None:
        columns = importlib.import_module("app.services.registry.imports.columns")
        from app.services.registry.imports.engine import WorkbookError

        try:
            first = columns.preview_plan_import(path)
        except WorkbookError as exc:
            forms.warn(self._parent, f"导入{TITLE}", f"{exc}。未导入任何数据。")
            return None
        extra, spin = _year_row(year or date.today().year)
        dialog = ImportPreviewDialog(
            TITLE, first, lambda o: columns.preview_plan_import(path, o), self._parent, extra
        )

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.start(path, spin.value(), dialog.assignments())

        dialog.finished.connect(done)
        dialog.open()
        self.preview = dialog
        return dialog

    def start(self, path: str, year: int, columns: dict[int, str | None]) -> Job:
        from app.services.plans.imports import import_plan

        def work(_progress: Any, _cancelled: Any) -> Any:
            return import_plan(self._db, path, year, columns=columns)

        def ok(report: Any) -> None:
            self.imported.emit(report.plan_code)
            self.summary = ImportSummaryDialog(TITLE, report, self._parent)
            self.summary.open()
            self.finished.emit()

        def failed(message: str) -> None:
            forms.warn(self._parent, f"导入{TITLE}", message)
            self.finished.emit()

        self.job = run_with_progress(self._parent, f"导入{TITLE}", work, ok, failed)
        return self.job
