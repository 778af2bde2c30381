"""Read a registry spreadsheet with python-calamine, forgiving of how clerks lay it out.

The header may sit anywhere in the first rows under title rows (merged cells),
columns may come in any order under any known alias, extra columns are
ignored and blank rows skipped. The data are on the first sheet whose header
has every required column. A file that cannot be read at all raises
WorkbookError with a Chinese message naming the file and the reason.
"""

from __future__ import annotations

import contextlib
import itertools
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from python_calamine import CalamineSheet, CalamineWorkbook

from app.domain.errors import UserError
from app.domain.registry_fields import cell_text
from app.excel.extent import measure, sheet_parts
from app.excel.templates import ColumnSpec, Template

HEADER_SEARCH_ROWS = 10

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted (password-to-open) OOXML file keeps its package in.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


class WorkbookError(UserError):
    """A file that cannot be imported at all; str() says which file and why, in Chinese."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"无法读取文件“{self.path.name}”：{reason}")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class HeaderMatch:
    """Where the header is and which column feeds which field."""

    sheet_name: str
    header_row: int  # 1-based row number in Excel
    first_col: int  # 0-based column of a row list's first cell
    headers: list[str]  # every header cell as written, by position
    fields: dict[str, int]  # field → position in a row list
    extra_columns: list[str] = field(default_factory=list)
    missing: list[ColumnSpec] = field(default_factory=list)

    def column_name(self, field_name: str) -> str:
        """'C 列“名称”' for messages."""
        pos = self.fields[field_name]
        return f"{column_letter(self.first_col + pos)} 列“{self.headers[pos]}”"


def _check_container(path: Path) -> None:
    """Tell an xlsx from a renamed file, an encrypted one or an old .xls."""
    if path.is_dir():
        raise WorkbookError(path, "这是一个文件夹，不是文件。请选择要导入的 .xlsx 文件")
    if not path.exists():
        raise WorkbookError(path, "文件不存在")
    if not path.is_file():
        raise WorkbookError(path, "这不是普通文件（可能是设备或管道），不能导入")
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise WorkbookError(path, "文件是空的（0 字节）")
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(path, f"文件已损坏，无法解压（{exc}）") from None
        if "xl/workbook.xml" not in names:
            raise WorkbookError(path, "这不是 Excel 工作簿（.xlsx），可能是改了扩展名的其他文件")
        return
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise WorkbookError(
                path, "文件设置了打开密码（已加密）。请在 Excel 中取消密码后另存为 .xlsx 再导入"
            )
        raise WorkbookError(
            path,
            "这是旧版 Excel 97-2003（.xls）或其他 Office 文件。请在 Excel 中另存为 .xlsx 再导入",
        )
    raise WorkbookError(path, "这不是 Excel 工作簿（.xlsx），可能是改了扩展名的文本或其他文件")


def _match_row(template: Template, row: Sequence[object]) -> tuple[dict[str, int], list[str]]:
    fields: dict[str, int] = {}
    headers: list[str] = []
    for pos, value in enumerate(row):
        text = cell_text(value)
        headers.append(text)
        spec = template.match(text) if text else None
        if spec is not None and spec.field not in fields:
            fields[spec.field] = pos
    return fields, headers


def _is_blank(row: list[object]) -> bool:
    for v in row:
        if v is None or v == "" or (type(v) is str and not v.strip()):
            continue
        return False
    return True


class SheetReader:
    """The matched sheet of an opened workbook; iterate `rows()` once."""

    def __init__(
        self,
        path: Path | str,
        template: Template,
        *,
        published: bool = False,
        overrides: Mapping[int, str | None] | None = None,
    ) -> None:
        """`published`: a list as bureaus publish it — merged cells carry their value
        to every row they span, and one-cell rows (section titles, notes under the
        table) are skipped. `overrides`: position → field (None: ignore) assigned by
        hand over what the header says."""
        self.path = Path(path)
        self.template = template
        self.published = published
        # Excel row numbers of the rows `published` mode skipped.
        self.skipped: list[int] = []
        self._origins: dict[tuple[int, int], object] = {}
        _check_container(self.path)
        try:
            with zipfile.ZipFile(self.path) as zf:
                self._parts = sheet_parts(zf)
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(self.path, f"文件已损坏，无法解压（{exc}）") from None
        try:
            self._workbook = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine's zip/xml/password errors
            raise WorkbookError(self.path, f"文件已损坏或格式不正确（{exc}）") from None
        try:
            self.match, self._sheet, self._rows, self._next_row = self._find_header()
            if overrides:
                self._override(overrides)
        except BaseException:
            self.close()
            raise

    def _find_header(self) -> tuple[HeaderMatch, CalamineSheet, Iterator[list[Any]], int]:
        required = {c.field for c in self.template.detected}
        best: tuple[int, str, int, set[str]] | None = None  # (score, sheet, row, found)
        for index, sheet_name in enumerate(self._workbook.sheet_names):
            self._check_extent(sheet_name)
            try:
                sheet = self._workbook.get_sheet_by_index(index)
            except Exception as exc:
                raise WorkbookError(
                    self.path, f"工作表“{sheet_name}”已损坏，无法读取（{exc}）"
                ) from None
            if sheet.start is None:
                continue  # an empty sheet
            rows = sheet.iter_rows()
            for row_index, row in enumerate(itertools.islice(rows, HEADER_SEARCH_ROWS)):
                fields, headers = _match_row(self.template, row)
                if required <= fields.keys():
                    match = self._header_match(sheet, sheet_name, row_index, fields, headers)
                    return match, sheet, rows, row_index + 1
                score = len(fields)
                if score and (best is None or score > best[0]):
                    best = (score, sheet_name, row_index + 1, set(fields))
        wanted = "、".join(f"“{c.header}”" for c in self.template.detected)
        if best is not None and best[0] >= 2:
            missing = "、".join(
                f"“{c.header}”" for c in self.template.detected if c.field not in best[3]
            )
            raise WorkbookError(
                self.path,
                f"工作表“{best[1]}”第 {best[2]} 行像是表头，但缺少必填列 {missing}"
                f"（{self.template.title}需要 {wanted} 等列）",
            )
        raise WorkbookError(
            self.path,
            f"各工作表的前 {HEADER_SEARCH_ROWS} 行中都找不到{self.template.title}的表头"
            f"（应包含 {wanted} 等列）",
        )

    def _check_extent(self, sheet_name: str) -> None:
        """Refuse a sheet whose few cells lie so far apart that reading it would exhaust memory."""
        part = self._parts.get(sheet_name)
        if part is None:
            return
        try:
            with zipfile.ZipFile(self.path) as zf:
                extent = measure(zf, part)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise WorkbookError(
                self.path, f"工作表“{sheet_name}”已损坏，无法读取（{exc}）"
            ) from None
        if extent.too_sparse():
            corner = f"{column_letter(extent.columns - 1)}{extent.rows}"
            raise WorkbookError(
                self.path,
                f"工作表“{sheet_name}”的使用范围延伸到 {corner} 单元格"
                f"（{extent.rows:,} 行 × {extent.columns:,} 列），实际只有 {extent.cells:,} "
                "个单元格有内容，远处有零星的内容或格式。读取它需要的内存远超正常。"
                f"请在 Excel 中删除数据以外多余的行和列（或清除 {corner} 等远处的单元格）"
                "后另存，再导入",
            )

    def _header_match(
        self,
        sheet: CalamineSheet,
        sheet_name: str,
        row_index: int,
        fields: dict[str, int],
        headers: list[str],
    ) -> HeaderMatch:
        used = set(fields.values())
        extra = [h for pos, h in enumerate(headers) if h and pos not in used]
        missing = [c for c in self.template.columns if c.in_template and c.field not in fields]
        start = sheet.start
        return HeaderMatch(
            sheet_name=sheet_name,
            header_row=row_index + 1,
            first_col=start[1] if start else 0,
            headers=headers,
            fields=fields,
            extra_columns=extra,
            missing=missing,
        )

    def _override(self, overrides: Mapping[int, str | None]) -> None:
        fields = dict(self.match.fields)
        known = {c.field for c in self.template.columns}
        for pos, field_name in overrides.items():
            if not 0 <= pos < len(self.match.headers):
                continue
            fields = {f: p for f, p in fields.items() if p != pos}
            if field_name is not None and field_name in known:
                fields[field_name] = pos
        used = set(fields.values())
        self.match.fields = fields
        self.match.extra_columns = [
            h for pos, h in enumerate(self.match.headers) if h and pos not in used
        ]
        self.match.missing = [
            c for c in self.template.columns if c.in_template and c.field not in fields
        ]

    @property
    def row_estimate(self) -> int:
        """Rows below the header, blank ones included: the progress bar's length."""
        end = self._sheet.end
        return max(0, (end[0] + 1 if end else 0) - self.match.header_row)

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        """(Excel row number, cells) of each non-blank row under the header."""
        width = len(self.match.headers)
        spans = self._merged_spans() if self.published else {}
        for row_no, row in enumerate(self._rows, start=self._next_row + 1):
            if _is_blank(row):
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            if self.published:
                if sum(1 for v in row if cell_text(v)) <= 1:
                    self.skipped.append(row_no)
                    continue
                row = self._fill(row_no, row, spans)
            yield row_no, row

    def _merged_spans(self) -> dict[tuple[int, int], tuple[int, int]]:
        """(Excel row, position) of each merged cell → (Excel row, position) of its value."""
        first_col = self.match.first_col
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for (r0, c0), (r1, c1) in self._sheet.merged_cell_ranges or ():
            if r1 + 1 <= self.match.header_row:
                continue  # title rows and the header itself
            for r in range(r0 + 1, r1 + 2):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0 + 1, c0):
                        spans[(r, c - first_col)] = (r0 + 1, c0 - first_col)
        self._wanted = set(spans.values())
        return spans

    def _fill(
        self, row_no: int, row: list[object], spans: dict[tuple[int, int], tuple[int, int]]
    ) -> list[object]:
        if not spans:
            return row
        origins = self._origins
        for pos, value in enumerate(row):
            if (row_no, pos) in self._wanted:
                origins[(row_no, pos)] = value
        filled = list(row)
        for pos in range(len(row)):
            origin = spans.get((row_no, pos))
            if origin is not None and origin in origins:
                filled[pos] = origins[origin]
        return filled

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already closed
            self._workbook.close()

    def __enter__(self) -> SheetReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
