"""How much memory a sheet would take to read, measured from its XML before reading it.

python-calamine reads a sheet into one dense grid from its first to its last
used cell: a workbook of 5 KB with one value in XFD1048576 asks for 17 billion
cells (the process aborts), and one value at row 200,000, column 200 costs
gigabytes. The grid's size is fixed by where the cells are, not by the
`<dimension>` a file declares (which may be missing or wrong), so the sheet's
XML is streamed here first — cell references only, constant memory — and a
sheet whose grid would be mostly empty and large is refused with a Chinese
message naming the far corner, before calamine sees it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

# A grid this size is read whatever its density (32 bytes a cell: about 100 MB).
DENSE_OK_CELLS = 3_000_000
# Above that, the grid may hold at most this many cells per cell actually written.
MAX_SPARSENESS = 4

_CHUNK = 4 << 20
# A cell with content: a start tag that is not self-closing (an empty cell that only
# carries a format is `<c r="…" s="1"/>`, which calamine skips and so do we). Cell
# attributes never hold a "/", so `[^>/]*>` tells the two apart cheaply. Writers put
# `r` first; a namespace prefix (`<x:c`) or another order takes the slower pattern.
_VALUE_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>/]*>')
_VALUE_CELL_ANY = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d+)"[^>/]*>')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Extent:
    rows: int  # last row used (1-based)
    columns: int  # last column used (1-based)
    cells: int  # cells written in the XML

    @property
    def grid(self) -> int:
        return self.rows * self.columns

    def too_sparse(self) -> bool:
        return self.grid > DENSE_OK_CELLS and self.grid > MAX_SPARSENESS * max(self.cells, 1)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part in the package (workbook.xml through its relationships)."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(path)
    return parts


def measure(zf: zipfile.ZipFile, part: str) -> Extent:
    """The extent of the used cells of one sheet part, streaming its XML."""
    rows = columns = cells = 0
    tail = b""
    with zf.open(part) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            # Leave an incomplete tag at the end for the next round.
            cut = data.rfind(b"<")
            if cut <= 0 or len(chunk) < _CHUNK:
                cut = len(data) if len(chunk) < _CHUNK else max(cut, 0)
            body, tail = data[:cut], data[cut:]
            rows, columns, cells = _scan(body, rows, columns, cells)
    return Extent(*_scan(tail, rows, columns, cells))


def _scan(body: bytes, rows: int, columns: int, cells: int) -> tuple[int, int, int]:
    pattern = _VALUE_CELL if b'<c r="' in body else _VALUE_CELL_ANY
    refs = pattern.findall(body)
    if not refs:
        return rows, columns, cells
    # Compare column letters by (length, letters): no int per cell.
    far = max({c for c, _r in refs}, key=lambda c: (len(c), c))
    last = max(int(r) for _c, r in refs)
    return max(rows, last), max(columns, _col_number(far)), cells + len(refs)
