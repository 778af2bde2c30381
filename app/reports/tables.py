"""Ruled tables in the official documents: thin grid, shaded header row.

Cells may be Paragraphs (text that wraps) or plain strings (numbers, codes,
short names: much cheaper to lay out, drawn in the CJK font at `font_size`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from app.reports.fonts import register_fonts

RULE = colors.HexColor("#555555")
HEAD_FILL = colors.HexColor("#eeeeee")


@cache
def _style(head: bool, font_size: float, centre_from: int) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if head:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    if centre_from >= 0:
        commands.append(("ALIGN", (0, 0), (centre_from, -1), "CENTER"))
    return TableStyle(commands)


def grid(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    head: bool = True,
    font_size: float = 10,
    centre: int = -1,
    **kw: Any,
) -> Table:
    """A ruled table; with `head`, the first row is shaded and repeats on each page.
    String cells in columns 0..`centre` are centred."""
    table = Table(rows, colWidths=list(widths), repeatRows=1 if head else 0, **kw)
    table.setStyle(_style(head, font_size, centre))
    return table
