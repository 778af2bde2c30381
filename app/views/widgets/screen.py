"""Windows and dialogs sized for the screens clerks have (1280×720 and up).

A dialog asks for the size it would like; it gets at most the screen's
available area less room for the window frame, so nothing runs off a
720-line office PC or projector.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The smallest screen we promise to fit.
SMALLEST_SCREEN = QSize(1280, 720)
# Title bar and borders a window manager adds around a window.
FRAME_ALLOWANCE = QSize(16, 48)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The usable area of the widget's screen (tests set it to 1280×720)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all: assume the smallest one we support
        return QRect(0, 0, SMALLEST_SCREEN.width(), SMALLEST_SCREEN.height())
    return screen.availableGeometry()


def fitted(preferred: QSize, widget: QWidget | None = None) -> QSize:
    """`preferred`, shrunk to the screen's usable area less the window frame."""
    area = available_geometry(widget).size() - FRAME_ALLOWANCE
    return preferred.boundedTo(area)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to width×height or less, so the window and its frame stay on the screen."""
    widget.resize(fitted(QSize(width, height), widget))
