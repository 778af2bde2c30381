"""系统设置: database connection, users and roles, backups, audit log, holidays and deadlines."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.views.context import AppContext
from app.views.settings.audit_tab import AuditTab
from app.views.settings.backup_tab import BackupTab
from app.views.settings.database_tab import DatabaseTab
from app.views.settings.holidays_tab import HolidaysTab
from app.views.settings.users_tab import UsersTab


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        title = QLabel("系统设置")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.database = DatabaseTab(ctx)
        self.users = UsersTab(ctx)
        self.backups = BackupTab(ctx)
        self.audit = AuditTab(ctx)
        self.holidays = HolidaysTab(ctx)
        self.tabs.addTab(self.database, "数据库")
        self.tabs.addTab(self.users, "用户与权限")
        self.tabs.addTab(self.backups, "备份与恢复")
        self.tabs.addTab(self.audit, "审计日志")
        self.tabs.addTab(self.holidays, "节假日与结果期限")
        layout.addWidget(self.tabs, 1)
