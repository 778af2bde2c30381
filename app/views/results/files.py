"""The results page's files: results template and import, notices and checklists PDFs.

Long work runs in the background behind a progress dialog with 取消
(app.views.widgets.jobs); an import is one transaction, so a cancel leaves
the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget

from app.models.db import Database
from app.services.inspections import documents, transfer
from app.views.widgets.jobs import Job, run_with_progress


class ResultsHost(Protocol):
    """What the results page offers its file actions (the page itself)."""

    db: Database
    file_bar: QHBoxLayout

    @property
    def task_code(self) -> str | None: ...

    def today(self) -> date: ...

    def say(self, text: str, ok: bool = True) -> None: ...

    def reload(self, keep: int | None = None) -> None: ...

    def _try(self, fn: Callable[[], str | None]) -> bool: ...


class FileActions:
    def __init__(self, page: ResultsHost, parent: QWidget) -> None:
        self.page = page
        self.parent = parent  # dialogs and progress windows open over the page
        self.job: Job | None = None  # kept alive until it ends
        self.last_report: Any = None
        self.template_button = QPushButton("结果模板…")
        self.template_button.setToolTip("导出预填本任务检查对象和事项的 Excel 结果模板")
        self.template_button.clicked.connect(self.export_template)
        self.import_button = QPushButton("导入结果…")
        self.import_button.setToolTip("从 Excel 批量导入检查结果（整批一个事务）")
        self.import_button.clicked.connect(self.import_results)
        self.notices_button = QPushButton("检查通知书…")
        self.notices_button.setToolTip("生成本任务每户的检查通知书 PDF（合并打印或每户一个文件）")
        self.notices_button.clicked.connect(lambda: self.write_documents("notices"))
        self.checklists_button = QPushButton("检查记录表…")
        self.checklists_button.setToolTip("按抽查细则生成每户的检查记录表 PDF")
        self.checklists_button.clicked.connect(lambda: self.write_documents("checklists"))
        for b in (
            self.template_button,
            self.import_button,
            self.notices_button,
            self.checklists_button,
        ):
            page.file_bar.addWidget(b)

    def ask_layout(self, title: str) -> str | None:
        """'batch' (one PDF for the printer), 'files' (one per enterprise) or None."""
        box = QMessageBox(QMessageBox.Icon.Question, title, "生成方式：", parent=self.parent)
        batch = box.addButton("合并为一个 PDF（打印）", QMessageBox.ButtonRole.AcceptRole)
        files = box.addButton("每户一个文件", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is batch:
            return "batch"
        return "files" if clicked is files else None

    def write_documents(
        self, kind: str, layout: str | None = None, target: str | None = None
    ) -> None:
        code = self.page.task_code
        if not code:
            return
        title = "检查通知书" if kind == "notices" else "检查记录表"
        layout = layout or self.ask_layout(title)
        if layout is None:
            return
        if target is None:
            if layout == "batch":
                target, _ = QFileDialog.getSaveFileName(
                    self.parent, title, f"{code}-{title}.pdf", "PDF 文件 (*.pdf)"
                )
            else:
                target = QFileDialog.getExistingDirectory(self.parent, f"{title}：选择文件夹")
        if not target:
            return
        db, today = self.page.db, self.page.today()
        out = Path(target) if layout == "batch" else None
        folder = Path(target) if layout == "files" else None

        def work(progress: Any, cancelled: Any) -> Any:
            if kind == "notices":
                return documents.write_task_notices(
                    db,
                    code,
                    out,
                    issued_on=today,
                    per_enterprise=folder,
                    progress=progress,
                    cancelled=cancelled,
                )
            return documents.write_task_checklists(
                db, code, out, per_enterprise=folder, progress=progress, cancelled=cancelled
            )

        self.job = run_with_progress(
            self.parent,
            f"正在生成{title}…",
            work,
            lambda text: self.page.say(f"已生成{text}"),
            self._failed,
        )

    def export_template(self) -> None:
        code = self.page.task_code
        if not code:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.parent, "导出结果模板", f"{code}-检查结果.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.page._try(
                lambda: f"已导出 {transfer.write_template(self.page.db, code, path)} 行：{path}"
            )

    def import_results(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self.parent, "导入检查结果", "", "Excel 工作簿 (*.xlsx)"
            )
        if not path:
            return
        db, today = self.page.db, self.page.today()
        file = Path(path)

        def work(progress: Any, cancelled: Any) -> Any:
            return transfer.import_results(
                db, file, today=today, progress=progress, cancel=cancelled
            )

        self.job = run_with_progress(
            self.parent, "正在导入检查结果…", work, self._imported, self._failed
        )

    def _imported(self, report: Any) -> None:
        self.last_report = report
        lines = [f"检查结果导入完成：{report.text()}"]
        lines += [f"第 {i.row} 行未导入：{i.reason}" for i in report.rejections[:5]]
        self.page.say("\n".join(lines), ok=not report.rejections)
        self.page.reload()

    def _failed(self, message: str) -> None:
        self.page.say(message, ok=False)
