"""核实用户表直接修改: choose one open finding of the check and give the reason."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError

EXPLANATION = (
    "请先查明这处修改的经过（按时间、客户端地址找到电脑和操作人，核对账户现状），再写明理由。\n"
    "核实记入审计日志（记下核实人和理由）；此后校验仍会列出这处修改，但不再报错。"
)


class AcknowledgeDialog(QDialog):
    """`findings` are (journal id, sentence); `submit(id, reason)` records, or raises UserError."""

    def __init__(
        self,
        findings: list[tuple[int, str]],
        submit: Callable[[int, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("核实用户表直接修改")
        self.setMinimumWidth(640)
        self.setMaximumWidth(1200)
        self._submit = submit
        layout = QVBoxLayout(self)
        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.change = QComboBox()
        for change_id, sentence in findings:
            self.change.addItem(sentence, change_id)
            self.change.setItemData(self.change.count() - 1, sentence, Qt.ItemDataRole.ToolTipRole)
        self.change.setMinimumContentsLength(40)
        self.change.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("必填：查明的经过，例如“信息科张工用 psql 手工解锁账户”")
        form.addRow("变更", self.change)
        form.addRow("核实理由", self.reason)
        layout.addLayout(form)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c8102e;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("核实")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.change.currentIndexChanged.connect(self._show_detail)
        self._show_detail()
        self.reason.setFocus()

    def _show_detail(self) -> None:
        # The whole sentence: the combo box elides a long one.
        self.detail.setText(self.change.currentText())

    def _ok(self) -> None:
        change_id = self.change.currentData()
        if change_id is None:
            self.error.setText("没有需要核实的用户表直接修改。")
            return
        try:
            self._submit(int(change_id), self.reason.text())
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
