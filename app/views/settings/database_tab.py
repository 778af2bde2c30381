"""数据库: which database this PC opens; test the connection off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import connection
from app.config import default_db_path
from app.connection import ConnectionSettings, KeyringUnavailable
from app.domain.auth import Permission
from app.services.access.auth import current_principal
from app.services.common.errors import UserError
from app.services.system.connection import ConnectionReport, check_connection
from app.views.context import AppContext
from app.views.widgets.jobs import Job


class DatabaseTab(QWidget):
    tested = Signal(bool, str)  # ok, message — after 测试连接 finished
    saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._job: Job | None = None
        layout = QVBoxLayout(self)
        self.current = QLabel(f"当前使用的数据库：{ctx.db.describe()}")
        self.current.setWordWrap(True)
        layout.addWidget(self.current)

        self.use_sqlite = QRadioButton("本机 SQLite 数据文件（单机）")
        self.use_server = QRadioButton("PostgreSQL 服务器（多台电脑共用）")
        group = QButtonGroup(self)
        group.addButton(self.use_sqlite)
        group.addButton(self.use_server)
        layout.addWidget(self.use_sqlite)
        file_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("sqlitePath")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        layout.addLayout(file_row)
        layout.addWidget(self.use_server)
        form = QFormLayout()
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.database = QLineEdit()
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("保存在本机的系统密码保管库中，不写入文件")
        for label, widget in (
            ("服务器地址", self.host),
            ("端口", self.port),
            ("数据库名", self.database),
            ("用户名", self.user),
            ("密码", self.password),
        ):
            form.addRow(label, widget)
        layout.addLayout(form)

        buttons = QHBoxLayout()
        self.test_button = QPushButton("测试连接")
        self.save_button = QPushButton("保存")
        self.default_button = QPushButton("恢复默认")
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.default_button.clicked.connect(self.reset_default)
        for b in (self.test_button, self.save_button, self.default_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("databaseStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        admin = current_principal().may(Permission.MANAGE_SYSTEM)
        self.save_button.setEnabled(admin)
        self.default_button.setEnabled(admin)
        if not admin:
            self.status.setText("只有系统管理员可以更改本机使用的数据库；可以测试连接。")
        self.use_sqlite.toggled.connect(self._enable_fields)
        self._fill(connection.load())

    def _fill(self, saved: ConnectionSettings | None) -> None:
        u = self._ctx.db.engine.url
        if saved is None:
            if u.get_backend_name() == "sqlite":
                saved = ConnectionSettings("sqlite", path=u.database or str(default_db_path()))
            else:
                saved = ConnectionSettings(
                    "postgresql", "", u.host or "localhost", u.port or 5432, u.database or "",
                    u.username or "",
                )  # fmt: skip
        self.path.setText(saved.path or str(default_db_path()))
        self.host.setText(saved.host)
        self.port.setValue(saved.port)
        self.database.setText(saved.database)
        self.user.setText(saved.user)
        (self.use_server if saved.is_server else self.use_sqlite).setChecked(True)
        self._enable_fields()

    def _enable_fields(self) -> None:
        server = self.use_server.isChecked()
        self.path.setEnabled(not server)
        for w in (self.host, self.port, self.database, self.user, self.password):
            w.setEnabled(server)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "选择或新建 SQLite 数据文件",
            self.path.text(),
            "SQLite 数据库 (*.sqlite *.db)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if name:
            self.path.setText(name)

    def settings(self) -> ConnectionSettings:
        if self.use_server.isChecked():
            return ConnectionSettings(
                "postgresql",
                host=self.host.text().strip(),
                port=self.port.value(),
                database=self.database.text().strip(),
                user=self.user.text().strip(),
            )
        return ConnectionSettings("sqlite", path=self.path.text().strip())

    def test_connection(self) -> None:
        if not self.test_button.isEnabled():  # a test is under way
            return
        settings, password = self.settings(), self.password.text()
        if settings.is_server and not password:
            password = connection.get_password(settings) or ""
        self.status.setText("正在连接…")
        self.test_button.setEnabled(False)
        self._job = Job(lambda _progress, _cancelled: check_connection(settings, password), self)
        self._job.succeeded.connect(self._tested)
        self._job.failed.connect(lambda msg, _tb: self._show_test(False, f"测试失败：{msg}"))
        self._job.start()

    def _tested(self, report: ConnectionReport) -> None:
        self._show_test(report.ok, report.message)

    def _show_test(self, ok: bool, message: str) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(("✔ " if ok else "✘ ") + message)
        self.tested.emit(ok, message)

    def wait(self) -> None:
        """Tests' teardown: the connection test's thread has ended."""
        if self._job is not None:
            self._job.wait()

    def save(self) -> None:
        settings = self.settings()
        try:
            connection.save(settings)
        except UserError as exc:
            self.status.setText(exc.message)
            return
        message = f"已保存：下次启动时使用 {settings.url().split('?')[0]}。"
        if settings.is_server and self.password.text():
            try:
                connection.set_password(settings, self.password.text())
                message += "密码已保存在本机的系统密码保管库中。"
            except KeyringUnavailable as exc:
                message += str(exc)
        self.password.clear()
        self.status.setText(message + "请重新启动程序。")
        self.saved.emit(message)

    def reset_default(self) -> None:
        connection.forget()
        self._fill(None)
        self.status.setText(f"已恢复默认：下次启动时使用本机数据文件 {default_db_path()}。")
