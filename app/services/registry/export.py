"""Export a registry to xlsx with exactly its import template's columns.

Values are written the way import reads them back (dates as 2019-03-01,
ratio caps as 5.00%, lists joined with “、”, checkpoints as numbered
“要点｜依据” lines), so export → import changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.item_fields import format_checkpoints, format_ratio_cap, format_yes_no
from app.domain.registry import ItemCategory
from app.domain.registry_fields import format_date, format_industry, format_list
from app.excel.templates import TEMPLATES
from app.excel.writer import StreamWorkbook, template_widths
from app.models.db import Database
from app.models.registry import (
    Department,
    InspectionGuide,
    InspectionItem,
    Inspector,
    Recusal,
    Target,
)
from app.services.access.auth import Permission, require

Row = list[object]
Progress = Callable[[int], None]
_BATCH = 5000

# Per kind: the template fields in column order, checked against the template by the tests.
EXPORT_FIELDS: dict[str, tuple[str, ...]] = {
    "targets": (
        "uscc",
        "name",
        "legal_rep",
        "address",
        "division_code",
        "entity_type",
        "industry",
        "reg_status",
        "risk_class",
        "founded_on",
        "phone",
        "tags",
    ),
    "inspectors": (
        "name",
        "department",
        "badge_no",
        "badge_expires_on",
        "qualifications",
        "expertise",
        "district_code",
        "status",
        "phone",
    ),
    "items": (
        "code",
        "name",
        "department",
        "category",
        "ratio_cap",
        "legal_basis",
        "methods",
        "target_type",
        "joint_allowed",
        "procedure",
        "checkpoints",
    ),
    "recusals": ("badge_no", "uscc", "reason", "recorded_on"),
}


def _targets(s: Session) -> Iterator[Row]:
    t = Target.__table__.c
    stmt = (
        select(
            t.uscc,
            t.name,
            t.legal_rep,
            t.address,
            t.division_code,
            t.entity_type,
            t.industry_code,
            t.industry_name,
            t.reg_status,
            t.risk_class,
            t.founded_on,
            t.phone,
            t.tags,
        )
        .order_by(t.id)
        .execution_options(yield_per=_BATCH)
    )
    for r in s.execute(stmt):
        yield [
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            format_industry(r[6], r[7]),
            r[8],
            r[9],
            format_date(r[10]),
            r[11],
            format_list(r[12] or []),
        ]


def _inspectors(s: Session) -> Iterator[Row]:
    stmt = (
        select(Inspector)
        .options(selectinload(Inspector.department), selectinload(Inspector.qualifications))
        .order_by(Inspector.id)
    )
    for i in s.scalars(stmt):
        yield [
            i.name,
            i.department.name,
            i.badge_no,
            format_date(i.badge_expires_on),
            format_list(sorted(q.code for q in i.qualifications)),
            format_list(i.expertise or []),
            i.district_code,
            i.status.value,
            i.phone,
        ]


def _items(s: Session) -> Iterator[Row]:
    stmt = (
        select(InspectionItem)
        .join(Department, InspectionItem.department_id == Department.id)
        .options(
            selectinload(InspectionItem.department),
            selectinload(InspectionItem.guide).selectinload(InspectionGuide.checkpoints),
        )
        .order_by(Department.sort_order, Department.id, InspectionItem.code)
    )
    for i in s.scalars(stmt):
        guide = i.guide
        yield [
            i.code,
            i.name,
            i.department.name,
            ItemCategory(i.category).label,
            format_ratio_cap(i.ratio_cap_bp),
            i.legal_basis,
            format_list(i.methods or []),
            i.target_type,
            format_yes_no(i.joint_allowed),
            guide.procedure if guide else "",
            format_checkpoints([(c.text, c.basis) for c in guide.checkpoints] if guide else []),
        ]


def _recusals(s: Session) -> Iterator[Row]:
    stmt = (
        select(Inspector.badge_no, Target.uscc, Recusal.reason, Recusal.recorded_on)
        .join(Inspector, Recusal.inspector_id == Inspector.id)
        .join(Target, Recusal.target_id == Target.id)
        .order_by(Recusal.id)
    )
    for badge, code, reason, recorded in s.execute(stmt):
        yield [badge, code, reason, format_date(recorded)]


_ROWS: dict[str, Callable[[Session], Iterator[Row]]] = {
    "targets": _targets,
    "inspectors": _inspectors,
    "items": _items,
    "recusals": _recusals,
}


def _counted(rows: Iterator[Row], progress: Progress | None) -> Iterator[Row]:
    for n, row in enumerate(rows, start=1):
        yield row
        if progress is not None and n % _BATCH == 0:
            progress(n)


def export_registry(
    db: Database, kind: str, path: Path | str, *, progress: Progress | None = None
) -> int:
    """Write the `kind` registry to `path`; returns the number of rows written.

    progress(rows written) is called every few thousand rows. The file
    appears only once complete.
    """
    if kind not in TEMPLATES:
        raise ValueError(f"未知的名录类型“{kind}”，应为 {'、'.join(TEMPLATES)} 之一")
    require(Permission.VIEW)  # the registries are shared: every department reads them
    template = TEMPLATES[kind]
    with db.session() as s, StreamWorkbook(path) as wb:
        count = wb.add_sheet(
            template.sheet_name,
            template.headers,
            _counted(_ROWS[kind](s), progress),
            widths=template_widths(template),
            wrap=kind == "items",
        )
    if progress is not None:
        progress(count)
    return count
