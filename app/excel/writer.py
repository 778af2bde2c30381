"""Write registry workbooks: exports and import reports stream, templates carry comments.

Exports reach a million rows, and openpyxl's write-only mode writes about
9,000 rows of twelve cells a second here (two minutes for a million), so
exports and reports go through `StreamWorkbook`, a small streaming writer of
plain SpreadsheetML (inline strings, one bold header row, frozen panes) that
Excel, WPS, LibreOffice, openpyxl and calamine all read. The empty template
needs cell comments and is tiny, so it is written with openpyxl.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

from app.excel.reader import column_letter
from app.excel.templates import Template

_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
HEADER_STYLE = 1
WRAP_STYLE = 2


def _escape(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    text = _ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def display_width(text: str) -> int:
    """Rough column width: a CJK character is two Latin ones."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class StreamWorkbook:
    """A write-once xlsx: add sheets one after another, then close.

    The file appears under its name only when close() succeeds; a failure
    midway leaves no half-written workbook behind.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        self._zip = zipfile.ZipFile(self._tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._sheets: list[str] = []

    def add_sheet(
        self,
        name: str,
        headers: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        widths: Sequence[int] | None = None,
        wrap: bool = False,
    ) -> int:
        """Write a sheet: a bold frozen header row, then rows; returns the row count."""
        self._sheets.append(name)
        number = len(self._sheets)
        letters = [column_letter(i) for i in range(max(len(headers), 1))]
        if widths is None:
            widths = [min(max(display_width(h) + 4, 10), 60) for h in headers]
        style = f' s="{WRAP_STYLE}"' if wrap else ""
        count = 0
        with self._zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as fh:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            )
            head = (
                _XML_HEAD + f'<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}">'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                "</sheetView></sheetViews>"
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
            )
            header_cells = self._row_xml(1, headers, letters, f' s="{HEADER_STYLE}"')
            fh.write((head + header_cells).encode())
            buf: list[str] = []
            for count, row in enumerate(rows, start=1):
                if len(row) > len(letters):
                    letters.extend(column_letter(i) for i in range(len(letters), len(row)))
                buf.append(self._row_xml(count + 1, row, letters, style))
                if len(buf) >= 2000:
                    fh.write("".join(buf).encode())
                    buf.clear()
            buf.append("</sheetData></worksheet>")
            fh.write("".join(buf).encode())
        return count

    @staticmethod
    def _row_xml(number: int, values: Sequence[object], letters: list[str], style: str) -> str:
        n = str(number)
        parts = [f'<row r="{n}">']
        for i, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = letters[i] + n
            kind = type(value)
            if kind is str:
                text = _escape(value)  # type: ignore[arg-type]
                space = ' xml:space="preserve"' if text != text.strip() else ""
                parts.append(f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>')
            elif kind is bool:
                parts.append(f'<c r="{ref}" t="b"{style}><v>{int(value)}</v></c>')  # type: ignore[call-overload]
            elif kind is int or kind is float:
                parts.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
            elif isinstance(value, datetime | date):
                parts.append(f'<c r="{ref}" t="inlineStr"{style}><is><t>{value}</t></is></c>')
            else:
                parts.append(
                    f'<c r="{ref}" t="inlineStr"{style}><is><t>{_escape(str(value))}</t></is></c>'
                )
        parts.append("</row>")
        return "".join(parts)

    def close(self) -> None:
        """Write the package parts and move the file into place."""
        sheets = "".join(
            f'<sheet name="{_escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self._sheets, start=1)
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_NS_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self._sheets) + 1)
        )
        n = len(self._sheets) + 1
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for i in range(1, n)
        )
        pkg = "http://schemas.openxmlformats.org/package/2006"
        parts = {
            "[Content_Types].xml": f'<Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f"{overrides}</Types>",
            "_rels/.rels": f'<Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{_NS_R}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
            "xl/workbook.xml": f'<workbook xmlns="{_NS}" xmlns:r="{_NS_R}">'
            f"<sheets>{sheets}</sheets></workbook>",
            "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}/relationships">{rels}'
            f'<Relationship Id="rId{n}" Type="{_NS_R}/styles" Target="styles.xml"/>'
            "</Relationships>",
        }
        for name, xml in parts.items():
            self._zip.writestr(name, _XML_HEAD + xml)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.close()
        self._tmp.replace(self.path)

    def abort(self) -> None:
        self._zip.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> StreamWorkbook:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def template_widths(template: Template) -> list[int]:
    wide = {"name", "address", "legal_basis", "procedure", "checkpoints", "reason"}
    return [
        40 if c.field in wide else min(max(display_width(c.template_header) + 4, 12), 30)
        for c in template.template_columns
    ]


def write_template(path: Path | str, template: Template) -> None:
    """An empty template: the header row with a comment per column, and a 填写说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = template.sheet_name
    required_font = Font(bold=True, color="C00000")
    plain_font = Font(bold=True)
    for i, (col, width) in enumerate(
        zip(template.template_columns, template_widths(template), strict=True), start=1
    ):
        cell = ws.cell(row=1, column=i, value=col.template_header)
        cell.font = required_font if col.required else plain_font
        if col.comment:
            cell.comment = Comment(col.comment, "双随机一公开监管工作台", width=300, height=120)
        ws.column_dimensions[column_letter(i - 1)].width = width
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "也可以写成", "填写要求"])
    for cell in notes[1]:
        cell.font = plain_font
    for col in template.template_columns:
        notes.append(
            [col.header, "必填" if col.required else "选填", "、".join(col.aliases), col.comment]
        )
    for letter, width in zip("ABCD", (22, 10, 40, 80), strict=True):
        notes.column_dimensions[letter].width = width
    wb.save(path)


def write_report(
    path: Path | str,
    summary: Sequence[tuple[str, object]],
    headers: Sequence[str],
    rejected: Iterable[Sequence[object]],
    warnings: Iterable[Sequence[object]],
) -> None:
    """The import report: a summary sheet, then rejected rows and warnings with their values.

    Each rejected row is (row number, reason, *original values); each warning
    is (row number, column, message, *original values).
    """
    with StreamWorkbook(path) as wb:
        wb.add_sheet("导入结果", ["项目", "内容"], summary, widths=[24, 100])
        wb.add_sheet("未导入的行", ["行号", "原因", *headers], rejected)
        wb.add_sheet("警告", ["行号", "列", "警告", *headers], warnings)
