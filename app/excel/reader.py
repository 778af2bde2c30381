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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from python_calamine import CalamineSheet, CalamineWorkbook

from app.domain.errors import UserError
from app.domain.registry_fields import cell_text
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
    if not path.is_file():
        raise WorkbookError(path, "文件不存在")
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

    def __init__(self, path: Path | str, template: Template) -> None:
        self.path = Path(path)
        self.template = template
        _check_container(self.path)
        try:
            self._workbook = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine's zip/xml/password errors
            raise WorkbookError(self.path, f"文件已损坏或格式不正确（{exc}）") from None
        try:
            self.match, self._sheet, self._rows, self._next_row = self._find_header()
        except BaseException:
            self.close()
            raise

    def _find_header(self) -> tuple[HeaderMatch, CalamineSheet, Iterator[list[Any]], int]:
        required = {c.field for c in self.template.required}
        best: tuple[int, str, int, set[str]] | None = None  # (score, sheet, row, found)
        for index, sheet_name in enumerate(self._workbook.sheet_names):
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
        wanted = "、".join(f"“{c.header}”" for c in self.template.required)
        if best is not None and best[0] >= 2:
            missing = "、".join(
                f"“{c.header}”" for c in self.template.required if c.field not in best[3]
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

    @property
    def row_estimate(self) -> int:
        """Rows below the header, blank ones included: the progress bar's length."""
        end = self._sheet.end
        return max(0, (end[0] + 1 if end else 0) - self.match.header_row)

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        """(Excel row number, cells) of each non-blank row under the header."""
        width = len(self.match.headers)
        for row_no, row in enumerate(self._rows, start=self._next_row + 1):
            if _is_blank(row):
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            yield row_no, row

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
