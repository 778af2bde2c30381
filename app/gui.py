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
    """Everything up to the main window shown; None when the database cannot open.

    Exits (SystemExit 0) when another instance runs on this PC — it is asked to
    come forward — or when the user leaves the login dialog.
    """
    from PySide6.QtWidgets import QApplication

    from app.logging_setup import setup_logging
    from app.views.application import configure_application
    from app.views.auth import sign_in_at_start
    from app.views.context import AppContext
    from app.views.errors import install_excepthook
    from app.views.main_window import MainWindow
    from app.views.startup import after_window_shown, claim_single_instance, open_or_recover

    log_path = setup_logging()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    configure_application(app)
    install_excepthook()
    instance = claim_single_instance(app)
    if instance is None:
        log.info("another instance runs on this PC: asked it to come forward")
        raise SystemExit(0)
    url = normalize_db_url(db_arg)
    db = open_or_recover(url, log_path)
    if db is None:
        return None
    if sign_in_at_start(db) is None:
        db.dispose()
        raise SystemExit(0)
    window = MainWindow(AppContext(db))
    window.show()
    after_window_shown(window, db, instance)
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
