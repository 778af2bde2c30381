"""尽职记录: per inspector, the assigned inspections and how each was done; xlsx as evidence.

A bureau's year can hold 100,000 team places: the lines are read and the
workbook written in the background (with progress and 取消), and the detail
list is a model that paints only the rows in view.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.stats.duty import HEADERS, SUMMARY_HEADERS, DutyLine, summary, write_duty_xlsx
from app.services.stats.frames import Period
from app.views.widgets.jobs import Job, run_with_progress
from app.views.widgets.list_model import RowListModel


def _fill(table: QTableWidget, headers: list[str], rows: list[list[object]]) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(v)))
    table.resizeColumnsToContents()


class DutyLineModel(RowListModel[DutyLine]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [(h, lambda ln, i=i: str(ln.cells()[i])) for i, h in enumerate(HEADERS)], parent
        )

    def row_key(self, row: DutyLine) -> object:
        return row.inspection_id


class DutyDialog(QDialog):
    def __init__(
        self, lines: list[DutyLine], period: Period, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.lines, self.period = lines, period
        self._job: Job | None = None
        self.setWindowTitle(f"尽职照单免责记录（{period.label}）")
        self.resize(1120, 600)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"每名检查人员承担的检查、检查日期、结果录入与公示情况，共 {len(lines):,} 条。")
        )
        tabs = QTabWidget()
        self.summary_table = QTableWidget()
        self.summary_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _fill(self.summary_table, SUMMARY_HEADERS, summary(lines))
        self.model = DutyLineModel(self)
        self.model.set_rows(lines)
        self.detail_table = QTableView()
        self.detail_table.setModel(self.model)
        self.detail_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.detail_table.resizeColumnsToContents()  # sizes from the rows in view
        tabs.addTab(self.summary_table, "按人员汇总")
        tabs.addTab(self.detail_table, "明细")
        layout.addWidget(tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.export_button = QPushButton("导出 Excel(&X)")
        self.export_button.clicked.connect(self.export)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        row.addWidget(self.export_button)
        row.addWidget(close)
        layout.addLayout(row)

    def export(self) -> None:
        default = str(Path.home() / f"尽职记录_{self.period.start.year}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出尽职记录", default, "Excel 文件 (*.xlsx)")
        if path:
            self.export_to(Path(path).with_suffix(".xlsx"))

    def export_to(self, out: Path) -> Job:
        lines = self.lines
        self.export_button.setEnabled(False)
        self._job = run_with_progress(
            self,
            "正在导出尽职记录…",
            lambda _p, _c: write_duty_xlsx(lines, out),
            lambda _r: self._exported(f"已导出：{out}"),
            lambda msg: self._exported(msg, failed=True),
        )
        return self._job

    def _exported(self, text: str, *, failed: bool = False) -> None:
        self.export_button.setEnabled(True)
        if failed:
            QMessageBox.warning(self, "导出失败", text)
        else:
            QMessageBox.information(self, "导出完成", text)
