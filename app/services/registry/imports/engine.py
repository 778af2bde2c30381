"""Import a registry spreadsheet: one engine for targets, inspectors, items and recusals.

`import_registry` reads the first matching sheet row by row, hands each row
to the kind's handler (which parses it into a record or rejects it), applies
records in chunks, and does all of it in one transaction: an unreadable
file, a crash or a cancel leaves the database exactly as it was.

Rules shared by every kind: a row missing a required field, with an invalid
key, or whose key appeared on an earlier row is rejected; an invalid optional
field is left out of the row (a new record gets the default, an existing one
keeps its value) with a warning. Columns absent from the file never touch
existing records. inserted + updated + unchanged + rejected == total.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.excel.reader import HeaderMatch, SheetReader, WorkbookError
from app.excel.templates import TEMPLATES
from app.models.auditing import lock_chain
from app.models.db import Database
from app.services.access import audit
from app.services.access.auth import Permission, require
from app.services.registry.imports.base import (
    Cancel,
    ImportCancelled,
    ImportReport,
    Progress,
    RowHandler,
    RowIssue,
)
from app.services.registry.imports.columns import describe, understanding_notes
from app.services.registry.imports.inspectors import InspectorHandler
from app.services.registry.imports.items import ItemHandler
from app.services.registry.imports.recusals import RecusalHandler
from app.services.registry.imports.targets import TargetHandler

__all__ = [
    "ImportCancelled",
    "ImportReport",
    "RowHandler",
    "RowIssue",
    "WorkbookError",
    "import_registry",
]

# The table each kind writes, as the audit log names it.
AUDIT_ENTITIES: dict[str, str] = {
    "targets": "targets",
    "inspectors": "inspectors",
    "items": "inspection_items",
    "recusals": "recusals",
}

HANDLERS: dict[str, type[RowHandler]] = {
    "targets": TargetHandler,
    "inspectors": InspectorHandler,
    "items": ItemHandler,
    "recusals": RecusalHandler,
}


# Kinds read as bureaus publish them (merged cells, title and note rows).
PUBLISHED_KINDS = frozenset({"items"})


def skipped_note(rows: list[int]) -> str:
    shown = "、".join(str(r) for r in rows[:20]) + ("……" if len(rows) > 20 else "")
    return f"第 {shown} 行只有一格内容（表格标题、分类标题或说明），已跳过"


def _file_notes(report: ImportReport, match: HeaderMatch) -> None:
    report.notes.append(f"数据取自工作表“{match.sheet_name}”，表头在第 {match.header_row} 行")
    if match.extra_columns:
        report.notes.append(
            "以下列不属于模板，已忽略：" + "、".join(f"“{h}”" for h in match.extra_columns)
        )
    missing = [c.header for c in match.missing if not c.required]
    if missing:
        report.notes.append(
            "文件中没有以下列，已有记录的这些信息保持不变：" + "、".join(f"“{h}”" for h in missing)
        )


# Advisory lock keys of the imports, one per kind ("DRIMP" + a number).
_PG_IMPORT_KEYS = {kind: 0x4452_494D_5000 + n for n, kind in enumerate(sorted(TEMPLATES))}


def serialise_imports(session: Session, kind: str) -> None:
    """One import of a kind at a time, holding the lock until the transaction ends.

    Two imports of the same file at once both saw the rows missing and both
    inserted them (the second died on the unique key), and two updating the
    same rows recorded "before" values the other had already replaced. On
    PostgreSQL the second waits for the first's advisory lock and then reads
    what it committed; on SQLite the import takes the database write lock at
    once (busy timeout, then a Chinese DatabaseBusy), not after reading.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_IMPORT_KEYS[kind]})
    else:
        lock_chain(conn)


def import_registry(
    db: Database,
    kind: str,
    path: Path | str,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    columns: Mapping[int, str | None] | None = None,
) -> ImportReport:
    """Import `path` into the `kind` registry in one transaction.

    Raises WorkbookError when the file cannot be read at all and
    ImportCancelled when cancel() returned True; in both cases nothing changed.
    progress(rows read, rows expected) is called after each chunk. `columns`
    assigns columns by hand (position → field, None to ignore), as the preview
    dialog lets a clerk do; an item list is read as published lists are laid out
    (merged cells filled down, one-cell title and note rows skipped).
    """
    if kind not in TEMPLATES:
        raise ValueError(f"未知的名录类型“{kind}”，应为 {'、'.join(TEMPLATES)} 之一")
    # Inspectors, items and 回避 rows of other departments are rejected row by row.
    require(Permission.EDIT_REGISTRIES)
    path = Path(path)
    published = kind in PUBLISHED_KINDS
    with SheetReader(path, TEMPLATES[kind], published=published, overrides=columns) as reader:
        match = reader.match
        report = ImportReport(
            kind, str(path), match.sheet_name, match.header_row, list(match.headers)
        )
        report.extra_columns = list(match.extra_columns)
        report.columns = [c.line() for c in describe(match, TEMPLATES[kind])]
        _file_notes(report, match)
        report.notes += understanding_notes(match, TEMPLATES[kind])
        expected = reader.row_estimate
        with db.session() as session:
            serialise_imports(session, kind)
            handler = HANDLERS[kind](session, report, match, expected)
            handler.begin()
            chunk: list[dict[str, Any]] = []
            for row, cells in reader.rows():
                report.total += 1
                record = handler.parse(row, cells)
                if record is not None:
                    chunk.append(record)
                if report.total % handler.chunk_size == 0:
                    if cancel is not None and cancel():
                        raise ImportCancelled
                    handler.apply(chunk)
                    chunk = []
                    if progress is not None:
                        progress(report.total, expected)
            handler.apply(chunk)
            handler.finish()
            if reader.skipped:
                report.notes.append(skipped_note(reader.skipped))
            if cancel is not None and cancel():
                raise ImportCancelled
            audit.record(
                session,
                "import",
                AUDIT_ENTITIES[kind],
                None,
                None,
                {"file": path.name, "sheet": match.sheet_name, **report.summary()},
            )
    if progress is not None:
        progress(report.total, report.total)
    return report
