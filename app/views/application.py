"""The QApplication: identity, the shipped CJK font, style, settings location."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from app import APP_NAME, APP_TITLE, __version__
from app.config import ENV_HOME
from app.resources import cjk_font_path, icon_path

log = logging.getLogger(__name__)

STYLE = """
#navigation { background: #1f3a5f; color: #ffffff; border: none; font-size: 15px; }
#navigation::item { padding: 10px 16px; }
#navigation::item:selected { background: #c8102e; color: #ffffff; }
#pageTitle { font-size: 22px; font-weight: bold; color: #1f3a5f; }
#placeholderNotice { font-size: 16px; color: #8a5a00; }
#tile { background: #ffffff; border: 1px solid #d5dbe3; border-radius: 6px; }
#tileCaption { color: #5a6472; font-size: 14px; }
#tileValue { color: #1f3a5f; font-size: 30px; font-weight: bold; }
#tileNote { color: #5a6472; }
"""


def _configure_settings() -> None:
    # Tests and scripts point DUALRANDOM_HOME elsewhere so that window state
    # never lands in (or comes from) the user's real settings.
    home = os.environ.get(ENV_HOME)
    if home:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(home) / "settings")
        )


def register_cjk_font() -> str | None:
    """Make Chinese render on a PC without CJK fonts; return the family name."""
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("could not load %s", cjk_font_path())
        return None
    return families[0]


def configure_application(app: QApplication) -> None:
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    if icon_path().exists():
        app.setWindowIcon(QIcon(str(icon_path())))
    _configure_settings()
    family = register_cjk_font()
    if family:
        font = QFont(family)
        font.setPointSize(10)
        app.setFont(font)
    app.setStyleSheet(STYLE)
