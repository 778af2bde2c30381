"""Guard against a Qt binding that loses references to None/True.

PySide6 6.12.0 on CPython 3.11 dropped one reference to None for every void
method call and one to True for every Signal.emit; a few thousand calls later
the interpreter aborts. The projector makes hundreds of such calls a frame,
hence the pin to 6.11 in pyproject.toml and this check before any upgrade.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    fired = Signal()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal from 3.12")
def test_void_calls_and_emits_keep_reference_counts(qapp) -> None:
    widget = QWidget()
    emitter = _Emitter()
    none_before = sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for _ in range(200):
        widget.setMinimumWidth(10)
        emitter.fired.emit()
    # Other code may take or drop a handful meanwhile; a leak would be ≥ 200.
    assert abs(sys.getrefcount(None) - none_before) < 50
    assert abs(sys.getrefcount(True) - true_before) < 50
