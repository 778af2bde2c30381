"""The results workbook (pre-filled per task) and the holiday workbook: columns and writer.

Both are outside the registries' TEMPLATES (they are not registry kinds) but
use the same Template/SheetReader contract, so import reads them the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.excel.reader import column_letter
from app.excel.templates import DATE_HELP, ColumnSpec, Template

RESULTS = Template(
    kind="results",
    title="抽查检查结果",
    sheet_name="检查结果",
    columns=(
        ColumnSpec("任务编号", "task", required=True, aliases=("任务代码", "抽查任务编号")),
        ColumnSpec(
            "统一社会信用代码",
            "uscc",
            required=True,
            aliases=("社会信用代码", "信用代码"),
            comment="必填。已预填本任务抽中的检查对象，请勿改动。",
        ),
        ColumnSpec("名称", "name", aliases=("企业名称", "主体名称", "检查对象名称")),
        ColumnSpec("事项编码", "item", required=True, aliases=("检查事项编码", "抽查事项编码")),
        ColumnSpec("事项名称", "item_name", aliases=("检查事项", "抽查事项")),
        ColumnSpec("部门", "department", aliases=("检查部门",)),
        ColumnSpec(
            "检查结果",
            "category",
            required=True,
            aliases=("抽查结果", "结果类型"),
            comment="从下拉列表中选择全国统一的抽查检查结果类型；留空表示尚未检查，跳过。",
        ),
        ColumnSpec("问题描述", "finding", aliases=("检查情况", "发现问题")),
        ColumnSpec("检查日期", "inspected_on", required=True, comment=DATE_HELP),
        ColumnSpec("检查方式", "method", required=True, comment="从下拉列表中选择。"),
        ColumnSpec("后续处置", "follow_up", comment="从下拉列表中选择；留空为“无需后续处置”。"),
        ColumnSpec(
            "检查人员",
            "inspector",
            required=True,
            aliases=("录入人", "执法人员"),
            comment="必填。检查组成员的姓名或执法证号（谁检查、谁录入）。",
        ),
    ),
)

HOLIDAYS = Template(
    kind="holidays",
    title="节假日与调休",
    sheet_name="节假日",
    columns=(
        ColumnSpec("日期", "day", required=True, comment=DATE_HELP),
        ColumnSpec(
            "类型", "kind", required=True, comment="“放假”或“调休上班”。", aliases=("类别",)
        ),
        ColumnSpec("名称", "name", aliases=("节日", "说明")),
    ),
)


@dataclass(frozen=True)
class Choices:
    """Drop-down lists of the results workbook."""

    categories: Sequence[str]
    methods: Sequence[str]
    follow_ups: Sequence[str]


def write_results_workbook(
    path: Path | str, rows: Sequence[Sequence[object]], choices: Choices
) -> None:
    """The pre-filled results sheet with drop-downs, and a 选项 sheet holding the lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = RESULTS.sheet_name
    cols = RESULTS.template_columns
    widths = {"name": 36, "item_name": 36, "category": 34, "finding": 40, "uscc": 22}
    for i, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i, value=col.template_header)
        cell.font = Font(bold=True, color="C00000" if col.required else "000000")
        if col.comment:
            cell.comment = Comment(col.comment, "双随机一公开监管工作台", width=300, height=100)
        ws.column_dimensions[column_letter(i - 1)].width = widths.get(col.field, 14)
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "C2"
    # The lists live on their own sheet: a list typed into the rule is capped at 255 characters.
    lists = wb.create_sheet("选项")
    last = max(len(rows) + 1, 2)
    for j, (title, values) in enumerate(
        (("检查结果", choices.categories), ("检查方式", choices.methods)), start=1
    ):
        lists.cell(row=1, column=j, value=title)
        for k, value in enumerate(values, start=2):
            lists.cell(row=k, column=j, value=value)
    lists.cell(row=1, column=3, value="后续处置")
    for k, value in enumerate(choices.follow_ups, start=2):
        lists.cell(row=k, column=3, value=value)
    for field, list_col, count in (
        ("category", "A", len(choices.categories)),
        ("method", "B", len(choices.methods)),
        ("follow_up", "C", len(choices.follow_ups)),
    ):
        index = next(i for i, c in enumerate(cols) if c.field == field)
        letter = column_letter(index)
        dv = DataValidation(
            type="list",
            formula1=f"=选项!${list_col}$2:${list_col}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="不在可选范围",
            error="请从下拉列表中选择。",
        )
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
    wb.save(path)
