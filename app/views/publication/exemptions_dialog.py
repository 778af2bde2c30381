"""轻微违法违规经营行为免罚清单, opened from the item-list page: list, add, remove, export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.db import Database
from app.services.common.errors import USER_ERRORS
from app.services.publication import exemptions
from app.services.publication.records import PublicationError
from app.views.plans.models import Row, RowTableModel

ERRORS: tuple[type[Exception], ...] = (*USER_ERRORS, PublicationError, ValueError)
HEADERS = ("部门", "事项", "违法行为", "不予处罚的情形", "法律依据")


class ExemptionsDialog(QDialog):
    def __init__(self, db: Database, item_code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("轻微违法违规经营行为免罚清单")
        self.model = RowTableModel(HEADERS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.item_code = QLineEdit(item_code)
        self.item_code.setPlaceholderText("事项编码")
        self.violation = QLineEdit()
        self.violation.setPlaceholderText("违法行为，如：未按规定公示即时信息")
        self.conditions = QLineEdit()
        self.conditions.setPlaceholderText("如：首次违法、危害后果轻微并及时改正")
        self.basis = QLineEdit()
        self.basis.setPlaceholderText("法律依据")
        form = QFormLayout()
        form.addRow("事项编码：", self.item_code)
        form.addRow("违法行为：", self.violation)
        form.addRow("不予处罚的情形：", self.conditions)
        form.addRow("法律依据：", self.basis)
        add = QPushButton("列入清单(&A)")
        remove = QPushButton("移出清单(&R)")
        export = QPushButton("导出公示文件(&E)…")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        export.clicked.connect(self.ask_export)
        buttons = QHBoxLayout()
        for b in (add, remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(export)
        self.message = QLabel()
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(980, 560)
        self.reload()

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet("color:#1b7a3a" if ok else "color:#c8102e")
        self.message.setText(text)

    def reload(self) -> None:
        try:
            rows = exemptions.list_exemptions(self.db)
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return
        self.model.set_rows(
            [
                Row(
                    (
                        r.department,
                        f"{r.item_name}（{r.item_code}）",
                        r.violation,
                        r.conditions,
                        r.legal_basis,
                    ),
                    key=r.exemption_id,
                )
                for r in rows
            ]
        )

    def add(self) -> None:
        try:
            exemptions.add_exemption(
                self.db,
                self.item_code.text(),
                self.violation.text(),
                conditions=self.conditions.text(),
                legal_basis=self.basis.text(),
            )
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return
        self.violation.clear()
        self.say("已列入免罚清单。")
        self.reload()

    def remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.say("请先选择一条。", ok=False)
            return
        try:
            exemptions.remove_exemption(self.db, int(self.model.key(rows[0].row())))
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return
        self.say("已移出免罚清单（已公示的结果不变）。")
        self.reload()

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出免罚清单", "免罚清单.pdf", "PDF (*.pdf);;Excel (*.xlsx)"
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> Path | None:
        try:
            out = exemptions.export_exemptions(self.db, path)
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return None
        self.say(f"已导出并记录公示：{out}")
        return out
