"""Issue 11.6: a small workbook whose few cells lie far apart must not exhaust memory.

The import runs in a subprocess capped at 300 MB of address space: before the
check, a value in XFD1048576 aborted the process (calamine asked for 512 GB)
and one at row 200,000, column 200 needed over a gigabyte.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from app.excel.extent import Extent

CAP = 300 * 1024 * 1024
HEADER = ["统一社会信用代码", "名称"]
ROW = ["91371500MA3C00000X", "甲公司"]


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _workbook(path: Path, far: tuple[int, int] | None, styled_only: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(ROW)
    if far is not None:
        cell = ws.cell(row=far[0], column=far[1])
        if styled_only:
            cell.font = Font(bold=True)
        else:
            cell.value = "x"
    wb.save(path)
    return path


def _import(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    db = tmp_path / "x.sqlite"
    return subprocess.run(
        [sys.executable, "-m", "app", "import", "targets", str(path), "--db", str(db), "--create"],
        capture_output=True,
        text=True,
        preexec_fn=_cap,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("far", "corner"), [((1_048_576, 16_384), "XFD1048576"), ((200_000, 200), "GR200000")]
)
def test_far_cells_are_refused_in_chinese_within_300_mb(
    tmp_path: Path, far: tuple[int, int], corner: str
) -> None:
    path = _workbook(tmp_path / "far.xlsx", far)
    assert path.stat().st_size < 10_000
    run = _import(path, tmp_path)
    assert run.returncode == 2, run.stderr[-2000:]
    assert corner in run.stderr and "多余的行和列" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_far_cell_with_only_a_format_does_not_stop_the_import(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "styled.xlsx", (1_048_576, 16_384), styled_only=True)
    run = _import(path, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "导入完成" in run.stdout


def test_a_dense_sheet_is_never_too_sparse() -> None:
    assert not Extent(1_000_000, 15, 15_000_000).too_sparse()
    assert not Extent(1_000_000, 20, 10_000_000).too_sparse()  # half the columns empty
    assert Extent(200_000, 200, 5).too_sparse()
