"""Start the desktop application."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from app.config import normalize_db_url

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from app.models.db import Database
    from app.views.main_window import MainWindow

log = logging.getLogger(__name__)


def start(db_arg: str | None) -> tuple[QApplication, MainWindow, Database] | None:
    """Everything up to the main window shown; None when the database cannot open."""
    from PySide6.QtWidgets import QApplication

    from app.logging_setup import setup_logging
    from app.models.db import DatabaseError, open_database
    from app.views.application import configure_application
    from app.views.context import AppContext
    from app.views.errors import install_excepthook, show_error
    from app.views.main_window import MainWindow

    log_path = setup_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    install_excepthook()
    url = normalize_db_url(db_arg)
    try:
        db = open_database(url)
    except DatabaseError as exc:
        log.exception("cannot open database")
        show_error("无法打开数据库", str(exc), f"日志文件：{log_path}")
        return None
    window = MainWindow(AppContext(db))
    window.show()
    log.info("main window shown, database %s", db.describe())
    return app, window, db


def run_gui(db_arg: str | None) -> int:
    started = start(db_arg)
    if started is None:
        return 2
    app, _window, db = started
    code = app.exec()
    db.dispose()
    return code
