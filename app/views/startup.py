"""The steps of app/gui.py start(): one instance, open (or recover) the database, sign in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from app.models.db import Database, DatabaseError, open_database
from app.services.access.audit import acting_as
from app.services.system import backup
from app.services.system.backup import BackupError, BackupInfo
from app.views.errors import show_error
from app.views.single_instance import SingleInstance, claim
from app.views.widgets.jobs import Job, start_job

log = logging.getLogger(__name__)

# The daily backup started at the last start (tests wait for it).
last_backup_job: Job | None = None


def claim_single_instance(parent: QObject | None = None) -> SingleInstance | None:
    """None when another instance runs on this PC (it has been asked to come forward)."""
    return claim(parent=parent)


def ask_restore(path: Path, problem: str, latest: BackupInfo) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "数据库文件已损坏",
        f"数据库文件“{path}”已损坏，无法打开：\n{problem}\n\n"
        f"最近的备份：{latest.taken_at:%Y-%m-%d %H:%M}（{latest.path.name}）。\n"
        "恢复后，该备份之后的修改将丢失；损坏的文件会保留下来供技术人员检查。",
    )
    restore = box.addButton("恢复最近备份", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def open_or_recover(
    url: str,
    log_path: Path | str,
    *,
    ask: Callable[[Path, str, BackupInfo], bool] = ask_restore,
    report: Callable[[str, str, str | None], None] = show_error,
) -> Database | None:
    """Open the database; for a damaged SQLite file offer the latest backup.

    Every failure is told as a message (what and where), never as a traceback.
    """
    try:
        return open_database(url)
    except DatabaseError as exc:
        log.exception("cannot open database")
        failure = str(exc)
    details = f"日志文件：{log_path}"
    try:
        path = backup.sqlite_file(url)
    except BackupError:
        path = None
    latest = backup.latest_backup(path) if path is not None and backup.is_damaged(path) else None
    if path is None or latest is None:
        report("无法打开数据库", failure, details)
        return None
    problems = backup.integrity_problems(path)
    if not ask(path, problems[0] if problems else failure, latest):
        return None
    try:
        aside = backup.restore(latest.path, path)
        with acting_as("system"):
            backup.record_restore(path, latest.path, aside)
        return open_database(url)
    except (BackupError, DatabaseError) as exc:
        log.exception("restore at start failed")
        report("恢复失败", str(exc), details)
        return None


def bring_forward(window: QMainWindow) -> None:
    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()


def after_window_shown(window: QMainWindow, db: Database, instance: SingleInstance) -> None:
    """Answer later starts with this window; back up a SQLite file that is due."""
    global last_backup_job
    instance.activated.connect(lambda: bring_forward(window))
    path = backup.daily_backup_due(db.url)
    last_backup_job = start_job(lambda: backup.run_daily_backup(path)) if path else None
