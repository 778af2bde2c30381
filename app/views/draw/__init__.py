"""随机抽取: the operator console and the projector display.

PySide6 6.12.0 on CPython before 3.12 returns None from every void method
(QPainter.setPen, QWidget.update, QLabel.setText, …) and True from
Signal.emit/connect without taking a new reference, so each call lowers that
object's reference count by one; a few thousand calls later the interpreter
aborts ("none_dealloc: deallocating None", "bool_dealloc"). The projector
makes hundreds of such calls per frame, so it would abort within seconds.
From 3.12 on these objects are immortal and nothing happens; 6.11.x does not
have the fault. Until the pin moves, their counts are raised far out of
reach here (None, True and False are static objects and are never freed, so
their counts only matter to that check).
"""

from __future__ import annotations

import ctypes
import sys

import PySide6


def _keep_none_alive() -> None:
    if sys.version_info >= (3, 12) or not PySide6.__version__.startswith("6.12."):
        return
    if sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(singleton))
        refcnt.value = max(refcnt.value, 1 << 48)


_keep_none_alive()
