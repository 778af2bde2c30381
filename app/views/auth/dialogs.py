"""登录, 创建系统管理员, 修改密码: small dialogs that call a function and show its refusal.

Each dialog is given the function to call (so tests drive it without a
database); a refusal (LoginError, PermissionDenied, ValueError) is shown in
red under the fields and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE
from app.services.access.auth import Principal
from app.services.common.errors import UserError

# Login refused, permission refused, a password the rules reject: the message says why.
REFUSALS: tuple[type[Exception], ...] = (UserError,)


class _FormDialog(QDialog):
    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — {APP_TITLE}")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        head = QLabel(intro)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #c8102e;")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _field(self, label: str, name: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def _submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error.setText(message)


class LoginDialog(_FormDialog):
    def __init__(
        self,
        attempt: Callable[[str, str], Principal],
        where: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("登录", f"请登录。数据库：{where}", "登录", parent)
        self._attempt = attempt
        self.username = self._field("用户名", "username")
        self.password = self._field("密码", "password", secret=True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        self.principal: Principal | None = None

    def _submit(self) -> None:
        if not self.username.text().strip():
            self.show_error("请输入用户名。")
            self.username.setFocus()
            return
        try:
            self.principal = self._attempt(self.username.text(), self.password.text())
        except REFUSALS as exc:
            self.password.clear()
            self.password.setFocus()
            self.show_error(str(exc))
            return
        self.accept()


class CreateAdminDialog(_FormDialog):
    """First run on a database without users: the first account is the administrator."""

    def __init__(
        self,
        create: Callable[[str, str, str], Principal],
        where: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "创建系统管理员",
            f"数据库 {where} 中还没有用户。请创建第一个账户，它将是系统管理员，"
            "之后可在“系统设置 → 用户与权限”中添加其他用户。",
            "创建并登录",
            parent,
        )
        self._create = create
        self.username = self._field("用户名", "username")
        self.display_name = self._field("姓名", "displayName")
        self.password = self._field("密码", "password", secret=True)
        self.confirm = self._field("再次输入密码", "confirm", secret=True)
        hint = QLabel("密码至少 8 位，须同时包含字母和数字。")
        hint.setObjectName("hint")
        self.form.addRow("", hint)
        self.principal: Principal | None = None

    def _submit(self) -> None:
        if self.password.text() != self.confirm.text():
            self.show_error("两次输入的密码不一致。")
            self.confirm.clear()
            return
        try:
            self.principal = self._create(
                self.username.text(), self.display_name.text(), self.password.text()
            )
        except REFUSALS as exc:
            self.show_error(str(exc))
            return
        self.accept()


class ChangePasswordDialog(_FormDialog):
    def __init__(
        self,
        change: Callable[[str, str], None],
        parent: QWidget | None = None,
        *,
        required: bool = False,
    ) -> None:
        intro = (
            "您的密码是系统管理员设置的初始密码，请先修改为只有您知道的密码。"
            if required
            else "修改当前用户的登录密码。"
        )
        super().__init__("修改密码", intro, "修改", parent)
        self._change = change
        self.old = self._field("原密码", "oldPassword", secret=True)
        self.new = self._field("新密码", "newPassword", secret=True)
        self.confirm = self._field("再次输入新密码", "confirm", secret=True)

    def _submit(self) -> None:
        if self.new.text() != self.confirm.text():
            self.show_error("两次输入的新密码不一致。")
            self.confirm.clear()
            return
        try:
            self._change(self.old.text(), self.new.text())
        except REFUSALS as exc:
            self.show_error(str(exc))
            return
        self.accept()
