"""xlsx files for 公示: the platform upload sheet of a task's results, and the exemption list.

The upload sheet's columns come from an `UploadLayout` (data, loadable per
province); this module only writes what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.domain.publication import UploadLayout, headers

_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE5F0")


def _sheet(wb: Workbook, title: str, heads: Sequence[str], widths: Sequence[int]) -> Any:
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(heads))
    for col, width in enumerate(widths, 1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    return ws


def write_upload_xlsx(layout: UploadLayout, rows: Sequence[Sequence[Any]], out: Path) -> int:
    """The results in the platform's upload layout; return the number of data rows.

    Every cell is text: codes keep their leading zeros and dates their form.
    """
    wb = Workbook()
    ws = _sheet(wb, layout.sheet, headers(layout), [c.width for c in layout.columns])
    width = len(layout.columns)
    for r, row in enumerate(rows, start=2):
        ws.append(["" if v is None else str(v) for v in row])
        # Addressed by index: ws.max_row scans every cell and made this quadratic.
        for c in range(1, width + 1):
            ws.cell(row=r, column=c).number_format = "@"
    wb.save(out)
    return len(rows)


EXEMPTION_HEADS = ("序号", "实施部门", "抽查事项", "违法行为", "不予处罚的情形", "法律依据")


def write_exemptions_xlsx(title: str, rows: Sequence[Sequence[str]], out: Path) -> int:
    wb = Workbook()
    ws = _sheet(wb, "免罚清单", EXEMPTION_HEADS, [6, 18, 30, 36, 36, 40])
    ws.insert_rows(1)
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.freeze_panes = "A3"
    for n, row in enumerate(rows, 1):
        ws.append([str(n), *row])
    wb.save(out)
    return len(rows)
