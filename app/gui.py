"""Start the desktop application."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import normalize_db_url

# Set to a PNG path, the app starts as usual, grabs the main window once it is
# on screen, saves it there and exits (0 when saved). CI starts the real app this
# way on the xcb platform, so a missing system library fails the build.
ENV_SCREENSHOT = "DUALRANDOM_SCREENSHOT"

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
    from app.services.system.first_run import needs_first_run
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
    principal = None
    if needs_first_run(db_arg):
        # No database chosen on this PC yet: the first-run wizard sets one up.
        from app.views.setup_wizard import run_first_run_wizard

        outcome = run_first_run_wizard()
        if outcome is None:
            log.info("first run cancelled: nothing saved")
            raise SystemExit(0)
        url, principal = outcome.url, outcome.principal
    else:
        url = normalize_db_url(db_arg)
    db = open_or_recover(url, log_path)
    if db is None:
        return None
    if principal is not None:
        # The administrator the wizard just created: no second password prompt.
        from app.services.access.auth import sign_in

        sign_in(principal)
    elif sign_in_at_start(db) is None:
        db.dispose()
        raise SystemExit(0)
    window = MainWindow(AppContext(db))
    window.show()
    after_window_shown(window, db, instance)
    log.info("main window shown, database %s", db.describe())
    return app, window, db


def grab_and_quit(app: QApplication, window: MainWindow, out: Path) -> None:
    """Once the window is painted, save a grab of it and end the event loop.

    The exit code says whether the PNG was written (0) or not (1).
    """
    from PySide6.QtCore import QTimer

    def grab() -> None:
        if not window.isVisible() or window.windowHandle() is None:
            log.error("main window not shown; no screenshot")
            app.exit(1)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        saved = window.grab().save(str(out))
        log.info("screenshot %s on platform %s: %s", out, app.platformName(), saved)
        app.exit(0 if saved else 1)

    # Let the first paint events through before grabbing.
    QTimer.singleShot(500, grab)


def run_gui(db_arg: str | None) -> int:
    started = start(db_arg)
    if started is None:
        return 2
    app, window, db = started
    shot = os.environ.get(ENV_SCREENSHOT)
    if shot:
        grab_and_quit(app, window, Path(shot))
    code = app.exec()
    db.dispose()
    return code
