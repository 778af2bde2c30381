"""The official-document layout shared by every printed document.

GB/T 9704 habits on A4: the title centred and larger, the 文号 centred under it,
the body in a plain face, the 落款 (issuer's full name) and date right-aligned,
page numbers "第 x 页 共 y 页" (app.reports.pages). Letters (notices) use the
standard type area; tables (item list, checklists) use narrower margins.

Every paragraph is an `OfficialParagraph`: Chinese line breaking by the rules in
app.reports.linebreak (no punctuation at a line start, names and codes kept
whole). Styles are built once per process: 1,000 notices share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape

import segno
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from app.reports.fonts import register_fonts
from app.reports.linebreak import JOINER, break_lines, strip_joiners, width_cache

PAGE = A4


@dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float

    def width(self, pagesize: tuple[float, float] = A4) -> float:
        return pagesize[0] - self.left - self.right


# GB/T 9704: type area 156 mm × 225 mm, top 37 mm, left 28 mm. The bottom margin
# is a little larger than the standard's so the page number sits inside it.
LETTER = Margins(top=30 * mm, bottom=28 * mm, left=28 * mm, right=26 * mm)
# Tabular documents (lists, records, checklists) need the width.
TABLE = Margins(top=16 * mm, bottom=18 * mm, left=18 * mm, right=18 * mm)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (section numbers up to 99)."""
    digits = "一二三四五六七八九十"
    if n <= 10:
        return digits[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens - 1]) + "十" + (digits[ones - 1] if ones else "")


def cn_date(d: date) -> str:
    """2026年12月4日: the date as written in a 落款."""
    return f"{d.year}年{d.month}月{d.day}日"


class OfficialParagraph(Paragraph):  # type: ignore[misc]  # reportlab ships no type hints
    """A Paragraph of plain text (no markup) broken by the Chinese line rules.

    Pass plain text: it is escaped here. "\\n" starts a new line; `keep()`
    marks a name that must stay on one line.
    """

    def __init__(self, text: str | None, style: Any = None, *args: Any, **kwargs: Any) -> None:
        # reportlab re-creates split halves with text=None and ready frags.
        self._plain = text
        if text is not None and style is not None and not args and not kwargs:
            # Plain text needs no markup parser (a third of the time of a notice):
            # one fragment in the style's font, cloned from a parsed template.
            shown = strip_joiners(text).replace("\n", " ")
            kwargs["frags"] = [_template_frag(style).clone(text=shown)]
            super().__init__(escape(shown), style, **kwargs)
            return
        markup = None if text is None else escape(strip_joiners(text).replace("\n", " "))
        super().__init__(markup, style, *args, **kwargs)

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        frags = self.frags
        if (
            self._plain is None
            or len(frags) != 1
            or hasattr(frags[0], "cbDefn")
            or (hasattr(self, "blPara") and getattr(self, "_splitpara", False))
        ):
            return super().breakLinesCJK(maxWidths)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        f = frags[0]
        # A hair narrower than the room so reportlab never wraps a line again.
        widths = tuple(w - 0.05 for w in maxWidths)
        lines = _broken_lines(self._plain, widths, f.fontName, f.fontSize)
        self._broken = [text for text, _space in lines]
        return f.clone(
            kind=0,
            lines=[(space, [text]) for text, space in lines],
            ascent=f.fontSize,
            descent=-0.2 * f.fontSize,
        )

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        broken: list[str] | None = getattr(self, "_broken", None)
        if len(parts) == 2 and broken is not None:
            # reportlab rebuilds the second half by joining lines with spaces;
            # give it the remaining lines as they were broken instead.
            first = len(parts[0].blPara.lines)
            parts[1]._plain = "\n".join(broken[first:])
        return parts


_TEMPLATES: WeakKeyDictionary[ParagraphStyle, Any] = WeakKeyDictionary()


def _template_frag(style: ParagraphStyle) -> Any:
    """The fragment reportlab's parser makes for plain text in `style`."""
    frag = _TEMPLATES.get(style)
    if frag is None:
        frag = _TEMPLATES[style] = Paragraph("x", style).frags[0]
    return frag


