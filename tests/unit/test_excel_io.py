"""Templates, the streaming writer and the template writer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from app.excel.reader import SheetReader, WorkbookError, column_letter
from app.excel.templates import ITEMS, KINDS, TARGETS, TEMPLATES, header_key
from app.excel.writer import StreamWorkbook, write_template
from tests.xlsx_files import read_sheets


def test_header_key_ignores_spaces_brackets_and_required_marks() -> None:
    assert header_key(" 法定代表人（负责人）* ") == header_key("法定代表人(负责人)")
    assert header_key("名 称＊") == "名称"
    assert header_key("名称（必填）") == "名称"


def test_every_alias_maps_to_its_column() -> None:
    for template in TEMPLATES.values():
        for col in template.columns:
            for alias in (col.header, col.template_header, *col.aliases):
                assert template.match(alias) is col
    assert TARGETS.match("统一代码").field == "uscc"  # type: ignore[union-attr]
    assert TARGETS.match("备注") is None


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_stream_workbook_is_read_by_openpyxl_and_calamine(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    rows = [
        ["91371502000012343C", "甲 & <乙>", " 前后空格 ", "两行\n文本", 371502, 1.5, True, None],
        ["", "控制字符\x01已去掉", date(2019, 3, 1), "", 0, -2, False, "末列"],
    ]
    with StreamWorkbook(path) as wb:
        assert wb.add_sheet("数据", ["代码", "名称", "c", "d", "e", "f", "g", "h"], rows) == 2
        assert wb.add_sheet("空表", ["只有表头"], []) == 0
    sheets = read_sheets(path)
    assert sheets[0][1][:7] == rows[0][:7]
    assert sheets[0][2] == [None, "控制字符已去掉", "2019-03-01", None, 0, -2, False, "末列"]
    assert sheets[1] == [["只有表头"]]
    cal = CalamineWorkbook.from_path(str(path))
    assert cal.sheet_names == ["数据", "空表"]
    assert cal.get_sheet_by_index(0).to_python()[1][:4] == rows[0][:4]
    ws = load_workbook(path).worksheets[0]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b


def test_failed_stream_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"

    def rows() -> Iterator[list[str]]:
        yield ["a"]
        raise RuntimeError("数据库断开")

    with pytest.raises(RuntimeError), StreamWorkbook(path) as wb:
        wb.add_sheet("x", ["h"], rows())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", KINDS)
def test_template_has_a_comment_per_column_and_reads_back(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.xlsx"
    template = TEMPLATES[kind]
    write_template(path, template)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == template.headers
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    assert wb.sheetnames[1] == "填写说明"
    with SheetReader(path, template) as reader:
        assert reader.match.header_row == 1 and not reader.match.extra_columns
        assert list(reader.rows()) == []


def test_required_columns_are_marked() -> None:
    assert ITEMS.headers[:4] == ["事项编码*", "事项名称*", "实施部门*", "事项类别*"]
    assert "行业代码" not in TARGETS.headers  # an accepted alternative, not a template column


def test_reader_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="不存在"):
        SheetReader(tmp_path / "无.xlsx", TARGETS)
