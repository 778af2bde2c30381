"""The reveal: candidate names roll and settle, one target at a time, in reveal order.

The result is already computed and stored when this starts; the animation
only shows it. Timing comes from a QVariantAnimation (the roll) and a
single-shot QTimer (the pause on each settled name), so the GUI thread never
waits: each frame is one short paintEvent, and the console stays responsive.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

from PySide6.QtCore import QEasingCurve, QRectF, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget

from app.services.draws.display import OutcomeView, RevealEntry
from app.views.draw.paint import (
    ACCENT,
    BG,
    MUTED,
    PANEL,
    PANEL_LINE,
    TEXT,
    badge,
    draw_text,
    fitted_font,
    mono_font,
    panel,
    stratum_color,
    ui_font,
    unit,
)
from app.views.draw.stages import CENTER, LEFT, RIGHT, paint_header

ROLL_MS = 2200  # one target's roll at speed 1×
HOLD_MS = 1800  # the settled name stays this long at speed 1×
REEL_DECOYS = 16  # names passing before the drawn one settles
SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


class RevealStage(QWidget):
    progress = Signal(int, int)  # settled, total
    finished = Signal()
    frame = Signal(float)  # one painted frame and its paint time in ms (benchmarks)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.view: OutcomeView | None = None
        self.decoys: tuple[str, ...] = ("……",)
        self.index = 0  # the target now rolling or held
        self.settled = 0  # how many targets are fully shown
        self.speed = 1.0
        self.reel: list[str] = []
        self.position = 0.0  # fractional reel row under the window's centre line
        self._roll = QVariantAnimation(self)
        self._roll.setStartValue(0.0)
        self._roll.setEndValue(1.0)
        self._roll.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._roll.valueChanged.connect(self._on_roll)
        self._roll.finished.connect(self._on_settled)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._next)
        self._waiting = False
        self._rects: dict[str, QRectF] = {}
        self._rects_for: tuple[int, int] | None = None
        self._pixmaps: dict[tuple[str, bool], QPixmap] = {}
        # Names to render ahead of need, one per event-loop turn (never a long block).
        self._warm_queue: deque[tuple[str, bool]] = deque()
        self._warm = QTimer(self)
        self._warm.setInterval(0)
        self._warm.timeout.connect(self._warm_one)

    # --- control -------------------------------------------------------------

    def preload(self, decoys: Sequence[str]) -> None:
        """Render the rolling names ahead of time (the console calls this at the commitment)."""
        self.decoys = tuple(decoys) or ("……",)
        self._queue_warm([(name, False) for name in self.decoys])

    def is_warm(self) -> bool:
        return not self._warm_queue

    def start(self, view: OutcomeView, decoys: Sequence[str], speed: float = 1.0) -> None:
        self.stop()
        self.view = view
        self.decoys = tuple(decoys) or ("……",)
        self.speed = speed
        self.index = 0
        self.settled = 0
        pending = [k for k in self._warm_queue if not k[1]]
        self._warm_queue.clear()
        self._waiting = False
        if view.entries:
            first = view.entries[0].name
            self._queue_warm([(first, False), (first, True)])
        self._queue_warm([(name, False) for name in self.decoys])
        self._queue_warm(pending)
        if view.total == 0:
            self.finished.emit()
            return
        self._begin(0)

    def set_speed(self, speed: float) -> None:
        """Applies from the next roll (and the current pause)."""
        self.speed = max(0.1, speed)
        if self._hold.isActive():
            self._hold.start(int(HOLD_MS / self.speed))

    def stop(self) -> None:
        self._roll.stop()
        self._hold.stop()
        self._warm.stop()

    def is_running(self) -> bool:
        return self._roll.state() == QVariantAnimation.State.Running or self._hold.isActive()

    def current(self) -> RevealEntry | None:
        if self.view is None or not self.view.entries:
            return None
        return self.view.entries[min(self.index, len(self.view.entries) - 1)]

    def update_view(self, view: OutcomeView) -> None:
        """The same result with more targets named: carry on where the reveal is."""
        if self.view is None or view.result_hash != self.view.result_hash:
            return
        self.view = view
        if self._waiting:
            self._waiting = False
            self._next()

    # --- animation -----------------------------------------------------------

    def _begin(self, index: int) -> None:
        assert self.view is not None
        self.index = index
        entry = self.view.entries[index]
        n = len(self.decoys)
        # Decoys vary from target to target; the drawn name is row REEL_DECOYS.
        start = (index * 7919) % n
        rows = [self.decoys[(start + k * 13) % n] for k in range(REEL_DECOYS + 3)]
        rows[REEL_DECOYS] = entry.name
        self.reel = rows
        self.position = 0.0
        self._roll.setDuration(max(120, int(ROLL_MS / self.speed)))
        if len(self._pixmaps) > 400:
            self._pixmaps.clear()
        self.update()
        self._roll.start()

    def _queue_warm(self, keys: Sequence[tuple[str, bool]]) -> None:
        self._warm_queue.extend(k for k in keys if k not in self._pixmaps)
        if self._warm_queue:
            self._warm.start()

    def _warm_one(self) -> None:
        if not self._warm_queue:
            self._warm.stop()
            return
        name, accent = self._warm_queue.popleft()
        u = unit(self.width(), self.height())
        self._name_pixmap(name, accent, self._layout()["reel"].width() - 48 * u, u)

    def _on_roll(self, value: float) -> None:
        self.position = float(value) * REEL_DECOYS
        self.update(self._layout()["reel"].toAlignedRect())

    def _on_settled(self) -> None:
        self.position = float(REEL_DECOYS)
        self.settled = self.index + 1
        self.update()
        assert self.view is not None
        self.progress.emit(self.settled, self.view.total)
        if self.settled < len(self.view.entries):
            following = self.view.entries[self.settled].name
            self._queue_warm([(following, False), (following, True)])
        if self.settled >= self.view.total:
            self._hold.stop()
            QTimer.singleShot(int(HOLD_MS / self.speed), self._done)
        else:
            self._hold.start(int(HOLD_MS / self.speed))

    def _next(self) -> None:
        if self.view is None or self.index + 1 >= self.view.total:
            return
        if self.index + 1 < len(self.view.entries):
            self._begin(self.index + 1)
        else:
            self._waiting = True  # the next names are still being looked up

    def _done(self) -> None:
        if self.view is not None and self.settled >= self.view.total:
            self.finished.emit()

    # --- painting ------------------------------------------------------------

    def _layout(self) -> dict[str, QRectF]:
        """The stage's rectangles for the current size (cached; rolling frames reuse them)."""
        size = (self.width(), self.height())
        if self._rects_for != size:
            w, h = float(size[0]), float(size[1])
            u = unit(w, h)
            m = 48 * u
            top = m + 150 * u
            card = QRectF(m, top + 6 * u, (w - 2 * m) * 0.64, h - top - 2 * m - 40 * u)
            side_x = card.right() + 28 * u
            self._rects = {
                "card": card,
                "side": QRectF(side_x, card.top(), w - m - side_x, card.height()),
                "reel": QRectF(
                    card.left() + 12 * u, card.top() + 100 * u, card.width() - 24 * u, 300 * u
                ),
                "bar": QRectF(m, top - 22 * u, w - 2 * m, 5 * u),
                "note": QRectF(m, h - m - 30 * u, w - 2 * m, 34 * u),
            }
            self._rects_for = size
            self._pixmaps.clear()
        return self._rects

    def _name_pixmap(self, name: str, accent: bool, width: float, u: float) -> QPixmap:
        """A reel name rendered once into a pixmap; each frame then only blits it.

        Qt draws glyphs above 64 px as paths (a few ms per name), far too slow to
        redo for every row of every frame; a blit with opacity costs well under 1 ms.
        """
        key = (name, accent)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            row_h = 100 * u
            font = fitted_font(ui_font(76 * u, True), name, width, 36 * u)
            text = QFontMetricsF(font).elidedText(name, Qt.TextElideMode.ElideRight, width)
            ratio = self.devicePixelRatioF()
            pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(row_h * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            q = QPainter(pixmap)
            q.setRenderHint(QPainter.RenderHint.Antialiasing)
            q.setFont(font)
            q.setPen(ACCENT if accent else TEXT)
            q.drawText(QRectF(0, 0, width, row_h), int(CENTER), text)
            q.end()
            self._pixmaps[key] = pixmap
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        rects = self._layout()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = float(self.width()), float(self.height())
        u = unit(w, h)
        v, entry = self.view, self.current()
        if v is None or entry is None:
            p.fillRect(self.rect(), BG)
            return
        reel = rects["reel"]
        if reel.toAlignedRect().contains(event.rect()):
            # A rolling frame: only the reel changed.
            p.fillRect(reel, PANEL)
            self._paint_reel(p, reel, u)
        else:
            p.fillRect(self.rect(), BG)
            right = f"第 {entry.rank:,} 户 / 共 {v.total:,} 户"
            paint_header(p, w, u, f"揭晓抽取结果 · {v.task_code}", v.task_title, right)
            bar = rects["bar"]
            p.fillRect(
                QRectF(bar.left(), bar.top(), bar.width() * self.settled / v.total, bar.height()),
                ACCENT,
            )
            self._paint_card(p, rects["card"], reel, u, entry)
            self._paint_history(p, rects["side"], u, v)
            note = "全部结果已在揭晓前计算完毕并存入数据库，动画只是逐户展示"
            draw_text(p, rects["note"], note, ui_font(22 * u), MUTED)
        p.end()
        self.frame.emit((time.perf_counter() - started) * 1000.0)

    def _paint_card(self, p: QPainter, r: QRectF, reel: QRectF, u: float, e: RevealEntry) -> None:
        panel(p, r, 16 * u)
        pad = 34 * u
        x, w = r.left() + pad, r.width() - 2 * pad
        batch = f"  ·  第 {e.batch} 批" if self.view is not None and self.view.batches > 1 else ""
        draw_text(
            p,
            QRectF(x, r.top() + pad * 0.6, w, 50 * u),
            f"第 {e.rank} 户{batch}",
            ui_font(34 * u, True),
            ACCENT,
        )
        self._paint_reel(p, reel, u)
        held = self.settled > self.index
        y = reel.bottom() + 24 * u
        if not held:
            draw_text(p, QRectF(x, y, w, 50 * u), "抽取中……", ui_font(32 * u), MUTED)
            return
        badge(
            p,
            QRectF(x, y, 64 * u, 56 * u),
            e.stratum if len(e.stratum) == 1 else "—",
            stratum_color(e.stratum),
            ui_font(34 * u, True),
        )
        draw_text(
            p, QRectF(x + 84 * u, y, w * 0.45, 56 * u), e.stratum_title, ui_font(34 * u), TEXT
        )
        draw_text(
            p,
            QRectF(x + w * 0.45, y, w * 0.55, 56 * u),
            e.target_id,
            mono_font(38 * u),
            TEXT,
            RIGHT,
            min_px=20 * u,
        )
        y += 84 * u
        draw_text(p, QRectF(x, y, w, 44 * u), "检查组", ui_font(28 * u), MUTED)
        y += 50 * u
        short = 56 * u if e.missing or not e.team else 0.0
        self._paint_team(p, QRectF(x, y, w, r.bottom() - pad * 0.5 - short - y), u, e)
        if short:
            draw_text(
                p,
                QRectF(x, r.bottom() - pad * 0.5 - short, w, 50 * u),
                f"检查人员不足：缺 {e.missing} 人",
                ui_font(30 * u),
                QColor("#e4572e"),
            )

    def _paint_team(self, p: QPainter, r: QRectF, u: float, e: RevealEntry) -> None:
        """Every member of the team, whatever its size: one column up to two people,
        then two columns, the rows shrinking (type with them) to fit the card."""
        if not e.team:
            return
        columns = 1 if len(e.team) <= 2 else 2
        rows = -(-len(e.team) // columns)
        row_h = min(64 * u, r.height() / rows)
        k = row_h / (64 * u)  # type scale
        col_w = r.width() / columns
        role_w = 100 * u * k
        for i, member in enumerate(e.team):
            # Column-major: the lead first, reading down then across.
            x = r.left() + (i // rows) * col_w
            y = r.top() + (i % rows) * row_h
            draw_text(
                p,
                QRectF(x, y, role_w, row_h),
                "主查" if member.lead else "组员",
                ui_font(32 * u * k),
                ACCENT if member.lead else MUTED,
            )
            name_w = (col_w - role_w) * (0.45 if columns == 1 else 0.5)
            draw_text(
                p,
                QRectF(x + role_w, y, name_w, row_h),
                member.name,
                ui_font((46 if columns == 1 else 40) * u * k, True),
                TEXT,
                min_px=18 * u,
            )
            draw_text(
                p,
                QRectF(x + role_w + name_w, y, col_w - role_w - name_w - 12 * u, row_h),
                member.department,
                ui_font((36 if columns == 1 else 28) * u * k),
                TEXT,
                min_px=14 * u,
            )

    def _paint_reel(self, p: QPainter, r: QRectF, u: float) -> None:
        row_h = 100 * u
        cy = r.center().y()
        held = self.settled > self.index
        p.save()
        p.setClipRect(r)
        p.fillRect(QRectF(r.left(), cy - row_h / 2, r.width(), row_h), PANEL_LINE)
        text_w = r.width() - 48 * u
        first = max(0, int(self.position) - 2)
        budget = 1  # names rendered in this frame at full size; the rest wait a frame
        for k in range(first, min(len(self.reel), int(self.position) + 3)):
            dy = (self.position - k) * row_h
            fade = max(0.0, 1.0 - abs(dy) / (1.6 * row_h))
            if fade <= 0:
                continue
            final = held and k == REEL_DECOYS
            p.setOpacity(fade if not held or final else fade * 0.35)
            rect = QRectF(r.left() + 24 * u, cy + dy - row_h / 2, text_w, row_h)
            key = (self.reel[k], final)
            if key in self._pixmaps or budget > 0 or final:
                budget -= key not in self._pixmaps
                p.drawPixmap(rect.topLeft(), self._name_pixmap(*key, text_w, u))
            else:
                # Glyphs up to 64 px come from Qt's cache: cheap for a passing name.
                draw_text(p, rect, self.reel[k], ui_font(60 * u, True), TEXT, CENTER, 30 * u)
        p.restore()

    def _paint_history(self, p: QPainter, r: QRectF, u: float, v: OutcomeView) -> None:
        panel(p, r, 16 * u)
        pad = 24 * u
        draw_text(
            p,
            QRectF(r.left() + pad, r.top() + pad * 0.6, r.width() - 2 * pad, 46 * u),
            f"已揭晓 {self.settled:,} 户",
            ui_font(30 * u, True),
            ACCENT,
        )
        row_h = 52 * u
        y = r.top() + 80 * u
        rows = max(0, int((r.bottom() - y - pad) // row_h))
        first = max(0, self.settled - rows)
        for e in reversed(v.entries[first : self.settled]):
            draw_text(
                p,
                QRectF(r.left() + pad, y, 90 * u, row_h),
                str(e.rank),
                mono_font(28 * u),
                MUTED,
                RIGHT,
            )
            side = row_h * 0.62
            badge(
                p,
                QRectF(r.left() + pad + 106 * u, y + (row_h - side) / 2, side, side),
                e.stratum if len(e.stratum) == 1 else "—",
                stratum_color(e.stratum),
                ui_font(22 * u, True),
            )
            name_x = r.left() + pad + 106 * u + side + 16 * u
            draw_text(
                p,
                QRectF(name_x, y, r.right() - pad - name_x, row_h),
                e.name,
                ui_font(28 * u),
                TEXT,
                LEFT,
                min_px=18 * u,
            )
            y += row_h
