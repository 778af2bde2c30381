"""年度抽查计划公示: the plan as an A4 announcement ready to post on the portal.

Official layout (app.reports.official): title, the 文号 of the filed plan under
it, a line of which plan and version, an opening paragraph, an overview table
of the tasks, one section per task, and the 落款 with the bureau's full name.
A draft printed for consultation says so on every page (征求意见稿) and asks
for comments instead of announcing anything. Every page carries
"第 x 页 共 y 页".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table

from app.reports.official import (
    TABLE,
    Styles,
    chinese_number,
    heading_block,
    para,
    signature_block,
    styles,
)
from app.reports.pages import Footer, NumberedPages
from app.reports.tables import grid

if TYPE_CHECKING:
    from app.domain.plan_document import PlanDocument, TaskDocument

BODY_SIZE = 12
DRAFT_MARK = "征求意见稿"


def rules_text(rules: tuple[tuple[str, str], ...]) -> str:
    """Ratios by risk class in a narrow cell: the most common one as "其余",
    the others by class, one a line ("A类 2%\nB类 3%\n其余 5%"); all equal: "各类 5%"."""
    if not rules:
        return "—"
    counts: dict[str, int] = {}
    for _k, v in rules:
        counts[v] = counts.get(v, 0) + 1
    common = max(counts, key=lambda v: counts[v])  # the first of the most common
    if counts[common] == len(rules):
        return f"各类 {common}" if len(rules) > 1 else f"{rules[0][0]} {common}"
    lines = [f"{k} {v}" for k, v in rules if v != common]
    if counts[common] == 1:
        lines += [f"{k} {v}" for k, v in rules if v == common]
    else:
        lines.append(f"其余 {common}")
    return "\n".join(lines)


def _overview(doc: PlanDocument, st: Styles, width: float) -> Table:
    heads = ["序号", "任务编号", "任务名称", "实施部门", "抽查比例", "计划时间"]
    rows: list[list[Any]] = [heads]
    for n, t in enumerate(doc.tasks, start=1):
        rows.append(
            [
                str(n),
                t.code,
                para(t.title, st.cell),
                para(t.departments.replace("（每组至少 ", "（").replace(" 人）", "人）"), st.cell),
                para(rules_text(t.rules), st.cell),
                para(f"{t.planned_start}\n至{t.planned_end}", st.cell),
            ]
        )
    # 任务编号 fits "LC-SCJGJ-2026-003" on one line; 计划时间 a date per line.
    fixed = [10 * mm, 36 * mm]
    rest = width - sum(fixed) - 26 * mm - 24 * mm
    widths = [*fixed, rest * 0.5, rest * 0.5, 24 * mm, 26 * mm]
    return grid(rows, widths, font_size=9.5, centre=0)


def _task_section(n: int, t: TaskDocument, st: Styles, width: float) -> list[Any]:
    heading = para(f"{chinese_number(n)}、{t.title}（{t.code}）", st.heading)
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
    fields.append(("抽查比例", "；".join(f"{k} {v}" for k, v in t.rules)))
    fields += [
        ("批次", f"{t.batches} 批（抽中对象按随机顺序分批检查）" if t.batches > 1 else "1 批"),
        ("检查组", f"每组 {t.team_size} 人，人员区划：{t.district_rule}"),
        ("每人最多检查", t.max_load),
        ("计划时间", t.period),
    ]
    rows = [[k, para(v, st.cell)] for k, v in fields]
    table = grid(rows, [30 * mm, width - 30 * mm], head=False, font_size=10)
    return [KeepTogether([heading, Spacer(1, 1 * mm), table])]


def _opening(doc: PlanDocument) -> str:
    lead = (
        f"为落实“双随机、一公开”监管工作要求，推进部门联合抽查，“进一次门、查多项事”，"
        f"减少对市场主体正常经营活动的干扰，{doc.lead_department}会同{doc.departments}"
    )
    if doc.is_draft:
        return (
            f"{lead}拟订了{doc.year}年度抽查计划（征求意见稿），共 {len(doc.tasks)} 项抽查任务。"
            "检查对象和执法检查人员均将通过随机抽取确定。现公开征求意见，"
            "欢迎有关单位和社会各界提出意见和建议。本稿不是正式计划，请勿据此开展检查。"
        )
    return (
        f"{lead}制定了{doc.year}年度抽查计划，共 {len(doc.tasks)} 项抽查任务。"
        "检查对象和执法检查人员均通过随机抽取确定，抽查结果将依法向社会公示。"
        "现将计划公示如下。"
    )


def _title(doc: PlanDocument) -> str:
    if doc.is_draft and not any(w in doc.title for w in ("草案", "征求意见稿")):
        return f"{doc.title}（{DRAFT_MARK}）"
    return doc.title


def write_plan_pdf(doc: PlanDocument, path: Path) -> None:
    st = styles(BODY_SIZE)
    width = TABLE.width(A4)
    meta = [f"计划编号 {doc.code}", doc.kind, f"第 {doc.version_no} 版"]
    if doc.filed_on:
        meta.append(f"{doc.filed_on}备案")
    if doc.published_on:
        meta.append(f"{doc.published_on}公开")
    story: list[Any] = heading_block(st, _title(doc), doc_number=doc.doc_number)
    story += [para("　".join(meta), _meta_style(st)), Spacer(1, 3 * mm)]
    story.append(para(_opening(doc), st.body))
    if doc.note:
        story.append(para(doc.note, st.body))
    story += [Spacer(1, 3 * mm), _overview(doc, st, width)]
    for n, task in enumerate(doc.tasks, start=1):
        story += _task_section(n, task, st, width)
    story += [
        Spacer(1, 4 * mm),
        para(
            "抽查比例按检查对象的信用风险分类确定；抽取数为该类对象数乘以比例后向上取整。"
            f"本计划第 {doc.version_no} 版校验码（SHA-256）：{doc.version_hash}",
            st.small,
        ),
    ]
    day = doc.published_on or doc.filed_on or date.today()
    story += signature_block(st, doc.issuer or doc.lead_department, day)

    template = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=TABLE.left,
        rightMargin=TABLE.right,
        topMargin=TABLE.top + (6 * mm if doc.is_draft else 0),
        bottomMargin=22 * mm,
        title=_title(doc),
        author=doc.issuer or doc.lead_department,
        subject="年度抽查计划（征求意见稿）" if doc.is_draft else "年度抽查计划公示",
    )
    footer = Footer(
        st.font,
        left=f"{doc.code}　第 {doc.version_no} 版" + (f"　{DRAFT_MARK}" if doc.is_draft else ""),
        color="#555555",
        baseline=10 * mm,
        margin=TABLE.left,
        rule_at=14 * mm,
        mark=DRAFT_MARK if doc.is_draft else "",
    )
    template.build(story, canvasmaker=NumberedPages(footer))


def _meta_style(st: Styles) -> ParagraphStyle:
    return ParagraphStyle("plan-meta", parent=st.cell, alignment=1, textColor="#555555")
