"""Read a PDF back with poppler (pdftotext, pdfinfo) for the report tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.reports.linebreak import CANNOT_START


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) not installed")
    return path


def pages(pdf: Path, *, layout: bool = False) -> list[str]:
    """The text of each page; without `layout`, one printed line per text line."""
    args = [poppler("pdftotext"), *(["-layout"] if layout else []), str(pdf), "-"]
    text = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    out = text.split("\f")
    if out and not out[-1].strip():
        out.pop()
    return out


def flat(text: str) -> str:
    """Text without any whitespace: wrapped lines joined back together."""
    return re.sub(r"\s+", "", text)


def lines_starting_with_punctuation(pdf: Path) -> list[str]:
    bad = []
    for page in pages(pdf):
        for line in page.splitlines():
            line = line.strip()
            if line and line[0] in CANNOT_START:
                bad.append(line)
    return bad


def page_count(pdf: Path) -> int:
    info = subprocess.run(
        [poppler("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    match = re.search(r"Pages:\s+(\d+)", info)
    assert match is not None
    return int(match.group(1))
