"""轻微违法违规经营行为免罚清单 for 公示: the bureau's list as an official-layout PDF."""

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
class ExemptionEntry:
    department: str
    item: str  # 事项名称（代码）
    violation: str
    conditions: str
    legal_basis: str


@dataclass(frozen=True)
class ExemptionList:
    issuer: str
    title: str
    entries: tuple[ExemptionEntry, ...]
    published_on: date


def _story(doc: ExemptionList) -> list[Flowable]:
    st = styles(BODY_SIZE)
    width = TABLE.width(PAGE)
    rows: list[list[Any]] = [
        ["序号", "实施部门", "抽查事项", "违法行为", "不予处罚的情形", "法律依据"]
    ]
    for n, e in enumerate(doc.entries, 1):
        rows.append(
            [
                str(n),
                para(e.department, st.cell),
                para(e.item, st.cell),
                para(e.violation, st.cell),
                para(e.conditions or "首次违法、危害后果轻微并及时改正", st.cell),
                para(e.legal_basis or "—", st.cell),
            ]
        )
    if len(rows) == 1:
        rows.append(["", para("（清单中尚无事项）", st.cell), "", "", "", ""])
    fixed = [10 * mm, 22 * mm, 34 * mm, 36 * mm, 36 * mm]
    return [
        para(doc.title, st.title),
        Spacer(1, 4 * mm),
        para(
            "对清单所列轻微违法违规经营行为，依法责令改正，不予行政处罚；"
            "抽查检查结果公示为“责令改正，依法不予处罚”。",
            st.body,
        ),
        Spacer(1, 2 * mm),
        grid(rows, [*fixed, width - sum(fixed)], centre=0),
        KeepTogether(
            [
                Spacer(1, 10 * mm),
                para(doc.issuer, st.signature),
                para(cn_date(doc.published_on), st.signature),
            ]
        ),
    ]


def write_exemption_list(doc: ExemptionList, out: Path) -> int:
    footer = Footer(styles(BODY_SIZE).font, size=9, baseline=9 * mm, margin=TABLE.left)

    def note(d: ExemptionList) -> str:
        return "免罚清单"

    return build_batch(
        [doc],
        _story,
        note,
        out,
        footer=footer,
        margins=TABLE,
        pagesize=PAGE,
        title=doc.title,
        author=doc.issuer,
    )


def entry_rows(entries: Sequence[ExemptionEntry]) -> list[list[str]]:
    """The same entries as xlsx rows (without the number column)."""
    return [[e.department, e.item, e.violation, e.conditions, e.legal_basis] for e in entries]
