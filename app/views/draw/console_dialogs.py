"""Questions the console asks before a step that stays on record."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class ReasonDialog(QDialog):
    """A reason (required) and, for a second draw, the supervisor who confirms it.

    With `sign_in` the supervisor types their own user name and password
    (checked by the service); without accounts, a name and a tick.
    """

    def __init__(
        self, parent: QWidget | None, title: str, note: str, supervisor: bool, sign_in: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("必填，将记入随机抽取记录")
        self.supervisor = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmed = QCheckBox("监督人员已在场核实，同意重新抽取；原抽取结果保留在案")
        form = QFormLayout()
        form.addRow("原因", self.reason)
        if supervisor:
            form.addRow("监督人员用户名" if sign_in else "监督人员", self.supervisor)
            if sign_in:
                self.supervisor.setPlaceholderText("由监督人员本人输入")
                form.addRow("监督人员密码", self.password)
            form.addRow("", self.confirmed)
        self._needs_supervisor = supervisor
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        text = QLabel(note)
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for signal in (
            self.reason.textChanged,
            self.supervisor.textChanged,
            self.confirmed.toggled,
        ):
            signal.connect(self._update)
        self._update()

    def _update(self, *_args: object) -> None:
        ok = bool(self.reason.toPlainText().strip())
        if self._needs_supervisor:
            ok = ok and bool(self.supervisor.text().strip()) and self.confirmed.isChecked()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


def ask_abort_reason(parent: QWidget) -> str | None:
    dialog = ReasonDialog(
        parent,
        "作废本次抽取",
        "随机数承诺已公示。作废后本次抽取不再继续，作废原因和承诺值将印在该任务的抽取记录上。",
        supervisor=False,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason.toPlainText().strip()


def ask_redraw(parent: QWidget, sign_in: bool) -> tuple[str, str, str] | None:
    """(reason, supervisor name or user name, password — empty without sign-in)."""
    dialog = ReasonDialog(
        parent,
        "重新抽取",
        "该任务已有抽取结果。重新抽取须说明原因并经监督人员确认；两次结果均保留在案，"
        "新结果的抽取记录会注明本次为重新抽取及其原因。",
        supervisor=True,
        sign_in=sign_in,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return (
        dialog.reason.toPlainText().strip(),
        dialog.supervisor.text().strip(),
        dialog.password.text(),
    )
