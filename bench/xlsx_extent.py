"""What the far-cell check costs and saves: prints figures, asserts nothing.

    .venv/bin/python bench/xlsx_extent.py [ROWS]

1. Time to measure the used extent of a real target workbook (ROWS rows,
   default 100,000; cached in /tmp by _targets_xlsx) next to calamine's read.
2. Peak RSS of `dualrandom import` on tiny workbooks with one far value
   (XFD1048576; row 200,000 column 200) and with a far cell that only has a
   format, each in its own process.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _targets_xlsx import targets_workbook

from app.excel.extent import measure, sheet_parts


def _far(path: Path, row: int, col: int, styled: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "名称"])
    ws.append(["91371500MA3C00000X", "甲公司"])
    cell = ws.cell(row=row, column=col)
    if styled:
        cell.font = Font(bold=True)
    else:
        cell.value = "x"
    wb.save(path)
    return path


# VmHWM, not ru_maxrss: after fork+exec ru_maxrss still counts the parent's pages.
CHILD = """
import sys
from app.cli import main
code = main(sys.argv[1:])
hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:")][0]
print(hwm.split()[1], file=sys.stderr)
sys.exit(code)
"""


def _peak_rss(path: Path, folder: Path) -> tuple[int, float]:
    """Exit status and peak RSS (MB) of one import, in a process of its own."""
    db = folder / f"{path.stem}.sqlite"
    argv = ["import", "targets", str(path), "--db", str(db), "--create"]
    run = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True)
    return run.returncode, int(run.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    book = targets_workbook(rows)
    t = time.perf_counter()
    with zipfile.ZipFile(book) as zf:
        extents = [measure(zf, part) for part in sheet_parts(zf).values()]
    measured = time.perf_counter() - t
    t = time.perf_counter()
    CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0).to_python()
    read = time.perf_counter() - t
    print(f"{rows:,}-row workbook: extent {extents[0]} measured in {measured:.2f} s; ")
    print(f"  calamine reads the sheet in {read:.2f} s (check adds {measured / read:.0%})")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, (r, c, styled) in {
            "styled XFD1048576": (1_048_576, 16_384, True),
            "value at XFD1048576": (1_048_576, 16_384, False),
            "value at row 200000 col 200": (200_000, 200, False),
        }.items():
            path = _far(folder / f"{name.replace(' ', '_')}.xlsx", r, c, styled)
            code, rss = _peak_rss(path, folder)
            print(f"{name}: {path.stat().st_size:,} bytes, exit {code}, peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
