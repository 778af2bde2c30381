"""Uncaught exceptions: logged, then shown in a dialog instead of vanishing."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.common.errors import UserError

log = logging.getLogger("app.crash")


def show_error(title: str, message: str, details: str | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    if details:
        box.setDetailedText(details)
    box.exec()


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("uncaught exception\n%s", text)
    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    if isinstance(exc, UserError):
        # Refused, lost to another user's edit, or the database failed: the
        # message says what and where; the traceback only goes to the log.
        show_error("操作未完成", exc.message)
        return
    show_error(
        "程序错误",
        f"发生了意外错误：{exc}\n\n已记入日志文件。请将下方“详细信息”发给系统管理员。",
        text,
    )


def install_excepthook() -> None:
    sys.excepthook = _excepthook
