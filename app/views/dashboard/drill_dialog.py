"""The inspections behind a number: a read-only list; Enter opens one on 检查与结果."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.stats.drill import HEADERS, LIST_LIMIT, InspectionLine

ID_ROLE = Qt.ItemDataRole.UserRole


class DrillDialog(QDialog):
    def __init__(
        self, title: str, total: int, lines: list[InspectionLine], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"检查清单：{title}")
        self.resize(1100, 560)
        layout = QVBoxLayout(self)
        more = f"（显示前 {LIST_LIMIT:,} 条）" if total > len(lines) else ""
        self.summary = QLabel(f"{title}：共 {total:,} 次检查{more}。回车或双击打开该检查。")
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(lines), len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for r, line in enumerate(lines):
            for c, text in enumerate(line.cells()):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, line.inspection_id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.itemActivated.connect(self._open)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _open(self, item: QTableWidgetItem) -> None:
        window = self.parent().window() if self.parent() else None  # type: ignore[union-attr]
        show_page = getattr(window, "show_page", None)
        if show_page is not None:
            self.accept()
            show_page("results").open_inspection(int(item.data(ID_ROLE)))
