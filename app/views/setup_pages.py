"""The pages of the first-run wizard (app/views/setup_wizard.py): ask, never decide."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.config import default_db_path
from app.connection import ConnectionSettings
from app.services.access.auth import check_new_password, check_username
from app.services.system.bureau import BureauProfile
from app.services.system.connection import ConnectionReport, check_connection
from app.services.system.first_run import (
    DATA_DEMO,
    DATA_EMPTY,
    DATA_IMPORT,
    IMPORT_ORDER,
    AdminAccount,
    server_is_set_up,
)
from app.views.settings.bureau_tab import BureauForm
from app.views.widgets.jobs import Job

PAGE_WHERE, PAGE_SERVER, PAGE_ACCOUNTS, PAGE_BUREAU, PAGE_DATA, PAGE_DONE = range(6)

IMPORT_LABELS = {
    "items": "抽查事项清单",
    "targets": "检查对象名录",
    "inspectors": "执法检查人员名录",
    "recusals": "回避关系",
}


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("wizardError")
    label.setWordWrap(True)
    label.setStyleSheet("color:#c8102e")
    return label


class WherePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("数据放在哪里")
        self.setSubTitle(
            "第一次使用：请选择本程序的数据保存在哪里。以后可在“系统设置 → 数据库”中更改。"
        )
        self.single = QRadioButton("只在这台电脑上使用（单机）")
        self.server = QRadioButton("连接单位的数据库服务器（多台电脑共用一套数据）")
        self.single.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.single)
        group.addButton(self.server)
        layout = QVBoxLayout(self)
        layout.addWidget(self.single)
        layout.addWidget(
            _note(f"数据保存在本机文件 {default_db_path()}，程序每天自动备份。适合一个人使用。")
        )
        layout.addSpacing(12)
        layout.addWidget(self.server)
        layout.addWidget(
            _note(
                "数据保存在单位的 PostgreSQL 服务器上，科室里的几台电脑同时使用同一套名录、"
                "计划和抽取记录。需要服务器地址、数据库名、用户名和密码（向信息化管理员索取）。"
            )
        )
        layout.addStretch(1)

    def nextId(self) -> int:
        return PAGE_SERVER if self.server.isChecked() else PAGE_ACCOUNTS


class ServerPage(QWizardPage):
    """Server, port, database, user, password; Next only after a successful test."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("连接数据库服务器")
        self.setSubTitle("填写服务器信息后点“测试连接”；连接成功才能继续。")
        self.host = QLineEdit()
        self.host.setPlaceholderText("计算机名或 IP 地址，如 192.168.1.20")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("dualrandom")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("保存在本机的系统密码保管库中，不写入任何文件")
        form = QFormLayout()
        form.addRow("服务器地址", self.host)
        form.addRow("端口", self.port)
        form.addRow("数据库名", self.database)
        form.addRow("用户名", self.user)
        form.addRow("密码", self.password)
        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self.test)
        self.status = QLabel()
        self.status.setObjectName("serverStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.ok = False
        self.set_up = False  # the server's database was set up by another PC
        self._job: Job | None = None
        for edit in (self.host, self.database, self.user, self.password):
            edit.textEdited.connect(self._forget_test)
        self.port.valueChanged.connect(self._forget_test)

    def settings(self) -> ConnectionSettings:
        return ConnectionSettings(
            "postgresql",
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
        )

    def _forget_test(self) -> None:
        if self.ok:
            self.ok = False
            self.status.setText("设置已改动：请重新测试连接。")
            self.completeChanged.emit()

    def test(self) -> None:
        if self._job is not None and self._job.is_running():
            return
        settings, password = self.settings(), self.password.text()

        def work(_p: object, _c: object) -> tuple[ConnectionReport, bool]:
            report = check_connection(settings, password)
            return report, report.ok and server_is_set_up(settings, password)

        self.status.setText("正在连接…")
        self.test_button.setEnabled(False)
        self._job = Job(work, self)
        self._job.succeeded.connect(self._tested)
        self._job.failed.connect(lambda msg, _tb: self._show(False, False, f"测试失败：{msg}"))
        self._job.start()

    def _tested(self, result: tuple[ConnectionReport, bool]) -> None:
        report, set_up = result
        extra = "\n该数据库已由其他电脑设置好：完成后用你的账户登录即可。" if set_up else ""
        self._show(report.ok, set_up, report.message + extra)

    def _show(self, ok: bool, set_up: bool, message: str) -> None:
        self.test_button.setEnabled(True)
        self.ok, self.set_up = ok, set_up
        self.status.setStyleSheet("" if ok else "color:#c8102e")
        self.status.setText(("✔ " if ok else "✘ ") + message)
        self.completeChanged.emit()

    def wait(self) -> None:
        if self._job is not None:
            self._job.wait()

    def isComplete(self) -> bool:
        return self.ok

    def nextId(self) -> int:
        return PAGE_DONE if self.set_up else PAGE_ACCOUNTS


class AccountsPage(QWizardPage):
    def __init__(self, single_pc: WherePage) -> None:
        super().__init__()
        self._where = single_pc
        self.setTitle("账户")
        self.none = QRadioButton("不设账户：打开程序无需登录（仅限单机）")
        self.admin = QRadioButton("创建系统管理员账户：每次打开程序都须登录")
        group = QButtonGroup(self)
        group.addButton(self.none)
        group.addButton(self.admin)
        self.username = QLineEdit()
        self.username.setPlaceholderText("如 admin 或姓名拼音")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("真实姓名，记入审计日志和抽取记录")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("用户名", self.username)
        form.addRow("姓名", self.display_name)
        form.addRow("密码", self.password)
        form.addRow("再次输入密码", self.repeat)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.none)
        layout.addWidget(self.admin)
        layout.addLayout(form)
        layout.addWidget(
            _note("系统管理员可以再为同事建立账户并分配角色（系统设置 → 用户与权限）。")
        )
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.admin.toggled.connect(self._enable)
        for edit in (self.username, self.display_name, self.password, self.repeat):
            edit.textEdited.connect(lambda _t: self.error.clear())

    def initializePage(self) -> None:
        single = self._where.single.isChecked()
        self.none.setEnabled(single)
        self.setSubTitle(
            "单机可以不设账户；多人共用一台电脑时建议设置。"
            if single
            else "共用的服务器数据库必须有系统管理员账户。"
        )
        (self.none if single else self.admin).setChecked(True)
        self._enable()

    def _enable(self) -> None:
        for edit in (self.username, self.display_name, self.password, self.repeat):
            edit.setEnabled(self.admin.isChecked())

    def account(self) -> AdminAccount | None:
        if not self.admin.isChecked():
            return None
        return AdminAccount(
            self.username.text().strip(), self.display_name.text().strip(), self.password.text()
        )

    def validatePage(self) -> bool:
        account = self.account()
        if account is None:
            return True
        try:
            name = check_username(account.username)
            if not account.display_name:
                raise ValueError("请填写姓名。")
            check_new_password(account.password, name)
            if account.password != self.repeat.text():
                raise ValueError("两次输入的密码不一致。")
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        return True


class BureauPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("本单位")
        self.setSubTitle("每份检查通知书、检查记录和公示文件都以本单位名义印发，文号按此编排。")
        self.form = BureauForm(BureauProfile())
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.form.edited.connect(self.error.clear)

    def validatePage(self) -> bool:
        problem = self.form.problem()
        self.error.setText(problem or "")
        return problem is None


class DataPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("开始时的数据")
        self.setSubTitle("名录也可以以后在各页面用“导入…”导入，或逐条录入。")
        self.demo = QRadioButton("装入演示数据（聊城市的虚构名录和一份年度计划，用于学习和演练）")
        self.imports = QRadioButton("现在导入名录（Excel 文件，用“下载模板”得到的格式）")
        self.empty = QRadioButton("从空白开始")
        self.empty.setChecked(True)
        group = QButtonGroup(self)
        for b in (self.demo, self.imports, self.empty):
            group.addButton(b)
        grid = QGridLayout()
        self.paths: dict[str, QLineEdit] = {}
        for row, kind in enumerate(IMPORT_ORDER):
            edit = QLineEdit()
            edit.setPlaceholderText("不导入")
            browse = QPushButton("选择…")
            browse.clicked.connect(lambda _c=False, k=kind: self._browse(k))
            grid.addWidget(QLabel(IMPORT_LABELS[kind]), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(browse, row, 2)
            self.paths[kind] = edit
        self.import_box = QWidget()
        self.import_box.setLayout(grid)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        layout.addWidget(self.imports)
        layout.addWidget(self.import_box)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.imports.toggled.connect(self.import_box.setEnabled)
        self.import_box.setEnabled(False)

    def _browse(self, kind: str) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, f"选择{IMPORT_LABELS[kind]}", "", "Excel 工作簿 (*.xlsx)"
        )
        if name:
            self.paths[kind].setText(name)

    def choice(self) -> str:
        if self.demo.isChecked():
            return DATA_DEMO
        return DATA_IMPORT if self.imports.isChecked() else DATA_EMPTY

    def files(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.paths.items() if e.text().strip()}

    def validatePage(self) -> bool:
        if self.choice() == DATA_IMPORT and not self.files():
            self.error.setText("请至少选择一个要导入的文件，或改选“从空白开始”。")
            return False
        self.error.clear()
        return True
