"""What every registry import shares: the report, its row issues, the row handler."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import Cancelled
from app.domain.registry_fields import cell_text
from app.excel.reader import HeaderMatch
from app.excel.writer import write_report
from app.services.access.auth import current_principal, visible_department_ids

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

# Issues whose row values are kept for the report; past this only row and reason.
MAX_ISSUES_WITH_VALUES = 100_000


class ImportCancelled(Cancelled):
    """The user cancelled; the transaction was rolled back."""

    def __init__(self) -> None:
        super().__init__("导入已取消，数据库未做任何修改")


@dataclass
class RowIssue:
    row: int
    reason: str
    column: str = ""  # the column concerned, as 'D 列“成立日期”'; "" for the whole row
    values: list[object] | None = None  # the row's original cells


@dataclass
class ImportReport:
    kind: str
    file: str
    sheet: str = ""
    header_row: int = 0
    headers: list[str] = field(default_factory=list)
    total: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    # How each column was understood: 'A 列“抽查事项” → 事项名称'.
    columns: list[str] = field(default_factory=list)

    def _values(self, cells: list[object]) -> list[object] | None:
        if len(self.rejections) + len(self.warnings) >= MAX_ISSUES_WITH_VALUES:
            return None
        return list(cells)

    def reject(self, row: int, reason: str, cells: list[object]) -> None:
        self.rejected += 1
        self.rejections.append(RowIssue(row, reason, values=self._values(cells)))

    def warn(self, row: int, column: str, reason: str, cells: list[object]) -> None:
        self.warnings.append(RowIssue(row, reason, column, self._values(cells)))

    def summary(self) -> dict[str, int]:
        """The `--json` shape."""
        return {
            "total": self.total,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": len(self.warnings),
        }

    def text(self) -> str:
        """The on-screen summary, in Chinese."""
        s = self.summary()
        return (
            f"共 {s['total']} 行：新增 {s['inserted']}，更新 {s['updated']}，"
            f"未变 {s['unchanged']}，未导入 {s['rejected']}；警告 {s['warnings']} 条"
        )

    def write(self, path: Path | str) -> None:
        """The report workbook: summary, every rejected row and every warning."""
        summary: list[tuple[str, object]] = [
            ("文件", self.file),
            ("工作表", self.sheet),
            ("表头所在行", self.header_row),
            ("结果", self.text()),
            *(("说明", note) for note in self.notes),
            *(("列", line) for line in self.columns),
        ]
        if len(self.rejections) + len(self.warnings) > MAX_ISSUES_WITH_VALUES:
            summary.append(
                ("说明", f"问题行超过 {MAX_ISSUES_WITH_VALUES} 条，其后的行只列出行号和原因")
            )
        write_report(
            path,
            summary,
            self.headers,
            ([i.row, i.reason, *(i.values or [])] for i in self.rejections),
            ([i.row, i.column, i.reason, *(i.values or [])] for i in self.warnings),
        )


class RowHandler:
    """One registry kind: parse rows into records, apply chunks of records.

    parse() returns a record (a dict of column values) or None after
    rejecting the row; apply() writes a chunk of records and counts each as
    inserted, updated or unchanged. A kind whose references are looked up per
    chunk keeps "_row" and "_cells" in its records to reject there.
    """

    chunk_size = 500

    def __init__(
        self, session: Session, report: ImportReport, match: HeaderMatch, expected_rows: int
    ) -> None:
        self.session = session
        self.expected_rows = expected_rows
        self.report = report
        self.match = match
        self.fields = match.fields
        # key → row number of its first occurrence in the file
        self.seen: dict[Any, int] = {}

    def has(self, field_name: str) -> bool:
        return field_name in self.fields

    def cell(self, cells: list[object], field_name: str) -> object:
        pos = self.fields.get(field_name)
        return None if pos is None else cells[pos]

    def text(self, cells: list[object], field_name: str) -> str:
        return cell_text(self.cell(cells, field_name))

    def column(self, field_name: str) -> str:
        """Where a field is in the sheet, for messages: 'D 列“成立日期”'."""
        return self.match.column_name(field_name) if field_name in self.fields else ""

    def warn(self, row: int, field_name: str, reason: str, cells: list[object]) -> None:
        self.report.warn(row, self.column(field_name), reason, cells)

    def first_seen(self, key: object, row: int) -> int | None:
        """The earlier row with this key, or None (and remember this one)."""
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = row
        return first

    def begin(self) -> None:
        """Load lookups before the first row."""

    def parse(self, row: int, cells: list[object]) -> dict[str, Any] | None:
        raise NotImplementedError

    def apply(self, records: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """After the last chunk, still inside the transaction."""


def key_text(value: object) -> str:
    """A code or number typed by hand (执法证号, 事项编码): half-width, no spaces, upper case.

    Department names and codes are matched the same way."""
    return "".join(unicodedata.normalize("NFKC", cell_text(value)).split()).upper()


class DepartmentLookup:
    """Departments by name or code, as clerks write them."""

    def __init__(self, session: Session) -> None:
        from app.models.registry import Department

        self.by_key: dict[str, Department] = {}
        self.names: list[str] = []
        for dept in session.scalars(select(Department).order_by(Department.sort_order)):
            self.by_key[key_text(dept.name)] = dept
            self.by_key.setdefault(key_text(dept.code), dept)
            self.names.append(dept.name)

    def find(self, value: object) -> Any:
        return self.by_key.get(key_text(value))

    def unknown(self, value: object) -> str:
        known = "、".join(self.names[:12]) or "（部门列表为空）"
        return f"部门“{cell_text(value)}”不在部门列表中（现有：{known}），请先添加该部门"


class DepartmentScope:
    """Whose rows the importing user may write: inspectors, items and 回避 belong to a department.

    A user tied to a department imports only that department's rows; a row
    of another department (or one that would take over another department's
    record) is rejected with the reason, the rest of the file imports.
    """

    def __init__(self) -> None:
        self.principal = current_principal()
        self.ids = visible_department_ids(self.principal)

    @property
    def restricted(self) -> bool:
        return self.ids is not None

    def allows(self, department_id: int | None) -> bool:
        return self.ids is None or department_id in self.ids

    def refusal(self, what: str) -> str:
        own = self.principal.department_name or "本部门"
        return f"{what}属于其他部门；“{self.principal.label}”只能导入{own}的数据"


def assign(obj: object, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True when any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
