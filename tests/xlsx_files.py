"""Real xlsx files for import tests, written with openpyxl."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook

from app.excel.templates import TARGETS


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    title: str | None = None,
    sheet: str = "Sheet1",
    before: Sequence[str] = (),
) -> Path:
    """rows[0] is the header. `title` goes in a merged row above it; `before`
    names sheets (with unrelated content) placed ahead of the data sheet."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    for i, name in enumerate(before):
        ws = first if i == 0 else wb.create_sheet(name)
        ws.title = name
        ws.append(["说明", "本表为汇总，不含名录数据"])
    ws = first if not before else wb.create_sheet(sheet)
    ws.title = sheet
    if title:
        ws.append([title])
        width = max(len(r) for r in rows)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 2))
        ws.append([])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def target_rows(
    codes: Sequence[object], columns: dict[str, Sequence[object]] | None = None
) -> list[list[object]]:
    """Header 统一社会信用代码/名称 (+ given columns, header → values) and one row per code."""
    columns = columns or {}
    header = ["统一社会信用代码", "名称", *columns]
    rows: list[list[object]] = [header]
    for n, code in enumerate(codes):
        rows.append([code, f"聊城市测试商贸{n}有限公司", *(v[n] for v in columns.values())])
    return rows


def read_back(path: Path) -> list[list[object]]:
    """Every row of the first sheet as values (openpyxl)."""
    return read_sheets(path)[0]


def read_sheets(path: Path) -> list[list[list[object]]]:
    """Every sheet's rows as values (openpyxl), the file closed again."""
    wb = load_workbook(path, read_only=True)
    try:
        return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets]
    finally:
        wb.close()


TARGET_HEADERS = TARGETS.headers
