"""Draw the program icon (two dice on the navigation blue) into resources/icons/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/make_icon.py

Writes dualrandom.png (256 px, the window icon) and dualrandom.ico (16–256 px,
for the Windows executable and shortcuts). Drawn here rather than downloaded,
so the artwork's licence is the project's own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAVY, RED, WHITE = QColor("#1f3a5f"), QColor("#c8102e"), QColor("#ffffff")
# Pips of a die face, in a unit square.
FACES = {
    5: [(0.25, 0.25), (0.75, 0.25), (0.5, 0.5), (0.25, 0.75), (0.75, 0.75)],
    2: [(0.27, 0.27), (0.73, 0.73)],
}


def die(p: QPainter, rect: QRectF, fill: QColor, pips: int, pip: QColor) -> None:
    p.setPen(QPen(NAVY, rect.width() * 0.04))
    p.setBrush(fill)
    p.drawRoundedRect(rect, rect.width() * 0.18, rect.width() * 0.18)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(pip)
    r = rect.width() * 0.09
    for fx, fy in FACES[pips]:
        centre = QPointF(rect.x() + fx * rect.width(), rect.y() + fy * rect.height())
        p.drawEllipse(centre, r, r)


def draw(size: int = 256) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(NAVY)
    p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
    s = size / 256
    die(p, QRectF(34 * s, 30 * s, 118 * s, 118 * s), WHITE, 5, NAVY)
    die(p, QRectF(106 * s, 106 * s, 118 * s, 118 * s), RED, 2, WHITE)
    p.end()
    return img


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    png = OUT / "dualrandom.png"
    if not draw().save(str(png)):
        raise SystemExit(f"cannot write {png}")
    Image.open(png).save(
        OUT / "dualrandom.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (256, 256)]
    )
    print(f"wrote {png} and {OUT / 'dualrandom.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
