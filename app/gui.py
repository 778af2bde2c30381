"""Start the desktop application."""

from __future__ import annotations

import logging
import sys

from app.config import normalize_db_url

log = logging.getLogger(__name__)


def run_gui(db_arg: str | None) -> int:
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
        return 2
    window = MainWindow(AppContext(db))
    window.show()
    log.info("main window shown, database %s", db.describe())
    code = app.exec()
    db.dispose()
    return code
