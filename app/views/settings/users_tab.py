"""用户与权限: the administrator adds users, assigns roles and departments, unlocks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.auth import Permission, Role
from app.services.access import auth
from app.services.access import users as user_admin
from app.services.access.auth import current_principal
from app.services.access.users import Choice, InspectorChoice, UserInfo
from app.services.common.errors import UserError
from app.views.auth.dialogs import ChangePasswordDialog
from app.views.context import AppContext
from app.views.settings.models import UsersModel


class UserDialog(QDialog):
    """New user (with an initial password) or an existing one's roles and department."""

    def __init__(
        self,
        departments: list[Choice],
        save: Callable[[UserDialog], None],
        user: UserInfo | None = None,
        parent: QWidget | None = None,
        inspectors: list[InspectorChoice] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("新增用户" if user is None else f"编辑用户 {user.username}")
        self._save = save
        self.user = user
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.username = QLineEdit(user.username if user else "")
        self.username.setEnabled(user is None)
        self.display_name = QLineEdit(user.display_name if user else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.department = QComboBox()
        self.department.addItem("（全部部门）", None)
        for d in departments:
            self.department.addItem(d.name, d.id)
        if user and user.department_id is not None:
            self.department.setCurrentIndex(max(0, self.department.findData(user.department_id)))
        form.addRow("用户名", self.username)
        form.addRow("姓名", self.display_name)
        if user is None:
            form.addRow("初始密码", self.password)
        form.addRow("所属部门", self.department)
        # 检查人员 enter results only of their own inspections: tie the login to the person.
        self.inspector = QComboBox()
        self.inspector.addItem("（不关联）", None)
        for person in inspectors or []:
            self.inspector.addItem(person.label, person.id)
        if user and user.inspector_id is not None:
            self.inspector.setCurrentIndex(max(0, self.inspector.findData(user.inspector_id)))
        self.inspector.setToolTip("检查人员只能录入本人承担的检查结果：请关联其执法检查人员记录")
        form.addRow("关联执法人员", self.inspector)
        self.roles: dict[Role, QCheckBox] = {}
        for role in Role:
            box = QCheckBox(role.label)
            box.setChecked(bool(user and role in user.roles))
            self.roles[role] = box
            form.addRow("角色" if len(self.roles) == 1 else "", box)
        self.active = QCheckBox("启用")
        self.active.setChecked(user.active if user else True)
        if user is not None:
            form.addRow("状态", self.active)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c8102e;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_roles(self) -> list[Role]:
        return [r for r, box in self.roles.items() if box.isChecked()]

    def _submit(self) -> None:
        try:
            self._save(self)
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


NO_ACCOUNTS_TEXT = (
    "本机以单机方式使用，不设账户：打开程序无需登录，审计日志记下的是这台电脑的系统用户名。\n"
    "要启用账户：① 点“新增用户”，建立一名角色为“系统管理员”的账户；"
    "② 取消勾选下方“本机免登录”。此后每次启动都须登录。"
    "多台电脑共用服务器数据库时始终须登录。"
)


class UsersTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = ctx.db
        self.admin = current_principal().may(Permission.MANAGE_USERS)
        layout = QVBoxLayout(self)
        me = current_principal()
        layout.addWidget(QLabel(f"当前用户：{me.label}"))
        self.change_own = QPushButton("修改我的密码")
        self.change_own.setEnabled(me.user_id is not None)
        self.change_own.clicked.connect(self.change_own_password)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.model = UsersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        self.add_button = QPushButton("新增用户")
        self.edit_button = QPushButton("编辑")
        self.reset_button = QPushButton("重设密码")
        self.unlock_button = QPushButton("解锁")
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.unlock_button.clicked.connect(self.unlock)
        for b in (self.add_button, self.edit_button, self.reset_button, self.unlock_button):
            row.addWidget(b)
            b.setEnabled(self.admin)
        row.addStretch(1)
        row.addWidget(self.change_own)
        self.anonymous = QCheckBox("本机免登录（仅单机 SQLite 版；关闭后启动时须登录）")
        self.anonymous.setVisible(auth.is_sqlite(self._db))
        self.anonymous.setEnabled(current_principal().may(Permission.MANAGE_SYSTEM))
        self.anonymous.setChecked(auth.anonymous_allowed(self._db))
        self.anonymous.toggled.connect(self._set_anonymous)
        # A single-PC database without accounts: say so instead of an empty table.
        self.no_accounts = QLabel(NO_ACCOUNTS_TEXT)
        self.no_accounts.setObjectName("noAccounts")
        self.no_accounts.setWordWrap(True)
        self.no_accounts.setStyleSheet(
            "background:#fff8e1; border:1px solid #e0c46c; border-radius:4px; padding:10px;"
        )
        self.no_accounts.setVisible(False)
        self.no_accounts.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addLayout(row)
        layout.addWidget(self.no_accounts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.anonymous)
        layout.addWidget(self.notice)
        # Takes the table's room while the table is hidden (no accounts).
        self._filler = QWidget()
        layout.addWidget(self._filler, 1)
        if self.admin:
            self.refresh()
        else:
            self.table.setEnabled(False)
            self.notice.setText("管理用户与角色需要系统管理员权限。")

    def refresh(self) -> None:
        users = user_admin.list_users(self._db)
        self.model.set_rows(users)
        self._explain_accounts(bool(users))

    def _explain_accounts(self, has_users: bool | None = None) -> None:
        if has_users is None:
            has_users = self.model.rowCount() > 0
        without = not has_users and auth.anonymous_allowed(self._db)
        self.no_accounts.setVisible(without)
        self.table.setVisible(not without)
        self._filler.setVisible(without)

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _say(self, message: str) -> None:
        self.notice.setText(message)

    def user_dialog(self, user: UserInfo | None) -> UserDialog:
        return UserDialog(
            user_admin.department_choices(self._db),
            self._save,
            user,
            self,
            inspectors=user_admin.inspector_choices(self._db),
        )

    def _save(self, dlg: UserDialog) -> None:
        dept = dlg.department.currentData()
        inspector = dlg.inspector.currentData()
        if dlg.user is None:
            user_admin.create_user(
                self._db, dlg.username.text(), dlg.display_name.text(), dlg.password.text(),
                dlg.chosen_roles(), dept, inspector,
            )  # fmt: skip
            self._say(f"已新增用户“{dlg.username.text().strip()}”，首次登录时须修改初始密码。")
        else:
            user_admin.update_user(
                self._db, dlg.user.id, version=dlg.user.version,
                display_name=dlg.display_name.text(), roles=dlg.chosen_roles(),
                department_id=dept, inspector_id=inspector,
                active=dlg.active.isChecked(),
            )  # fmt: skip
            self._say(f"已保存用户“{dlg.user.username}”。")
        self.refresh()

    def add_user(self) -> None:
        self.user_dialog(None).exec()

    def edit_user(self) -> None:
        user = self.selected()
        if user is None:
            self._say("请先在表中选择一个用户。")
            return
        self.user_dialog(user).exec()

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            self._say("请先在表中选择一个用户。")
            return
        password, ok = QInputDialog.getText(
            self, "重设密码", f"为“{user.username}”设置新的初始密码：", QLineEdit.EchoMode.Password
        )
        if ok:
            self.do_reset_password(user, password)

    def do_reset_password(self, user: UserInfo, password: str) -> None:
        try:
            user_admin.reset_password(self._db, user.id, password)
        except UserError as exc:
            self._say(str(exc))
            return
        self._say(f"已重设“{user.username}”的密码，并解除锁定；该用户下次登录时须修改密码。")
        self.refresh()

    def unlock(self) -> None:
        user = self.selected()
        if user is None:
            self._say("请先在表中选择一个用户。")
            return
        user_admin.unlock_user(self._db, user.id)
        self._say(f"已解锁“{user.username}”。")
        self.refresh()

    def change_own_password(self) -> None:
        ChangePasswordDialog(lambda old, new: auth.change_password(self._db, old, new), self).exec()

    def _set_anonymous(self, allowed: bool) -> None:
        try:
            user_admin.set_anonymous_allowed(self._db, allowed)
        except UserError as exc:
            self.anonymous.blockSignals(True)
            self.anonymous.setChecked(not allowed)
            self.anonymous.blockSignals(False)
            self._say(str(exc))
            return
        self._say("已设为本机免登录。" if allowed else "已关闭免登录：下次启动时须登录。")
        if self.admin:
            self._explain_accounts()
