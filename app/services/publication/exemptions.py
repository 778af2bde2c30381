"""轻微违法违规经营行为免罚清单: entries on inspection items, maintained with the item list.

The bureau marks a minor violation of an item as exempt from penalty; a
reviewed result on that item that found a problem and ordered it corrected
is published as "责令改正，依法不予处罚" and counted apart (see content.py).
Exporting the list (PDF or xlsx) for 公示 records the publication.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.domain.auth import Permission
from app.domain.publication import PublicationKind
from app.domain.results import ResultState
from app.excel.publication_writer import write_exemptions_xlsx
from app.models.db import Database
from app.models.inspections import InspectionResult
from app.models.publication import Exemption
from app.models.registry import Department, InspectionItem
from app.reports.exemption_list import (
    ExemptionEntry,
    ExemptionList,
    entry_rows,
    write_exemption_list,
)
from app.services.access.auth import require
from app.services.publication.content import is_exempt
from app.services.publication.records import PublicationError, publisher_name, record_export
from app.services.system.bureau import load_bureau


@dataclass(frozen=True)
class ExemptionRow:
    exemption_id: int
    department: str
    item_code: str
    item_name: str
    violation: str
    conditions: str
    legal_basis: str
    active: bool

    def entry(self) -> ExemptionEntry:
        item = f"{self.item_name}（{self.item_code}）"
        return ExemptionEntry(
            self.department, item, self.violation, self.conditions, self.legal_basis
        )


def list_exemptions(db: Database, *, active_only: bool = True) -> list[ExemptionRow]:
    with db.session() as s:
        require(Permission.VIEW)
        stmt = (
            select(Exemption, InspectionItem, Department)
            .join(InspectionItem, Exemption.item_id == InspectionItem.id)
            .join(Department, InspectionItem.department_id == Department.id)
            .order_by(Department.sort_order, InspectionItem.code, Exemption.id)
        )
        if active_only:
            stmt = stmt.where(Exemption.active.is_(True))
        return [
            ExemptionRow(
                e.id, d.name, i.code, i.name, e.violation, e.conditions, e.legal_basis, e.active
            )
            for e, i, d in s.execute(stmt).all()
        ]


def add_exemption(
    db: Database, item_code: str, violation: str, *, conditions: str = "", legal_basis: str = ""
) -> int:
    """Mark a minor violation of an item exempt (the item's department edits its list)."""
    violation = violation.strip()
    if not violation:
        raise PublicationError("请填写免罚的违法行为")
    with db.session() as s:
        item = s.scalar(select(InspectionItem).where(InspectionItem.code == item_code.strip()))
        if item is None:
            raise PublicationError(f"找不到抽查事项“{item_code}”")
        require(Permission.EDIT_REGISTRIES, department_id=item.department_id)
        have = s.scalar(
            select(Exemption).where(Exemption.item_id == item.id, Exemption.violation == violation)
        )
        if have is not None:
            if have.active:
                raise PublicationError(f"事项“{item.code}”的“{violation}”已在免罚清单中")
            have.active = True
            s.flush()
            return have.id
        row = Exemption(
            item_id=item.id,
            violation=violation[:300],
            conditions=conditions.strip(),
            legal_basis=legal_basis.strip(),
            active=True,
            entered_by=publisher_name(),
        )
        s.add(row)
        s.flush()
        return row.id


def remove_exemption(db: Database, exemption_id: int) -> None:
    """Take an entry off the list (kept, inactive: published results keep their wording)."""
    with db.session() as s:
        row = s.get(Exemption, exemption_id)
        if row is None:
            raise PublicationError(f"找不到免罚清单条目 {exemption_id}")
        require(Permission.EDIT_REGISTRIES, department_id=row.item.department_id)
        row.active = False
        s.flush()


def exempt_result_count(db: Database, year: int | None = None) -> int:
    """Reviewed results shown as 责令改正，依法不予处罚 (counted apart from penalised ones)."""
    with db.session() as s:
        require(Permission.VIEW)
        items = set(s.scalars(select(Exemption.item_id).where(Exemption.active.is_(True))))
        if not items:
            return 0
        stmt = select(InspectionResult).where(
            InspectionResult.item_id.in_(items),
            InspectionResult.is_problem.is_(True),
            InspectionResult.state.in_([ResultState.APPROVED.value, ResultState.PUBLISHED.value]),
        )
        if year is not None:
            stmt = stmt.where(func.extract("year", InspectionResult.inspected_on) == year)
        return sum(is_exempt(r, items) for r in s.scalars(stmt))


def export_exemptions(db: Database, out: Path | str, *, published_on: date | None = None) -> Path:
    """Write the list as .pdf or .xlsx (by suffix) and record it as published."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise PublicationError(f"输出文件须为 .pdf 或 .xlsx：{out.name}")
    bureau = load_bureau(db)
    on = published_on or date.today()
    rows = list_exemptions(db)
    title = f"{bureau.full_name}轻微违法违规经营行为免罚清单"
    entries = tuple(r.entry() for r in rows)
    with tempfile.TemporaryDirectory(prefix="dr-ex-") as tmp:
        part = Path(tmp) / f"part{suffix}"
        if suffix == ".pdf":
            write_exemption_list(ExemptionList(bureau.full_name, title, entries, on), part)
        else:
            write_exemptions_xlsx(title, entry_rows(entries), part)
        out.write_bytes(part.read_bytes())
    record_export(
        db,
        kind=PublicationKind.EXEMPTIONS,
        subject_key=f"exemptions{suffix}",
        title=title,
        year=on.year,
        path=out,
        published_on=on,
        content={"entries": [e.__dict__ for e in entries]},
    )
    return out
