"""年度抽查计划公示: the plan as an A4 announcement ready to post on the portal.

Layout: title, a line of who and which version, an opening paragraph, an
overview table of the tasks, then one section per task with its items,
departments, scope, ratios and dates. Every page carries "第 x 页 共 y 页".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.reports.fonts import register_fonts
from app.reports.pages import Footer, NumberedPages

if TYPE_CHECKING:
    from app.domain.plan_document import PlanDocument, TaskDocument

MARGIN = 18 * mm
CHINESE_NUMBERS = "一二三四五六七八九十"
GRID = colors.HexColor("#7f7f7f")
HEAD_BG = colors.HexColor("#e8edf3")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=4
        ),
        "meta": ParagraphStyle(
            "meta", parent=base, fontSize=9.5, leading=14, alignment=TA_CENTER, textColor=GRID
        ),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=21),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=20, spaceBefore=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12.5),
        "head": ParagraphStyle("head", parent=base, fontSize=9, leading=12.5, alignment=TA_CENTER),
        # Codes never break inside: "LC-SCJGJ-2026-003" stays on one line.
        "code": ParagraphStyle("code", parent=base, fontSize=8.5, leading=12.5, wordWrap=None),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT, spaceBefore=2),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _grid(data: list[list[Any]], widths: list[float], header: bool = True) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
    else:
        commands.append(("BACKGROUND", (0, 0), (0, -1), HEAD_BG))
    table.setStyle(TableStyle(commands))
    return table


def _overview(doc: PlanDocument, st: dict[str, ParagraphStyle], width: float) -> Table:
    heads = ["序号", "任务编号", "任务名称", "实施部门", "抽查比例", "计划时间"]
    rows: list[list[Any]] = [[_p(h, st["head"]) for h in heads]]
    for n, t in enumerate(doc.tasks, start=1):
        rows.append(
            [
                _p(str(n), st["head"]),
                _p(t.code, st["code"]),
                _p(t.title, st["cell"]),
                _p(t.departments.replace("（每组至少", "（").replace(" 人）", "人）"), st["cell"]),
                _p(t.rules_short, st["cell"]),
                _p(f"{t.planned_start}\n至 {t.planned_end}", st["cell"]),
            ]
        )
    fractions = [0.06, 0.19, 0.25, 0.2, 0.15, 0.15]
    return _grid(rows, [width * f for f in fractions])


def _task_section(
    n: int, t: TaskDocument, st: dict[str, ParagraphStyle], width: float
) -> list[Any]:
    number = CHINESE_NUMBERS[n - 1] if n <= len(CHINESE_NUMBERS) else str(n)
    heading = _p(f"{number}、{t.title}（{t.code}）", st["h2"])
    fields: list[tuple[str, str]] = [
        ("抽查类型", f"{t.joint}，{t.initiator}"),
        ("抽查事项", "\n".join(t.items)),
        ("实施部门", t.departments),
    ]
    limits = [f"{k}：{v}" for k, v in t.scope if v != "不限"]
    fields.append(
        (
            "检查对象范围",
            "登记状态为存续（在业、开业）的市场主体"
            + ("，且符合：\n" + "\n".join(limits) if limits else "，不限区划、类型和行业"),
        )
    )
    fields.append(("抽查比例", "；".join(f"{k}：{v}" for k, v in t.rules)))
    fields += [
        ("批次", f"{t.batches} 批（抽中对象按随机顺序分批检查）" if t.batches > 1 else "1 批"),
        ("检查组", f"每组 {t.team_size} 人，人员区划：{t.district_rule}"),
        ("每人最多检查", t.max_load),
        ("计划时间", t.period),
    ]
    rows = [[_p(k, st["cell"]), _p(v, st["cell"])] for k, v in fields]
    table = _grid(rows, [width * 0.24, width * 0.76], header=False)
    return [KeepTogether([heading, Spacer(1, 2 * mm), table])]


def write_plan_pdf(doc: PlanDocument, path: Path) -> None:
    font = register_fonts()
    st = _styles(font)
    width = A4[0] - 2 * MARGIN
    story: list[Any] = [_p(doc.title, st["title"])]
    meta = [f"计划编号 {doc.code}", doc.kind, f"第 {doc.version_no} 版"]
    if doc.filed_on:
        meta.append(f"{doc.filed_on}备案")
    if doc.published_on:
        meta.append(f"{doc.published_on}公开")
    story += [_p("　".join(meta), st["meta"]), Spacer(1, 5 * mm)]
    story.append(
        _p(
            f"为落实“双随机、一公开”监管工作要求，推进部门联合抽查，“进一次门、查多项事”，"
            f"减少对市场主体正常经营活动的干扰，{doc.lead_department}会同{doc.departments}"
            f"制定了{doc.year}年度抽查计划，共 {len(doc.tasks)} 项抽查任务。"
            "检查对象和执法检查人员均通过随机抽取确定，抽查结果将依法向社会公示。现将计划公示如下。",
            st["body"],
        )
    )
    if doc.note:
        story.append(_p(doc.note, st["body"]))
    story += [Spacer(1, 4 * mm), _overview(doc, st, width)]
    for n, task in enumerate(doc.tasks, start=1):
        story += _task_section(n, task, st, width)
    story += [
        Spacer(1, 6 * mm),
        _p(
            "抽查比例按检查对象的信用风险分类确定；抽取数为该类对象数乘以比例后向上取整。"
            f"本计划第 {doc.version_no} 版校验码（SHA-256）：{doc.version_hash}",
            st["cell"],
        ),
    ]

    story += [
        Spacer(1, 10 * mm),
        _p(doc.lead_department, st["sign"]),
        _p(doc.published_on or doc.filed_on or date.today().strftime("%Y年%m月%d日"), st["sign"]),
    ]

    template = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=22 * mm,
        title=doc.title,
        author=doc.lead_department,
        subject="年度抽查计划公示",
    )
    footer = Footer(
        font,
        left=f"{doc.code}　第 {doc.version_no} 版",
        color="#7f7f7f",
        baseline=10 * mm,
        margin=MARGIN,
        rule_at=14 * mm,
    )
    template.build(story, canvasmaker=NumberedPages(footer))
