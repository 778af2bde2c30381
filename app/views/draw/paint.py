"""Painting helpers for the projector: palette, scaled fonts, fitted text, QR codes.

Everything is sized from one unit `u` (1.0 on a 1920×1080 screen) so that
the same layout reads from the back of a meeting room on any projector.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPainter
from PySide6.QtWidgets import QApplication

BG = QColor("#0d1b2a")
PANEL = QColor("#16293f")
PANEL_LINE = QColor("#2b4462")
TEXT = QColor("#f5f7fa")
MUTED = QColor("#a9bacb")
ACCENT = QColor("#f2c14e")
ACCENT_DIM = QColor("#8c7434")
QR_DARK = QColor("#000000")
QR_LIGHT = QColor("#ffffff")

STRATUM_COLORS = {
    "A": QColor("#4caf7a"),
    "B": QColor("#4aa3df"),
    "C": QColor("#f0a43a"),
    "D": QColor("#e4572e"),
}
OTHER_STRATUM = QColor("#8d99a6")

MONO_FAMILY = "WenQuanYi Micro Hei Mono"


def stratum_color(name: str) -> QColor:
    return STRATUM_COLORS.get(name, OTHER_STRATUM)


def unit(width: float, height: float) -> float:
    """1.0 at 1920×1080; the smaller ratio keeps everything on screen."""
    return max(0.3, min(width / 1920.0, height / 1080.0))


def ui_font(px: float, bold: bool = False) -> QFont:
    font = QFont(QApplication.font().family())
    font.setPixelSize(max(8, round(px)))
    font.setBold(bold)
    return font


def mono_font(px: float, bold: bool = False) -> QFont:
    if MONO_FAMILY in QFontDatabase.families():
        font = QFont(MONO_FAMILY)
    else:
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPixelSize(max(8, round(px)))
    font.setBold(bold)
    return font


def fitted_font(font: QFont, text: str, width: float, min_px: float) -> QFont:
    """`font` shrunk (not below `min_px`) until `text` fits in `width`."""
    px = font.pixelSize()
    metrics = QFontMetricsF(font)
    needed = metrics.horizontalAdvance(text)
    if needed <= width or px <= min_px:
        return font
    smaller = QFont(font)
    smaller.setPixelSize(max(round(min_px), int(px * width / needed)))
    return smaller


def draw_text(
    p: QPainter,
    rect: QRectF,
    text: str,
    font: QFont,
    color: QColor,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    min_px: float | None = None,
) -> None:
    """One line of text in `rect`, shrunk to fit (down to `min_px`) and elided after that."""
    if min_px is not None:
        font = fitted_font(font, text, rect.width(), min_px)
    p.setFont(font)
    p.setPen(color)
    metrics = QFontMetricsF(font)
    if metrics.horizontalAdvance(text) > rect.width():
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    p.drawText(rect, int(align), text)


def draw_wrapped(
    p: QPainter, rect: QRectF, text: str, px: float, min_px: float, color: QColor
) -> float:
    """Text wrapped in `rect`, the font shrunk (not below `min_px`) until it fits;
    returns the bottom of what was drawn."""
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
    size = px
    while True:
        font = ui_font(size)
        used = QFontMetricsF(font).boundingRect(rect, flags, text)
        if used.height() <= rect.height() or size <= min_px:
            break
        size = max(min_px, size * 0.92)
    p.setFont(font)
    p.setPen(color)
    p.save()
    p.setClipRect(rect)
    p.drawText(rect, flags, text)
    p.restore()
    return rect.top() + min(used.height(), rect.height())


def panel(p: QPainter, rect: QRectF, radius: float) -> None:
    p.setPen(PANEL_LINE)
    p.setBrush(PANEL)
    p.drawRoundedRect(rect, radius, radius)


def badge(p: QPainter, rect: QRectF, text: str, color: QColor, font: QFont) -> None:
    """A filled rounded label (the risk class)."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    r = rect.height() / 4
    p.drawRoundedRect(rect, r, r)
    p.setFont(font)
    p.setPen(QColor("#0b1622"))
    p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)


def draw_qr(p: QPainter, rect: QRectF, matrix: Sequence[bytes]) -> None:
    """A QR code as dark squares on white with a 4-module quiet zone, crisp at any size."""
    if not matrix:
        return
    n = len(matrix)
    side = min(rect.width(), rect.height())
    module = int(side / (n + 8))  # whole pixels per module: no blurred edges
    if module < 1:
        return
    total = module * (n + 8)
    x0 = round(rect.left() + (rect.width() - total) / 2)
    y0 = round(rect.top() + (rect.height() - total) / 2)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    p.fillRect(x0, y0, total, total, QR_LIGHT)
    origin_x, origin_y = x0 + 4 * module, y0 + 4 * module
    for r, row in enumerate(matrix):
        c = 0
        while c < n:  # runs of dark modules as one rectangle each
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                p.fillRect(
                    origin_x + start * module,
                    origin_y + r * module,
                    (c - start) * module,
                    module,
                    QR_DARK,
                )
            else:
                c += 1
    p.restore()