@lru_cache(maxsize=4096)
def _broken_lines(
    text: str, widths: tuple[float, ...], font: str, size: float
) -> list[tuple[str, float]]:
    # Tables wrap a cell more than once, and a batch of notices repeats the same
    # sentences: each (text, width) is broken once.
    return break_lines(text, widths, width_cache(font, size))


@dataclass(frozen=True)
class Styles:
    font: str
    issuer: ParagraphStyle  # 发文机关 above the document title
    title: ParagraphStyle
    doc_number: ParagraphStyle
    addressee: ParagraphStyle
    body: ParagraphStyle  # 正文, first line indented two characters
    plain: ParagraphStyle  # 正文 without the indent
    heading: ParagraphStyle  # 一、… inside the body
    signature: ParagraphStyle  # 落款 and date, right-aligned
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    head: ParagraphStyle
    small: ParagraphStyle


@cache
def styles(body_size: float = 14) -> Styles:
    """Paragraph styles for documents whose 正文 is `body_size` points (四号 = 14)."""
    font = register_fonts()
    lead = body_size * 1.75

    def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(
            f"{name}{body_size}",
            fontName=font,
            fontSize=size,
            leading=leading,
            wordWrap="CJK",
            **kw,
        )

    cell = style("cell", min(10, body_size - 1.5), min(10, body_size - 1.5) * 1.4)
    return Styles(
        font=font,
        issuer=style("issuer", body_size + 4, (body_size + 4) * 1.5, alignment=TA_CENTER),
        title=style("title", body_size + 8, (body_size + 8) * 1.5, alignment=TA_CENTER),
        doc_number=style(
            "docno", body_size, lead, alignment=TA_CENTER, spaceBefore=2 * mm, spaceAfter=4 * mm
        ),
        addressee=style("addressee", body_size, lead, alignment=TA_LEFT),
        body=style("body", body_size, lead, firstLineIndent=2 * body_size),
        plain=style("plain", body_size, lead),
        heading=style("heading", body_size, lead, spaceBefore=1 * mm),
        signature=style("signature", body_size, lead, alignment=TA_RIGHT),
        cell=cell,
        cell_center=ParagraphStyle(f"cellc{body_size}", parent=cell, alignment=TA_CENTER),
        head=ParagraphStyle(f"head{body_size}", parent=cell, alignment=TA_CENTER),
        small=style("small", 9, 12),
    )


def para(text: str, style: ParagraphStyle) -> OfficialParagraph:
    return OfficialParagraph(text, style)


class QrCode(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """A QR code drawn as vector rectangles, one per run of dark modules.

    Crisp at any printer resolution and cheap: the PDF operators are written
    once per payload in whole module units and scaled by the graphics state,
    so a batch of 1,000 notices creates no image and formats no coordinates.
    """

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.payload = payload
        self.size = size
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        operators, count = qr_operators(self.payload)
        module = self.size / count
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        # Module units, origin at the top-left, rows counting down.
        canvas.transform(module, 0, 0, -module, 0, self.size)
        canvas.addLiteral(operators)
        canvas.restoreState()


@lru_cache(maxsize=64)
def qr_operators(payload: str) -> tuple[str, int]:
    """PDF path operators filling the dark modules of `payload`'s QR code, and the
    side in modules including a two-module quiet zone."""
    # A fixed mask pattern: any of the eight gives a valid code, and choosing the
    # best-scoring one is most of segno's time (6 ms a code against 1 ms).
    code = segno.make(payload, error="m", micro=False, boost_error=False, mask=2)
    rows = [bytes(row) for row in code.matrix_iter(scale=1, border=2)]
    parts: list[str] = []
    for r, row in enumerate(rows):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                parts.append(f"{start} {r} {c - start} 1 re")
            else:
                c += 1
    parts.append("f")
    return "\n".join(parts), len(rows)


__all__ = [
    "JOINER",
    "LETTER",
    "PAGE",
    "TABLE",
    "Margins",
    "OfficialParagraph",
    "QrCode",
    "Styles",
    "chinese_number",
    "cn_date",
    "para",
    "styles",
]
