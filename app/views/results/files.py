"""The results page's files: results template and import (and, with the writers, PDFs).

Long work runs in the background behind a progress dialog with 取消
(app.views.widgets.jobs); an import is one transaction, so a cancel leaves
the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QPushButton

from app.services.inspections import transfer
from app.views.widgets.jobs import Job, run_with_progress

if TYPE_CHECKING:
    from app.views.results.page import ResultsPage


class FileActions:
    def __init__(self, page: ResultsPage) -> None:
        self.page = page
        self.job: Job | None = None  # kept alive until it ends
        self.last_report: Any = None
        self.template_button = QPushButton("结果模板…")
        self.template_button.setToolTip("导出预填本任务检查对象和事项的 Excel 结果模板")
        self.template_button.clicked.connect(self.export_template)
        self.import_button = QPushButton("导入结果…")
        self.import_button.setToolTip("从 Excel 批量导入检查结果（整批一个事务）")
        self.import_button.clicked.connect(self.import_results)
        for b in (self.template_button, self.import_button):
            page.file_bar.addWidget(b)

    def export_template(self) -> None:
        code = self.page.task_code
        if not code:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.page, "导出结果模板", f"{code}-检查结果.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.page._try(
                lambda: f"已导出 {transfer.write_template(self.page.db, code, path)} 行：{path}"
            )

    def import_results(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self.page, "导入检查结果", "", "Excel 工作簿 (*.xlsx)"
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
            self.page, "正在导入检查结果…", work, self._imported, self._failed
        )

    def _imported(self, report: Any) -> None:
        self.last_report = report
        lines = [f"检查结果导入完成：{report.text()}"]
        lines += [f"第 {i.row} 行未导入：{i.reason}" for i in report.rejections[:5]]
        self.page.say("\n".join(lines), ok=not report.rejections)
        self.page.reload()

    def _failed(self, message: str) -> None:
        self.page.say(message, ok=False)
