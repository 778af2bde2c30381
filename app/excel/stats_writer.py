"""统计分析 workbooks: one sheet per table (headline, breakdowns, duty record, drill lists)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.excel.writer import StreamWorkbook


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


def write_sheets(path: Path | str, sheets: Sequence[Sheet]) -> None:
    """One sheet per table; the file appears only when complete."""
    with StreamWorkbook(path) as wb:
        for sheet in sheets:
            wb.add_sheet(sheet.name[:31], list(sheet.headers), sheet.rows)
