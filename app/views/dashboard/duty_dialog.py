"""尽职记录: per inspector, the assigned inspections and how each was done; xlsx as evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import USER_ERRORS
from app.services.stats.duty import (
    HEADERS,
    SUMMARY_HEADERS,
    DutyLine,
    duty_lines,
    summary,
    write_duty_xlsx,
)
from app.services.stats.frames import Period
from app.views.context import AppContext


def _fill(table: QTableWidget, headers: list[str], rows: list[list[object]]) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(v)))
    table.resizeColumnsToContents()


class DutyDialog(QDialog):
    def __init__(
        self, ctx: AppContext, period: Period, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"尽职照单免责记录（{period.label}）")
        self.resize(1120, 600)
        layout = QVBoxLayout(self)
        try:
            self.lines: list[DutyLine] = duty_lines(ctx.db, period, today)
        except USER_ERRORS as exc:
            self.lines = []
            QMessageBox.warning(self, "尽职记录", str(exc))
        self.period = period
        layout.addWidget(
            QLabel(
                f"每名检查人员承担的检查、检查日期、结果录入与公示情况，共 {len(self.lines):,} 条。"
            )
        )
        tabs = QTabWidget()
        self.summary_table = QTableWidget()
        self.detail_table = QTableWidget()
        for t in (self.summary_table, self.detail_table):
            t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _fill(self.summary_table, SUMMARY_HEADERS, summary(self.lines))
        _fill(self.detail_table, HEADERS, [ln.cells() for ln in self.lines])
        tabs.addTab(self.summary_table, "按人员汇总")
        tabs.addTab(self.detail_table, "明细")
        layout.addWidget(tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        export = QPushButton("导出 Excel(&X)")
        export.clicked.connect(self.export)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        row.addWidget(export)
        row.addWidget(close)
        layout.addLayout(row)

    def export(self) -> None:
        default = str(Path.home() / f"尽职记录_{self.period.start.year}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出尽职记录", default, "Excel 文件 (*.xlsx)")
        if path:
            out = Path(path).with_suffix(".xlsx")
            write_duty_xlsx(self.lines, out)
            QMessageBox.information(self, "导出完成", f"已导出：{out}")
