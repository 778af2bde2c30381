"""导入预览: how each column of the chosen sheet was understood, before anything is written.

The understanding is computed by the service (app.services.registry.imports.columns);
this dialog only shows it and lets the clerk assign a column by hand, asking the
service again (`refresh`) so the notes follow the new assignment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

IGNORE_LABEL = "（不导入）"
Refresh = Callable[[dict[int, str | None]], Any]


class ImportPreviewDialog(QDialog):
    """Columns, what each was taken for (editable), sample values and the notes."""

    def __init__(
        self,
        title: str,
        preview: Any,
        refresh: Refresh,
        parent: QWidget | None = None,
        extra: QWidget | None = None,
    ) -> None:
        """`extra`: more to ask before importing (the plan import's year), above the buttons."""
        super().__init__(parent)
        self.setWindowTitle(f"{title} — 导入预览")
        self._refresh = refresh
        self.overrides: dict[int, str | None] = {}
        layout = QVBoxLayout(self)
        self.where = QLabel()
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        layout.addWidget(
            QLabel("请核对每列的识别结果；识别不对的列可在“识别为”中改选，或选“（不导入）”。")
        )
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["列", "表头", "识别为", "前几行的内容"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        head.setStretchLastSection(True)
        self.table.setColumnWidth(2, 280)
        layout.addWidget(self.table, 1)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.notes)
        if extra is not None:
            layout.addWidget(extra)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.combos: dict[int, QComboBox] = {}
        self._show(preview)
        self.resize(1000, 560)

    def _show(self, preview: Any) -> None:
        self.preview = preview
        self.where.setText(
            f"文件：{preview.file}\n工作表“{preview.sheet}”，表头在第 {preview.header_row} 行"
        )
        self.table.setRowCount(len(preview.columns))
        self.combos = {}
        for row, col in enumerate(preview.columns):
            self.table.setItem(row, 0, QTableWidgetItem(f"{col.letter} 列"))
            self.table.setItem(row, 1, QTableWidgetItem(col.header))
            combo = QComboBox()
            combo.addItem(IGNORE_LABEL, None)
            for field_name, label in preview.choices:
                combo.addItem(label, field_name)
            combo.setCurrentIndex(max(0, combo.findData(col.field)))
            combo.currentIndexChanged.connect(
                lambda _i, pos=col.position, c=combo: self._assign(pos, c.currentData())
            )
            self.table.setCellWidget(row, 2, combo)
            self.combos[col.position] = combo
            samples = QTableWidgetItem("；".join(col.samples))
            samples.setToolTip("\n".join(col.samples))
            self.table.setItem(row, 3, samples)
        self.notes.setText("\n".join(f"· {n}" for n in preview.notes))
        self.notes.setVisible(bool(preview.notes))

    def _assign(self, position: int, field_name: str | None) -> None:
        self.overrides[position] = field_name
        self._show(self._refresh(dict(self.overrides)))

    def assignments(self) -> dict[int, str | None]:
        """The columns assigned by hand (position → field, None to ignore)."""
        return dict(self.overrides)
