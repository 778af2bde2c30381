"""Register the shipped CJK font with reportlab (TrueType, embedded as a subset)."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import cjk_font_path

CJK_FONT = "WQYMicroHei"


@cache
def register_fonts() -> str:
    """Register once per process and return the font name for styles."""
    pdfmetrics.registerFont(TTFont(CJK_FONT, str(cjk_font_path()), subfontIndex=0))
    # Bold/italic map to the same face: the font has no other weights, and a
    # missing mapping would make reportlab fall back to a Latin-only font.
    pdfmetrics.registerFontFamily(
        CJK_FONT, normal=CJK_FONT, bold=CJK_FONT, italic=CJK_FONT, boldItalic=CJK_FONT
    )
    return CJK_FONT
