"""A reportlab canvas that prints "第 x 页 共 y 页" once the page count is known."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas


class NumberedCanvas(Canvas):
    """Holds each page's state until save(), then stamps the footer with the total."""

    def __init__(self, *args: Any, footer: str = "", font: str = "Helvetica", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer = footer
        self._font = font

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._stamp(total)
            super().showPage()
        super().save()

    def _stamp(self, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(self._font, 8)
        self.setFillColor(colors.HexColor("#4a5561"))
        self.drawString(15 * mm, 9 * mm, self._footer)
        self.drawRightString(width - 15 * mm, 9 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
        self.restoreState()
