"""导入… / 导出… / 下载模板 of one registry, run in the background with progress and cancel.

The Excel engine lives in app.services.registry.imports.engine / registry_export; it
is imported when a button is used, so opening a page stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.db import Database
from app.views.registry import forms
from app.views.widgets.jobs import Job, run_with_progress
from app.views.widgets.screen import fit_to_screen

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
# Kinds whose import first shows how each column was understood (published layouts vary).
PREVIEW_KINDS = frozenset({"items"})
# Rejected rows listed on screen; the report workbook has all of them.
SHOWN_ISSUES = 50


def _service(module: str, name: str) -> Callable[..., Any]:
    fn: Callable[..., Any] = getattr(importlib.import_module(f"app.services.{module}"), name)
    return fn


def last_dir() -> str:
    saved = QSettings().value("registry/last_dir")
    if saved:
        return str(saved)
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def remember_dir(path: str) -> None:
    QSettings().setValue("registry/last_dir", str(Path(path).parent))


class ImportSummaryDialog(QDialog):
    """What an import did, with 保存报告… for the full report workbook."""

    def __init__(self, title: str, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report = report
        self.setWindowTitle(f"{title} — 导入结果")
        layout = QVBoxLayout(self)
        headline = QLabel(report.text())
        headline.setObjectName("pageTitle")
        headline.setWordWrap(True)
        layout.addWidget(headline)
        layout.addWidget(
            QLabel(
                f"文件：{report.file}（工作表“{report.sheet}”，表头在第 {report.header_row} 行）"
            )
        )
        lines: list[str] = [f"说明：{note}" for note in report.notes]
        if report.extra_columns:
            lines.append("未使用的列：" + "、".join(report.extra_columns))
        for issue in report.rejections[:SHOWN_ISSUES]:
            lines.append(f"未导入  第 {issue.row} 行：{issue.reason}")
        for issue in report.warnings[: max(0, SHOWN_ISSUES - len(report.rejections))]:
            where = f"“{issue.column}”" if issue.column else ""
            lines.append(f"警告    第 {issue.row} 行{where}：{issue.reason}")
        shown = min(len(report.rejections) + len(report.warnings), SHOWN_ISSUES)
        if len(report.rejections) + len(report.warnings) > shown:
            lines.append(
                f"……其余问题见报告工作簿（共 {len(report.rejections) + len(report.warnings)} 条）"
            )
        self.details = QPlainTextEdit("\n".join(lines) or "没有被拒绝的行，也没有警告。")
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("保存报告…")
        self.save_button.setToolTip("每个未导入的行及其原值、行号和原因，以及全部警告")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        self.save_button.clicked.connect(self._ask_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 480)
        self._job: Job | None = None

    def _ask_save(self) -> None:
        stem = Path(self._report.file).stem
        path, _ = QFileDialog.getSaveFileName(
            self, "保存导入报告", str(Path(last_dir()) / f"{stem}-导入报告.xlsx"), XLSX_FILTER
        )
        if path:
            self.save_report(path)

    def save_report(self, path: str) -> Job:
        def done(_result: object) -> None:
            forms.inform(self, "保存报告", f"导入报告已保存：{path}")

        self._job = run_with_progress(
            self,
            "保存导入报告",
            lambda _p, _c: self._report.write(path),
            done,
            lambda message: forms.warn(self, "保存报告失败", f"无法保存 {path}：{message}"),
        )
        return self._job


class RegistryTransfer(QObject):
    """The three Excel buttons of one registry page (`kind`: targets|inspectors|items…)."""

    imported = Signal()  # the page reloads its table
    finished = Signal()  # any job ended (tests wait on it)

    def __init__(self, db: Database, kind: str, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._db = db
        self._kind = kind
        self._title = title
        self._parent = parent
        self.job: Job | None = None
        self.summary: ImportSummaryDialog | None = None
        self.preview: QDialog | None = None

    def buttons(self) -> list[QPushButton]:
        b_import = forms.button("导入…", f"从 Excel 导入{self._title}")
        b_export = forms.button("导出…", f"把{self._title}导出为 Excel，可再导入")
        b_template = forms.button("下载模板", f"{self._title}的空白导入模板，含每列的填写说明")
        b_import.clicked.connect(self.ask_import)
        b_export.clicked.connect(self.ask_export)
        b_template.clicked.connect(self.ask_template)
        return [b_import, b_export, b_template]

    # -- dialogs ------------------------------------------------------------------

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, f"导入{self._title}", last_dir(), XLSX_FILTER
        )
        if path:
            remember_dir(path)
            if self._kind in PREVIEW_KINDS:
                self.open_preview(path)
            else:
                self.start_import(path)

    def open_preview(self, path: str) -> QDialog | None:
        """Show how the columns were understood; import on 导入 with the clerk's choices."""
        from app.services.registry.imports.engine import WorkbookError
        from app.views.registry.import_preview import ImportPreviewDialog

        preview = _service("registry.imports.columns", "preview_registry_import")
        try:
            first = preview(self._kind, path)
        except WorkbookError as exc:
            forms.warn(self._parent, f"导入{self._title}", f"{exc}。未导入任何数据。")
            return None
        dialog = ImportPreviewDialog(
            self._title, first, lambda o: preview(self._kind, path, o), self._parent
        )

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.start_import(path, dialog.assignments())

        dialog.finished.connect(done)
        dialog.open()
        self.preview = dialog
        return dialog

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._parent,
            f"导出{self._title}",
            str(Path(last_dir()) / f"{self._title}.xlsx"),
            XLSX_FILTER,
        )
        if path:
            remember_dir(path)
            self.start_export(path)

    def ask_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._parent,
            "保存导入模板",
            str(Path(last_dir()) / f"{self._title}导入模板.xlsx"),
            XLSX_FILTER,
        )
        if path:
            remember_dir(path)
            self.start_template(path)

    # -- jobs ---------------------------------------------------------------------

    def _run(
        self,
        title: str,
        fn: Callable[[Any, Any], Any],
        ok: Callable[[Any], None],
        cancelled: str = "已取消，数据库未做任何更改。",
    ) -> Job:
        def failed(message: str) -> None:
            # run_with_progress reports a cancel with its own words; say what applies here.
            if message.startswith("已取消"):
                message = cancelled
            forms.warn(self._parent, title, message)
            self.finished.emit()

        def succeeded(result: Any) -> None:
            ok(result)
            self.finished.emit()

        self.job = run_with_progress(self._parent, title, fn, succeeded, failed)
        return self.job

    def start_import(self, path: str, columns: dict[int, str | None] | None = None) -> Job:
        import_registry = _service("registry.imports.engine", "import_registry")

        def work(progress: Any, cancelled: Any) -> Any:
            return import_registry(
                self._db, self._kind, path, progress=progress, cancel=cancelled, columns=columns
            )

        def ok(report: Any) -> None:
            self.imported.emit()
            self.summary = ImportSummaryDialog(self._title, report, self._parent)
            self.summary.open()

        return self._run(f"导入{self._title}", work, ok)

    def start_export(self, path: str) -> Job:
        export = _service("registry.files", "export_registry_file")

        def work(progress: Any, cancelled: Any) -> Any:
            return export(self._db, self._kind, path, progress=progress, cancel=cancelled)

        def ok(rows: int) -> None:
            message = f"已导出{self._title} {rows:,} 行：{path}\n（可直接用“导入…”读回）"
            forms.inform(self._parent, f"导出{self._title}", message)

        return self._run(f"导出{self._title}", work, ok, "导出已取消，未生成文件。")

    def start_template(self, path: str) -> Job:
        write = _service("registry.files", "write_registry_template")

        def ok(_result: Any) -> None:
            forms.inform(self._parent, "下载模板", f"{self._title}导入模板已保存：{path}")

        return self._run("保存导入模板", lambda _p, _c: write(self._kind, path), ok)
