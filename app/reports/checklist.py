"""检查记录表: the form inspectors fill in on site, one per target.

Built from the items' checkpoints (the inspection guide): each checkpoint with
its basis, boxes for the finding (是 / 否 / 不适用) and room to write what was
found; signature lines for the inspectors and the enterprise. Pure layout: the
inspections service fills the dataclasses below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from app.reports.batch import Cancelled, Progress, build_batch, build_files, safe_file_name
from app.reports.linebreak import keep
from app.reports.official import PAGE, TABLE, Styles, chinese_number, cn_date, para, styles
from app.reports.pages import Footer
from app.reports.tables import grid

TITLE = "检查记录表"
BODY_SIZE = 11
FINDINGS = ("是", "否", "不适用")


@dataclass(frozen=True)
class ChecklistPoint:
    text: str  # what to check: 是否在显著位置公示营业执照
    basis: str = ""  # 《…》第…条


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    name: str
    department: str = ""
    basis: str = ""
    points: tuple[ChecklistPoint, ...] = ()


@dataclass(frozen=True)
class ChecklistMember:
    name: str
    badge_no: str  # 执法证号
    department: str = ""


@dataclass(frozen=True)
class InspectionChecklist:
    issuer: str  # the bureau's full name
    task_code: str
    task_name: str
    target_name: str
    uscc: str
    address: str
    items: tuple[ChecklistItem, ...]
    team: tuple[ChecklistMember, ...]
    window_start: date
    window_end: date
    doc_number: str = ""  # the notice's 文号, when the form goes with one
    # The row naming what the visit belongs to: a drawn task, or a case inspection's source.
    task_label: str = "抽查任务"


def _facts(c: InspectionChecklist, st: Styles, width: float) -> Table:
    team = "、".join(
        keep(m.name) + (f"（执法证号：{m.badge_no}）" if m.badge_no else "") for m in c.team
    )
    rows = [
        ("被检查单位", c.target_name),
        ("统一社会信用代码", c.uscc),
        ("地址", c.address or "—"),
        (c.task_label, f"{c.task_name}（{c.task_code}）"),
        ("检查期限", f"{cn_date(c.window_start)}至{cn_date(c.window_end)}"),
        ("检查人员", team or "—"),
        ("检查时间", "　　　　年　　月　　日　　时　　分至　　时　　分"),
    ]
    data: list[list[Any]] = [[para(k, st.cell), para(v, st.cell)] for k, v in rows]
    return grid(data, [32 * mm, width - 32 * mm], head=False)


class _Box(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """An empty square to tick: the font's □ is too small to mark by pen."""

    def __init__(self, side: float = 3.8 * mm) -> None:
        super().__init__()
        self.side = side
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        self.canv.setLineWidth(0.7)
        self.canv.rect(0, 0, self.side, self.side, stroke=1, fill=0)


def _item_table(item: ChecklistItem, st: Styles, width: float) -> Table:
    head = ["序号", "检查内容及依据", *FINDINGS, "检查情况"]
    rows: list[list[Any]] = [[para(h, st.head) for h in head]]
    points = item.points or (ChecklistPoint("按检查指引逐项检查", item.basis),)
    for k, p in enumerate(points, 1):
        content: list[Any] = [para(p.text, st.cell)]
        if p.basis:
            content.append(para(f"依据：{p.basis}", st.small))
        boxes = [_Box() for _ in FINDINGS]
        rows.append([para(str(k), st.cell_center), content, *boxes, ""])
    fixed = [10 * mm, 0.0, 10 * mm, 10 * mm, 14 * mm, 44 * mm]
    fixed[1] = width - sum(fixed)
    table = Table(rows, colWidths=fixed, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#555555"),
                ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("ALIGN", (2, 1), (4, -1), "CENTER"),
                # Room to write by hand.
                ("TOPPADDING", (0, 1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 10),
            ]
        )
    )
    return table


def _signatures(c: InspectionChecklist, st: Styles, width: float) -> list[Flowable]:
    line = "＿" * 10
    rows = [
        [para("检查人员签字：", st.plain), para(line, st.plain), para("日期：", st.plain)],
        [para("被检查单位负责人签字：", st.plain), para(line, st.plain), para("日期：", st.plain)],
    ]
    table = Table(rows, colWidths=[52 * mm, 70 * mm, width - 122 * mm], rowHeights=12 * mm)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    remarks = grid(
        [
            [para("其他需要说明的情况", st.cell)],
            [Spacer(1, 22 * mm)],
            [para("被检查单位意见：", st.cell)],
            [Spacer(1, 14 * mm)],
        ],
        [width],
        head=False,
    )
    return [KeepTogether([remarks, Spacer(1, 2 * mm), table])]


def checklist_story(c: InspectionChecklist, width: float | None = None) -> list[Flowable]:
    st = styles(BODY_SIZE)
    width = width if width is not None else TABLE.width(PAGE)
    story: list[Flowable] = [para(c.issuer, st.issuer), para(TITLE, st.title)]
    story.append(para(c.doc_number, st.doc_number) if c.doc_number else Spacer(1, 3 * mm))
    story += [_facts(c, st, width), Spacer(1, 3 * mm)]
    for k, item in enumerate(c.items, 1):
        head = f"{chinese_number(k)}、{item.name}（{item.code}）"
        if item.department:
            head += f"　实施部门：{item.department}"
        # A heading never ends a page: it keeps its basis and first checkpoints.
        story += [CondPageBreak(55 * mm), para(head, st.heading)]
        if item.basis:
            story.append(para(f"检查依据：{item.basis}", st.small))
        story += [Spacer(1, 1 * mm), _item_table(item, st, width), Spacer(1, 3 * mm)]
    story += _signatures(c, st, width)
    return story


def _note(c: InspectionChecklist) -> str:
    return f"{TITLE}　{c.task_code}　{c.uscc}"


def _footer() -> Footer:
    return Footer(
        styles(BODY_SIZE).font, size=9, baseline=9 * mm, margin=TABLE.left, number_at="right"
    )


def write_checklists(
    checklists: Sequence[InspectionChecklist],
    out: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """All checklists in one PDF, each from a new page; return the page count."""
    return build_batch(
        checklists,
        checklist_story,
        _note,
        out,
        footer=_footer(),
        margins=TABLE,
        pagesize=PAGE,
        title=TITLE,
        author=checklists[0].issuer if checklists else "",
        progress=progress,
        cancelled=cancelled,
    )


def write_checklist_files(
    checklists: Sequence[InspectionChecklist],
    folder: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[Path]:
    """One PDF per target in `folder`, named from its name and code."""
    return build_files(
        checklists,
        checklist_story,
        _note,
        lambda c: safe_file_name(f"{TITLE}_{c.target_name}", c.uscc),
        folder,
        footer=_footer(),
        margins=TABLE,
        pagesize=PAGE,
        title=TITLE,
        author=checklists[0].issuer if checklists else "",
        progress=progress,
        cancelled=cancelled,
    )
