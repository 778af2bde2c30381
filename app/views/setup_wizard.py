"""首次使用向导: shown when no database is configured on this PC.

The pages ask (app/views/setup_pages.py); app/services/system/first_run.py
does the work off the GUI thread behind a progress dialog.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget, QWizard, QWizardPage

from app import APP_TITLE
from app.services.system.first_run import (
    DATA_DEMO,
    FirstRunOutcome,
    FirstRunPlan,
    apply_first_run,
    single_pc_settings,
)
from app.views.setup_pages import (
    PAGE_ACCOUNTS,
    PAGE_BUREAU,
    PAGE_DATA,
    PAGE_DONE,
    PAGE_SERVER,
    PAGE_WHERE,
    AccountsPage,
    BureauPage,
    DataPage,
    ServerPage,
    WherePage,
)
from app.views.widgets.jobs import Job, run_with_progress
from app.views.widgets.screen import fit_to_screen


class DonePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("准备完成")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("wizardError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#c8102e")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.summary.setText(self._wizard.summary())


class FirstRunWizard(QWizard):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"首次使用 — {APP_TITLE}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in (
            (QWizard.WizardButton.BackButton, "< 上一步"),
            (QWizard.WizardButton.NextButton, "下一步 >"),
            (QWizard.WizardButton.FinishButton, "完成"),
            (QWizard.WizardButton.CancelButton, "取消"),
        ):
            self.setButtonText(button, text)
        self.where = WherePage()
        self.server = ServerPage()
        self.accounts = AccountsPage(self.where)
        self.bureau = BureauPage()
        self.data = DataPage()
        self.done_page = DonePage(self)
        self.setPage(PAGE_WHERE, self.where)
        self.setPage(PAGE_SERVER, self.server)
        self.setPage(PAGE_ACCOUNTS, self.accounts)
        self.setPage(PAGE_BUREAU, self.bureau)
        self.setPage(PAGE_DATA, self.data)
        self.setPage(PAGE_DONE, self.done_page)
        self.outcome: FirstRunOutcome | None = None
        self.job: Job | None = None
        self.demo_targets = FirstRunPlan.demo_targets  # tests use a smaller demo
        fit_to_screen(self, 760, 560)

    def _server_set_up(self) -> bool:
        return self.where.server.isChecked() and self.server.set_up

    def plan(self) -> FirstRunPlan:
        if self.where.server.isChecked():
            settings, password = self.server.settings(), self.server.password.text()
        else:
            settings, password = single_pc_settings(), ""
        if self._server_set_up():
            return FirstRunPlan(settings, password)
        return FirstRunPlan(
            settings,
            password,
            admin=self.accounts.account(),
            bureau=self.bureau.form.profile(),
            data=self.data.choice(),
            imports=self.data.files(),
            demo_targets=self.demo_targets,
        )

    def summary(self) -> str:
        plan = self.plan()
        where = (
            f"服务器 {plan.connection.host}:{plan.connection.port}/{plan.connection.database}"
            if plan.connection.is_server
            else f"本机文件 {plan.connection.path}"
        )
        lines = [f"数据：{where}"]
        if self._server_set_up():
            lines.append("该数据库已由其他电脑设置好：点“完成”后用你的账户登录。")
            return "\n".join(lines)
        lines.append(
            f"系统管理员：{plan.admin.display_name}（{plan.admin.username}）"
            if plan.admin
            else "账户：不设账户，本机免登录"
        )
        if plan.bureau is not None:
            number = plan.bureau.document_number(date.today().year, 1)
            lines.append(f"本单位：{plan.bureau.full_name}，文号 {number}")
        lines.append(
            {
                "demo": "开始时的数据：演示数据",
                "import": "开始时的数据：导入 " + "、".join(plan.imports.values()),
                "empty": "开始时的数据：空白",
            }[plan.data]
        )
        lines.append("\n点“完成”建立数据库并打开程序。")
        return "\n".join(lines)

    def accept(self) -> None:
        """Do the work in the background; close only when it succeeded."""
        if self.job is not None and self.job.is_running():
            return
        plan = self.plan()
        self.done_page.error.clear()
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        title = "正在装入演示数据…" if plan.data == DATA_DEMO else "正在建立数据库…"
        self.job = run_with_progress(
            self,
            title,
            lambda progress, cancelled: apply_first_run(plan, progress, cancelled),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, outcome: FirstRunOutcome) -> None:
        self.outcome = outcome
        super().accept()

    def _failed(self, message: str) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.done_page.error.setText(f"未能完成：{message}\n请返回上一步修改后重试。")


def run_first_run_wizard() -> FirstRunOutcome | None:
    """The outcome, or None when the clerk cancelled (nothing was saved then)."""
    wizard = FirstRunWizard()
    wizard.exec()
    outcome = wizard.outcome
    wizard.deleteLater()
    return outcome


__all__ = ["PAGE_BUREAU", "PAGE_DATA", "FirstRunWizard", "run_first_run_wizard"]
