"""Page furniture shared by the PDF reports: a footer saying "第 x 页 共 y 页".

The page count is only known once the whole story is laid out, so the canvas
holds every page until save() and stamps the footers then. Use it as

    pages = NumberedPages(Footer(font, left="…"))
    doc.build(story, canvasmaker=pages)
    pages.count  # the number of pages written
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas


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

    def __post_init__(self) -> None:
        if self.number_at == "right" and self.right:
            raise ValueError("the page number already takes the right margin")

    def draw(self, canvas: Canvas, total: int) -> None:
        width, _height = canvas._pagesize
        label = page_label(canvas.getPageNumber(), total)
        colour = colors.HexColor(self.color)
        canvas.saveState()
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(colour)
        if self.left:
            canvas.drawString(self.margin, self.baseline, self.left)
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

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = self._maker.count = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._maker.footer.draw(self, total)
            super().showPage()
        super().save()
