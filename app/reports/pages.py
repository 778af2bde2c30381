"""Page furniture shared by the PDF reports: a footer saying "第 x 页 共 y 页".

The page count is only known once the whole story is laid out, so the canvas
holds every page until save() and stamps the footers then. Use it as

    pages = NumberedPages(Footer(font, left="…"))
    doc.build(story, canvasmaker=pages)
    pages.count  # the number of pages written

A batch of documents in one PDF (1,000 notices for the printer) numbers each
document on its own: put `RestartNumbering(note)` first in each document's story.
`Footer.mark` ("征求意见稿") is stamped at the top of every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


def page_label(page: int, total: int) -> str:
    return f"第 {page} 页 共 {total} 页"


@dataclass(frozen=True)
class Footer:
    """One line at the foot of every page: the page number, and a note at either margin."""

    font: str
    left: str = ""
    right: str = ""
    number_at: Literal["centre", "right"] = "centre"
    size: float = 9
    color: str = "#444444"
    baseline: float = 9 * mm
    margin: float = 15 * mm
    # A hairline across the text width at this height, above the footer; None: no line.
    rule_at: float | None = None
    # Stamped in a box at the top right of every page, e.g. 征求意见稿 on a draft.
    mark: str = ""
    mark_size: float = 14

    def __post_init__(self) -> None:
        if self.number_at == "right" and self.right:
            raise ValueError("the page number already takes the right margin")

    def draw(self, canvas: Canvas, total: int, page: int | None = None, note: str = "") -> None:
        """Stamp the footer; `page`/`total` count within one document of a batch,
        `note` replaces the left text for that document."""
        width, height = canvas._pagesize
        label = page_label(canvas.getPageNumber() if page is None else page, total)
        colour = colors.HexColor(self.color)
        canvas.saveState()
        if self.mark:
            self._draw_mark(canvas, width, height)
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(colour)
        left = note or self.left
        if left:
            canvas.drawString(self.margin, self.baseline, left)
        if self.number_at == "centre":
            canvas.drawCentredString(width / 2, self.baseline, label)
        right = label if self.number_at == "right" else self.right
        if right:
            canvas.drawRightString(width - self.margin, self.baseline, right)
        if self.rule_at is not None:
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(0.4)
            canvas.line(self.margin, self.rule_at, width - self.margin, self.rule_at)
        canvas.restoreState()

    def _draw_mark(self, canvas: Canvas, width: float, height: float) -> None:
        size = self.mark_size
        text_width = canvas.stringWidth(self.mark, self.font, size)
        pad = size * 0.4
        x = width - self.margin - text_width - 2 * pad
        y = height - 7 * mm - size - 2 * pad
        canvas.setStrokeColor(colors.HexColor("#b00000"))
        canvas.setFillColor(colors.HexColor("#b00000"))
        canvas.setLineWidth(1)
        canvas.rect(x, y, text_width + 2 * pad, size + 2 * pad, stroke=1, fill=0)
        canvas.setFont(self.font, size)
        canvas.drawString(x + pad, y + pad + size * 0.15, self.mark)


class RestartNumbering(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Zero-size marker: the page it lands on is page 1 of a new document.

    Place it first in a document's story, after the PageBreak that ends the
    previous one. `note` is the footer's left text for that document's pages.
    """

    def __init__(self, note: str = "") -> None:
        super().__init__()
        self.note = note
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        begin = getattr(self.canv, "begin_document", None)
        if begin is not None:
            begin(self.note)


class NumberedPages:
    """A canvasmaker for `doc.build`: every page gets `footer`; `count` is set on save."""

    def __init__(self, footer: Footer) -> None:
        self.footer = footer
        self.count = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(self, *args, **kwargs)


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type information
    def __init__(self, maker: NumberedPages, *args: Any, **kwargs: Any) -> None:
        # Start every page in the report's embedded font rather than Helvetica.
        kwargs.setdefault("initialFontName", maker.footer.font)
        super().__init__(*args, **kwargs)
        self._maker = maker
        self._held: list[dict[str, Any]] = []
        # Index of the first held page of each document in a batch, and its note.
        self._starts: dict[int, str] = {}

    def begin_document(self, note: str) -> None:
        self._starts[len(self._held)] = note

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = self._maker.count = len(self._held)
        starts = sorted(self._starts)
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        ends = [*starts[1:], total]
        footer = self._maker.footer
        for start, end in zip(starts, ends, strict=True):
            note = self._starts.get(start, "")
            for index in range(start, end):
                self.__dict__.update(self._held[index])
                self._held[index] = {}  # let the page's content go once written
                if len(starts) == 1:
                    footer.draw(self, total, note=note)
                else:
                    footer.draw(self, end - start, page=index - start + 1, note=note)
                super().showPage()
        super().save()
