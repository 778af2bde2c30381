"""The projector's still stages: the commitment (with witnesses) and the end list.

Each stage is a widget that paints the plain values it was given; sizes come
from `paint.unit` so the layout is the same on any screen. The animated
reveal lives in `reveal.py`.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from app.domain.ceremony import hex_groups, hex_lines
from app.services.draws.display import CommitmentView, OutcomeView, RevealEntry, WitnessLine
from app.views.draw.paint import (
    ACCENT,
    BG,
    MUTED,
    PANEL_LINE,
    TEXT,
    badge,
    draw_qr,
    draw_text,
    draw_wrapped,
    mono_font,
    panel,
    stratum_color,
    ui_font,
    unit,
)

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
ROW_UNITS = 66  # height of one row of the end list, in units


def paint_header(p: QPainter, w: float, u: float, kicker: str, title: str, right: str) -> float:
    """The band every stage starts with; returns its bottom y."""
    m = 48 * u
    draw_text(p, QRectF(m, m, w - 2 * m, 40 * u), kicker, ui_font(28 * u), ACCENT)
    draw_text(
        p,
        QRectF(m, m + 44 * u, w * 0.72, 72 * u),
        title,
        ui_font(54 * u, True),
        TEXT,
        min_px=30 * u,
    )
    draw_text(
        p,
        QRectF(w * 0.7, m + 44 * u, w * 0.3 - m, 72 * u),
        right,
        ui_font(34 * u),
        MUTED,
        RIGHT,
        min_px=20 * u,
    )
    y = m + 128 * u
    p.setPen(PANEL_LINE)
    p.drawLine(QRectF(m, y, w - 2 * m, 0).topLeft(), QRectF(m, y, w - 2 * m, 0).topRight())
    return y + 22 * u


def team_lines(entry: RevealEntry) -> list[str]:
    """The team in two lines for the end list: the lead, then the others."""
    people = [f"{m.name} · {m.department}" if m.department else m.name for m in entry.team]
    if not people:
        return ["（未能配齐检查人员）"]
    lines = [f"主查 {people[0]}"]
    rest = "、".join(people[1:])
    if entry.missing:
        rest = f"{rest}（缺 {entry.missing} 人）" if rest else f"缺 {entry.missing} 人"
    if rest:
        lines.append(f"组员 {rest}" if len(people) > 1 else rest)
    return lines


class CommitmentStage(QWidget):
    """The task, its pool sizes and rules, the witnesses, the commitment with a QR code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: CommitmentView | None = None
        self.witnesses: tuple[WitnessLine, ...] = ()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_view(self, view: CommitmentView) -> None:
        self.view = view
        self.witnesses = ()
        self.update()

    def set_witnesses(self, witnesses: tuple[WitnessLine, ...]) -> None:
        self.witnesses = witnesses
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        w, h = float(self.width()), float(self.height())
        p.fillRect(self.rect(), BG)
        v = self.view
        if v is None:
            draw_text(p, QRectF(0, 0, w, h), "等待开始……", ui_font(48 * unit(w, h)), MUTED, CENTER)
            return
        u = unit(w, h)
        m = 48 * u
        top = paint_header(p, w, u, "部门联合双随机抽查 · 现场随机抽取", v.task_title, v.task_code)
        band_h = 300 * u
        band = QRectF(m, h - m - band_h, w - 2 * m, band_h)
        body = QRectF(m, top, w - 2 * m, band.top() - top - 24 * u)
        left = QRectF(body.left(), body.top(), body.width() * 0.6, body.height())
        right = QRectF(
            left.right() + 28 * u, body.top(), body.right() - left.right() - 28 * u, body.height()
        )
        self._paint_task(p, left, u, v)
        self._paint_witnesses(p, right, u)
        self._paint_commitment(p, band, u, v)

    def _paint_task(self, p: QPainter, r: QRectF, u: float, v: CommitmentView) -> None:
        x, y, w = r.left(), r.top(), r.width()
        label = ui_font(26 * u)
        body = ui_font(32 * u)
        items = "、".join(v.items) if v.items else "—"
        draw_text(p, QRectF(x, y, 150 * u, 46 * u), "抽查事项", label, MUTED)
        y = (
            draw_wrapped(
                p, QRectF(x + 150 * u, y + 3 * u, w - 150 * u, 84 * u), items, 32 * u, 22 * u, TEXT
            )
            + 8 * u
        )
        draw_text(p, QRectF(x, y, 150 * u, 46 * u), "参与部门", label, MUTED)
        depts = "、".join(v.departments) or "—"
        draw_text(p, QRectF(x + 150 * u, y, w - 150 * u, 46 * u), depts, body, TEXT, min_px=22 * u)
        y += 54 * u
        y += 10 * u
        cols = (0.0, 0.34, 0.56, 0.82)  # 风险等级 | 检查对象 | 抽查规则 | 应抽
        widths = (0.34, 0.2, 0.26, 0.18)
        heads = ("信用风险分类", "检查对象（户）", "抽查规则", "应抽（户）")
        for c, wd, text in zip(cols, widths, heads, strict=True):
            align = LEFT if c in (0.0, 0.56) else RIGHT
            draw_text(p, QRectF(x + c * w, y, wd * w, 40 * u), text, label, MUTED, align)
        y += 44 * u
        row_h = min(48 * u, max(30 * u, (r.bottom() - y - 60 * u) / max(1, len(v.strata))))
        for s in v.strata:
            badge(
                p,
                QRectF(x, y + row_h * 0.14, 22 * u, row_h * 0.72),
                "",
                stratum_color(s.name),
                label,
            )
            cells = (s.title, f"{s.candidates:,}", s.rule, f"{s.planned:,}")
            for c, wd, text in zip(cols, widths, cells, strict=True):
                align = LEFT if c in (0.0, 0.56) else RIGHT
                inset = 36 * u if c == 0.0 else 0
                draw_text(
                    p,
                    QRectF(x + c * w + inset, y, wd * w - inset, row_h),
                    text,
                    body,
                    TEXT,
                    align,
                    min_px=20 * u,
                )
            y += row_h
        y += 12 * u
        total = f"合计 {v.total_candidates:,} 户；可抽取执法检查人员 {v.eligible_inspectors} 人"
        draw_text(p, QRectF(x, y, w, 44 * u), total, body, TEXT, min_px=20 * u)
        draw_text(p, QRectF(x, y + 48 * u, w, 40 * u), v.team_rule, label, MUTED, min_px=18 * u)

    def _paint_witnesses(self, p: QPainter, r: QRectF, u: float) -> None:
        panel(p, r, 14 * u)
        pad = 26 * u
        inner = r.adjusted(pad, pad * 0.7, -pad, -pad * 0.7)
        draw_text(
            p,
            QRectF(inner.left(), inner.top(), inner.width(), 44 * u),
            "监督见证人数字",
            ui_font(30 * u, True),
            ACCENT,
        )
        y = inner.top() + 58 * u
        if not self.witnesses:
            draw_text(
                p,
                QRectF(inner.left(), y, inner.width(), 48 * u),
                "等待见证人给出数字……",
                ui_font(30 * u),
                MUTED,
            )
            return
        block = 104 * u
        shown = self.witnesses[-max(1, int((inner.bottom() - y) // block)) :]
        for wl in shown:
            who = f"{wl.position}. {wl.name}" + (f"（{wl.unit}）" if wl.unit else "")
            draw_text(
                p,
                QRectF(inner.left(), y, inner.width(), 38 * u),
                who,
                ui_font(26 * u),
                MUTED,
                min_px=18 * u,
            )
            draw_text(
                p,
                QRectF(inner.left(), y + 38 * u, inner.width(), 58 * u),
                hex_groups(wl.digits, 4),
                mono_font(48 * u, True),
                TEXT,
                min_px=22 * u,
            )
            y += block

    def _paint_commitment(self, p: QPainter, band: QRectF, u: float, v: CommitmentView) -> None:
        panel(p, band, 14 * u)
        pad = 26 * u
        qr_side = band.height() - 2 * pad
        draw_qr(p, QRectF(band.right() - pad - qr_side, band.top() + pad, qr_side, qr_side), v.qr)
        x = band.left() + pad
        text_w = band.width() - 3 * pad - qr_side
        label_w = 250 * u
        mono = mono_font(48 * u)
        line_h = QFontMetricsF(mono).height() * 1.08
        y = band.top() + pad
        for caption, note, value in (
            ("清单哈希", "manifest hash", v.manifest_hash),
            ("随机数承诺", "nonce commitment", v.nonce_commitment),
        ):
            draw_text(p, QRectF(x, y, label_w, line_h), caption, ui_font(32 * u, True), ACCENT)
            draw_text(
                p,
                QRectF(x, y + line_h, label_w, line_h * 0.8),
                note,
                ui_font(20 * u),
                MUTED,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            )
            for k, line in enumerate(hex_lines(value)):
                draw_text(
                    p,
                    QRectF(x + label_w, y + k * line_h, text_w - label_w, line_h),
                    line,
                    mono,
                    TEXT,
                    min_px=20 * u,
                )
            y += 2 * line_h + 22 * u


class EndStage(QWidget):
    """The full list, paged, with the seed, the result hash and a QR code."""

    page_changed = Signal(int, int)  # page (1-based), pages

    AUTO_PAGE_MS = 12_000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: OutcomeView | None = None
        self.page = 0
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._auto = QTimer(self)
        self._auto.setInterval(self.AUTO_PAGE_MS)
        self._auto.timeout.connect(lambda: self.turn(1, wrap=True))

    def set_view(self, view: OutcomeView, auto_page: bool = True, keep_page: bool = False) -> None:
        self.view = view
        if not keep_page:
            self.page = 0
        if auto_page:
            self._auto.start()
        self.update()
        self.page_changed.emit(1, self.pages())

    def auto_paging(self) -> bool:
        return self._auto.isActive()

    def set_auto_page(self, on: bool) -> None:
        if on:
            self._auto.start()
        else:
            self._auto.stop()

    def rows_per_page(self) -> int:
        u = unit(self.width(), self.height())
        table_h = self.height() - (48 + 150 + 230 + 48 + 20 + 46) * u
        return max(3, int(table_h // (ROW_UNITS * u)))

    def pages(self) -> int:
        if self.view is None:
            return 1
        per = self.rows_per_page()
        return max(1, (len(self.view.entries) + per - 1) // per)

    def turn(self, step: int, wrap: bool = False) -> None:
        pages = self.pages()
        page = self.page + step
        if wrap:
            page %= pages
        self.page = min(max(page, 0), pages - 1)
        self.update()
        self.page_changed.emit(self.page + 1, pages)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = float(self.width()), float(self.height())
        p.fillRect(self.rect(), BG)
        v = self.view
        if v is None:
            return
        u = unit(w, h)
        m = 48 * u
        self.page = min(self.page, self.pages() - 1)
        right = f"共抽中 {v.total:,} 户 · 第 {self.page + 1} / {self.pages()} 页"
        top = paint_header(p, w, u, f"抽取结果 · {v.task_code}", v.task_title, right)
        band_h = 230 * u
        band = QRectF(m, h - m - band_h, w - 2 * m, band_h)
        self._paint_table(p, QRectF(m, top, w - 2 * m, band.top() - top - 20 * u), u, v)
        self._paint_band(p, band, u, v)

    def _paint_table(self, p: QPainter, r: QRectF, u: float, v: OutcomeView) -> None:
        per = self.rows_per_page()
        rows = v.entries[self.page * per : (self.page + 1) * per]
        spec = [
            ("序号", 0.06, RIGHT),
            ("统一社会信用代码", 0.2, LEFT),
            ("名称", 0.33, LEFT),
            ("风险", 0.06, CENTER),
            ("检查组", 0.35, LEFT),
        ]
        if v.batches > 1:
            spec[2] = ("名称", 0.28, LEFT)
            spec.insert(1, ("批次", 0.05, CENTER))
        head_h, row_h, gap = 46 * u, ROW_UNITS * u, 18 * u
        x = r.left()
        for title, frac, align in spec:
            cell = QRectF(x, r.top(), r.width() * frac - gap, head_h)
            draw_text(p, cell, title, ui_font(24 * u), MUTED, align)
            x += r.width() * frac
        body, mono, small = ui_font(32 * u), mono_font(28 * u), ui_font(25 * u)
        y = r.top() + head_h
        for k, e in enumerate(rows):
            if k % 2 == 0:
                p.fillRect(QRectF(r.left(), y, r.width(), row_h), PANEL_LINE.darker(160))
            x = r.left()
            for title, frac, align in spec:
                cell = QRectF(x, y, r.width() * frac - gap, row_h)
                x += r.width() * frac
                if title == "风险":
                    side = 44 * u
                    box = QRectF(
                        cell.center().x() - side / 2, cell.center().y() - side / 2, side, side
                    )
                    label = e.stratum if len(e.stratum) == 1 else "—"
                    badge(p, box, label, stratum_color(e.stratum), ui_font(26 * u, True))
                elif title == "检查组":
                    lines = team_lines(e)
                    half = QRectF(
                        cell.left(), cell.top() + 4 * u, cell.width(), (row_h - 8 * u) / 2
                    )
                    for line in lines[:2]:
                        draw_text(p, half, line, small, TEXT, LEFT, min_px=18 * u)
                        half.translate(0, half.height())
                else:
                    text = {"序号": str(e.rank), "批次": str(e.batch), "名称": e.name}.get(
                        title, e.target_id
                    )
                    font = mono if title == "统一社会信用代码" else body
                    draw_text(p, cell, text, font, TEXT, align, min_px=20 * u)
            y += row_h

    def _paint_band(self, p: QPainter, band: QRectF, u: float, v: OutcomeView) -> None:
        panel(p, band, 14 * u)
        pad = 24 * u
        qr_side = band.height() - 2 * pad
        draw_qr(p, QRectF(band.right() - pad - qr_side, band.top() + pad, qr_side, qr_side), v.qr)
        x = band.left() + pad
        text_w = band.width() - 3 * pad - qr_side
        label_w = 220 * u
        line_h = (band.height() - 2 * pad) / 3
        mono = mono_font(30 * u)
        for k, (caption, value) in enumerate(
            (("随机种子", v.seed), ("结果哈希", v.result_hash), ("清单哈希", v.manifest_hash))
        ):
            y = band.top() + pad + k * line_h
            draw_text(p, QRectF(x, y, label_w, line_h), caption, ui_font(28 * u, True), ACCENT)
            draw_text(
                p,
                QRectF(x + label_w, y, text_w - label_w, line_h),
                hex_groups(value),
                mono,
                TEXT,
                min_px=16 * u,
            )
        hint = "全部结果已在揭晓前存入数据库；用核验包中的 verify.py 可在任何电脑上复算核对"
        draw_text(
            p, QRectF(x, band.bottom() + 6 * u, band.width(), 36 * u), hint, ui_font(22 * u), MUTED
        )
