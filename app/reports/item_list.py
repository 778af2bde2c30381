"""抽查事项清单 for 公示: A4 landscape, grouped by department then category.

Pure layout: the caller passes plain rows (app.services.publication.item_list reads
them from the database) and the issuer (the bureau's full name). The shipped CJK
font is embedded as a subset, so the text can be searched and copied from the
PDF. Text wraps by the Chinese line rules of app.reports.official.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from app.reports.fonts import register_fonts
from app.reports.official import OfficialParagraph, chinese_number, cn_date
from app.reports.official import styles as official_styles
from app.reports.pages import Footer, NumberedPages

HEADERS = ("序号", "事项编码", "抽查事项", "检查对象", "检查方式", "抽查依据", "比例上限")
# Widths in mm; they add up to the 267 mm between the margins of A4 landscape.
# 序号 holds three digits, 事项编码 a code like "SCJG-JL-001", 比例上限 "不设上限".
WIDTHS_MM = (11, 28, 60, 38, 32, 76, 22)
GROUP_WIDTHS_MM = (11, 28, 58, 50, 120)
NAVY = colors.HexColor("#1f3a5f")
DEPT_FILL = colors.HexColor("#dfe7f2")
CATEGORY_FILL = colors.HexColor("#f2f5f9")


@dataclass(frozen=True)
class ItemListEntry:
    department: str
    category_label: str  # 重点检查事项 / 一般检查事项
    code: str
    name: str
    target_type: str
    methods: str
    legal_basis: str
    ratio_cap: str  # 不设上限 / 5.00% / —


@dataclass(frozen=True)
class JointGroupEntry:
    code: str
    name: str
    departments: str
    items: str


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "issuer": ParagraphStyle(
            "issuer", fontName=font, fontSize=14, leading=20, alignment=TA_CENTER, wordWrap="CJK"
        ),
        "title": ParagraphStyle(
            "title", fontName=font, fontSize=18, leading=24, alignment=TA_CENTER, wordWrap="CJK"
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER
        ),
        "cell": base,
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "head": ParagraphStyle(
            "head", parent=base, alignment=TA_CENTER, textColor=colors.white, fontSize=10
        ),
        "group": ParagraphStyle("group", parent=base, fontSize=10.5, leading=14),
        "section": ParagraphStyle(
            "section", fontName=font, fontSize=13, leading=18, wordWrap="CJK"
        ),
    }


def _p(text: str, style: ParagraphStyle) -> OfficialParagraph:
    return OfficialParagraph(text, style)


def build_item_list_pdf(
    path: Path | str,
    title: str,
    entries: list[ItemListEntry],
    groups: list[JointGroupEntry],
    published_on: date,
    progress: Callable[[int, int], None] | None = None,
    *,
    issuer: str = "",
) -> int:
    """Write the PDF; return its number of pages. `issuer` heads the page and signs it."""
    font = register_fonts()
    st = _styles(font)
    story: list[Any] = []
    if issuer:
        story.append(_p(issuer, st["issuer"]))
    story += [
        _p(title, st["title"]),
        Spacer(1, 2 * mm),
        _p(f"公布日期：{cn_date(published_on)}　　共 {len(entries)} 项", st["subtitle"]),
        Spacer(1, 4 * mm),
    ]
    story.append(_item_table(entries, st, progress))
    if groups:
        story += [Spacer(1, 8 * mm), _p("联合抽查事项", st["section"]), Spacer(1, 2 * mm)]
        story.append(_group_table(groups, st))
    if issuer:
        # 落款 in the body size of an official letter, as on every document.
        sign = official_styles(12).signature
        story += [Spacer(1, 8 * mm), _p(issuer, sign), _p(cn_date(published_on), sign)]

    doc = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=issuer or "双随机一公开监管工作台",
        subject="抽查事项清单",
    )
    pages = NumberedPages(Footer(font, left=issuer, right=title))
    doc.build(story, canvasmaker=pages)
    return pages.count


def _item_table(
    entries: list[ItemListEntry],
    st: dict[str, ParagraphStyle],
    progress: Callable[[int, int], None] | None,
) -> Table:
    rows: list[list[Any]] = [[_p(h, st["head"]) for h in HEADERS]]
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    # Group headings stay on the page of their first item.
    keep_with_next: list[tuple[int, int]] = []
    number = 0
    for d, (dept, dept_entries) in enumerate(groupby(entries, key=lambda e: e.department), 1):
        dept_list = list(dept_entries)
        rows.append(
            [_p(f"{chinese_number(d)}、{dept}（{len(dept_list)} 项）", st["group"])]
            + [""] * (len(HEADERS) - 1)
        )
        r = len(rows) - 1
        style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), DEPT_FILL)]
        keep_with_next.append((r, 2))
        for c, (category, cat_entries) in enumerate(
            groupby(dept_list, key=lambda e: e.category_label), 1
        ):
            rows.append(
                [_p(f"（{chinese_number(c)}）{category}", st["cell"])] + [""] * (len(HEADERS) - 1)
            )
            r = len(rows) - 1
            style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), CATEGORY_FILL)]
            keep_with_next.append((r, 1))
            for e in cat_entries:
                number += 1
                rows.append(
                    [
                        _p(str(number), st["center"]),
                        _p(e.code, st["cell"]),
                        _p(e.name, st["cell"]),
                        _p((e.target_type), st["cell"]),
                        _p(e.methods, st["cell"]),
                        _p((e.legal_basis), st["cell"]),
                        _p((e.ratio_cap), st["center"]),
                    ]
                )
                if progress is not None and number % 50 == 0:
                    progress(number, len(entries))
    last = len(rows) - 1
    style += [("NOSPLIT", (0, r), (-1, min(r + n, last))) for r, n in keep_with_next]
    if len(rows) == 1:
        rows.append([_p("（清单中尚无事项）", st["center"])] + [""] * (len(HEADERS) - 1))
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(rows, colWidths=[w * mm for w in WIDTHS_MM], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _group_table(groups: list[JointGroupEntry], st: dict[str, ParagraphStyle]) -> Table:
    heads = ("序号", "联合事项编码", "联合抽查事项", "涉及部门", "包含的抽查事项")
    rows: list[list[Any]] = [[_p(h, st["head"]) for h in heads]]
    for n, g in enumerate(groups, 1):
        rows.append(
            [
                _p(str(n), st["center"]),
                _p(g.code, st["cell"]),
                _p(g.name, st["cell"]),
                _p(g.departments, st["cell"]),
                _p(g.items, st["cell"]),
            ]
        )
    table = Table(rows, colWidths=[w * mm for w in GROUP_WIDTHS_MM], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), NAVY),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table
