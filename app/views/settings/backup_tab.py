"""备份与恢复: the SQLite file's backups; a server database is backed up on the server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.auth import Permission
from app.services.access.auth import current_principal
from app.services.common.errors import UserError
from app.services.system import backup
from app.services.system.backup import BackupInfo
from app.views.context import AppContext
from app.views.settings.models import BackupsModel


def confirm_restore(parent: QWidget, info: BackupInfo, db_path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        "恢复备份",
        f"用 {info.taken_at:%Y-%m-%d %H:%M} 的备份（{info.path.name}）替换当前数据库？\n\n"
        f"该备份之后的所有修改都将丢失。当前的数据库文件会保留为"
        f"“{db_path.stem}.before-restore-….sqlite”。\n恢复后程序将关闭，请重新打开。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class BackupTab(QWidget):
    restored = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        # Replaced by tests: how to ask, and what to do once restored.
        self.confirm: Callable[[QWidget, BackupInfo, Path], bool] = confirm_restore
        self.after_restore: Callable[[], None] = QApplication.quit
        layout = QVBoxLayout(self)
        self.notice = QLabel()
        self.notice.setObjectName("backupNotice")
        self.notice.setWordWrap(True)
        try:
            self.db_path: Path | None = backup.sqlite_file(ctx.db.url)
        except UserError as exc:
            self.db_path = None
            layout.addWidget(QLabel(str(exc)))
            layout.addStretch(1)
            return
        layout.addWidget(
            QLabel(
                f"数据库文件：{self.db_path}\n备份文件夹：{backup.backups_dir()}\n"
                f"每天第一次打开程序时自动备份（保留最近 {backup.BACKUP_KEEP} 份）；"
                "手动备份不会被自动清理。"
            )
        )
        self.model = BackupsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.restore_button = QPushButton("恢复所选备份…")
        self.folder_button = QPushButton("打开备份文件夹")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(backup.backups_dir())))
        )
        for b in (self.backup_button, self.restore_button, self.folder_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notice)
        admin = current_principal().may(Permission.MANAGE_SYSTEM)
        self.backup_button.setEnabled(admin)
        self.restore_button.setEnabled(admin)
        if not admin:
            self.notice.setText("备份与恢复需要系统管理员权限。")
        self.refresh()

    def refresh(self) -> None:
        if self.db_path is not None:
            self.model.set_rows(backup.list_backups(self.db_path))

    def back_up_now(self) -> None:
        assert self.db_path is not None
        try:
            dest = backup.backup_now(self.db_path)
        except UserError as exc:
            self.notice.setText(str(exc))
            return
        self.notice.setText(f"已备份到 {dest}")
        self.refresh()

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.db_path is None or not rows:
            self.notice.setText("请先在表中选择一份备份。")
            return
        info: BackupInfo = self.model.row(rows[0].row())
        problems = backup.integrity_problems(info.path)
        if problems:
            self.notice.setText(f"这份备份未通过完整性检查，不能用于恢复：{problems[0]}")
            return
        if not self.confirm(self, info, self.db_path):
            return
        # Every connection to the file must be closed before it is replaced.
        self._ctx.db.dispose()
        try:
            aside = backup.restore(info.path, self.db_path)
            backup.record_restore(self.db_path, info.path, aside)
        except UserError as exc:
            self.notice.setText(f"恢复失败：{exc}")
            return
        message = (
            f"已从 {info.path.name} 恢复。原数据库文件保留为 {aside}。程序将关闭，请重新打开。"
        )
        self.notice.setText(message)
        self.restored.emit(message)
        self.after_restore()
