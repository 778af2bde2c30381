"""抽查结果公告 (and its 更正): the results of one task made public, per enterprise.

Official layout (app.reports.official): the title with the issuer's full name,
the 文号, the opening, one table row per enterprise (name and code, inspection
date, departments, the result of each item — on a joint task each item names
its department: 记名公示), 特此公告, the 落款 and date, 第 x 页 共 y 页.
A correction says 更正 in the title, names the announcement it corrects, the
reason and what changed. Pure layout: the publication service fills the
dataclasses below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.reports.batch import build_batch
from app.reports.official import PAGE, TABLE, cn_date, para, styles
from app.reports.pages import Footer
from app.reports.tables import grid

BODY_SIZE = 12


@dataclass(frozen=True)
class AnnouncedItem:
    item_code: str
    item_name: str
    department: str
    result: str
    finding: str = ""


@dataclass(frozen=True)
class AnnouncedEnterprise:
    name: str
    uscc: str
    inspected_on: str  # 2026-05-12 (or a range when the items differ)
    departments: tuple[str, ...]
    items: tuple[AnnouncedItem, ...]


@dataclass(frozen=True)
class Correction:
    corrects_title: str
    corrects_doc_number: str
    corrects_published_on: date
    reason: str
    changes: tuple[str, ...]  # one line per changed enterprise and item


@dataclass(frozen=True)
class ResultAnnouncement:
    issuer: str
    title: str
    doc_number: str
    task_code: str
    task_title: str
    kind_label: str  # 双随机抽查 / 个案检查 / 专项检查
    is_joint: bool
    departments: tuple[str, ...]
    window: str  # 2026年4月1日至2026年6月30日
    enterprises: tuple[AnnouncedEnterprise, ...]
    published_on: date
    correction: Correction | None = None
    exempt_count: int = 0


def _opening(a: ResultAnnouncement) -> str:
    joint = ""
    if a.is_joint and a.departments:
        joint = f"由{'、'.join(a.departments)}联合实施，"
    return (
        f"按照“双随机、一公开”监管工作要求，{a.window}，对“{a.task_title}”"
        f"（任务编号：{a.task_code}，{a.kind_label}）{joint}"
        f"共检查市场主体 {len(a.enterprises)} 户。现将检查结果公告如下："
    )


def _results_cell(e: AnnouncedEnterprise, named: bool) -> str:
    lines = []
    for k, item in enumerate(e.items, 1):
        who = f"（{item.department}）" if named and item.department else ""
        text = f"{k}.{item.item_name}{who}：{item.result}"
        if item.finding:
            text += f"，{item.finding}"
        lines.append(text)
    return "\n".join(lines) or "—"


def _table(a: ResultAnnouncement, width: float) -> Flowable:
    st = styles(BODY_SIZE)
    rows: list[list[Any]] = [
        ["序号", "企业名称及统一社会信用代码", "检查日期", "检查部门", "检查结果"]
    ]
    for n, e in enumerate(a.enterprises, 1):
        rows.append(
            [
                str(n),
                para(f"{e.name}\n{e.uscc}", st.cell),
                para(e.inspected_on or "—", st.cell_center),
                para("、".join(e.departments) or "—", st.cell),
                para(_results_cell(e, a.is_joint or len(a.departments) > 1), st.cell),
            ]
        )
    if len(rows) == 1:
        rows.append(["", para("（无）", st.cell), "", "", ""])
    fixed = [10 * mm, 48 * mm, 22 * mm, 26 * mm]
    return grid(rows, [*fixed, width - sum(fixed)], centre=0)


def announcement_story(a: ResultAnnouncement) -> list[Flowable]:
    st = styles(BODY_SIZE)
    width = TABLE.width(PAGE)
    story: list[Flowable] = [para(a.title, st.title)]
    story.append(para(a.doc_number, st.doc_number) if a.doc_number else Spacer(1, 4 * mm))
    if a.correction is not None:
        c = a.correction
        story += [
            para(
                f"本局于{cn_date(c.corrects_published_on)}发布的《{c.corrects_title}》"
                f"（{c.corrects_doc_number or '无文号'}）有误，现予更正。更正原因：{c.reason}",
                st.body,
            ),
            para("更正内容：", st.heading),
            *(para(f"{k}.{line}", st.plain) for k, line in enumerate(c.changes, 1)),
            para("更正后的检查结果全文如下：", st.body),
        ]
    story += [para(_opening(a), st.body), Spacer(1, 2 * mm), _table(a, width), Spacer(1, 2 * mm)]
    if a.exempt_count:
        story.append(
            para(
                f"其中 {a.exempt_count} 项属于轻微违法违规经营行为免罚清单情形，"
                "已责令改正，依法不予处罚。",
                st.body,
            )
        )
    story.append(
        KeepTogether(
            [
                para("特此公告。", st.body),
                Spacer(1, 10 * mm),
                para(a.issuer, st.signature),
                para(cn_date(a.published_on), st.signature),
            ]
        )
    )
    return story


def write_announcement(a: ResultAnnouncement, out: Path) -> int:
    """Write the announcement PDF to `out`; return its page count."""
    footer = Footer(styles(BODY_SIZE).font, size=9, baseline=9 * mm, margin=TABLE.left)

    def note(doc: ResultAnnouncement) -> str:
        return doc.doc_number or doc.task_code

    return build_batch(
        [a],
        announcement_story,
        note,
        out,
        footer=footer,
        margins=TABLE,
        pagesize=PAGE,
        title=a.title,
        author=a.issuer,
    )


def enterprise_dates(days: Sequence[str]) -> str:
    """One date, or first–last when the items were inspected on different days."""
    got = sorted({d for d in days if d})
    if not got:
        return ""
    return got[0] if len(got) == 1 else f"{got[0]}至{got[-1]}"
