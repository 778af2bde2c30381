"""年度抽查计划 as a workbook: a sheet with the plan, a sheet with one row per task."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from app.domain.plan_document import PlanDocument, TaskDocument

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EDF3")
WRAP = Alignment(wrap_text=True, vertical="top")
STRATA = ("A 类", "B 类", "C 类", "D 类", "未分类")

# (header, width, value)
TASK_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("任务编号", 20),
    ("任务名称", 30),
    ("抽查类型", 14),
    ("发起层级", 14),
    ("抽查事项", 44),
    ("实施部门（每组最少人数）", 30),
    ("行政区划", 24),
    ("主体类型", 14),
    ("行业", 12),
    ("监管标签", 14),
    ("成立日期早于", 13),
    *((f"{s}抽查", 10) for s in STRATA),
    ("批次", 6),
    ("每组人数", 9),
    ("人员区划规则", 14),
    ("每人最多检查", 12),
    ("近期检查回避", 12),
    ("开始日期", 12),
    ("结束日期", 12),
    ("状态", 9),
)


def _task_values(n: int, t: TaskDocument) -> list[object]:
    scope = dict(t.scope)
    rules = {k.replace(" ", ""): v for k, v in t.rules}
    return [
        n,
        t.code,
        t.title,
        t.joint,
        t.initiator,
        "\n".join(t.items),
        t.departments,
        scope["行政区划"],
        scope["主体类型"],
        scope["行业"],
        scope["监管标签"],
        scope["成立日期早于"],
        *(rules.get(s.replace(" ", ""), "不抽取") for s in STRATA),
        t.batches,
        t.team_size,
        t.district_rule,
        t.max_load,
        t.recent_window,
        t.planned_start,
        t.planned_end,
        t.state,
    ]


def write_plan_xlsx(doc: PlanDocument, path: Path) -> None:
    wb = Workbook()
    info = wb.active
    info.title = "计划"
    info.append([doc.title])
    info["A1"].font = Font(bold=True, size=14)
    rows = [
        ("计划编号", doc.code),
        ("年度", doc.year),
        ("计划类型", doc.kind),
        ("牵头部门", doc.lead_department),
        ("参与部门", doc.departments),
        ("状态", doc.state),
        ("版本", f"第 {doc.version_no} 版"),
        ("备案日期", doc.filed_on),
        ("公开日期", doc.published_on),
        ("说明", doc.note),
        ("版本校验码（SHA-256）", doc.version_hash),
        ("抽查任务数", len(doc.tasks)),
    ]
    for key, value in rows:
        info.append([key, value])
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 70
    for row in info.iter_rows(min_row=2, max_col=2):
        row[0].font = Font(bold=True)
        for cell in row:
            cell.alignment = WRAP

    tasks = wb.create_sheet("抽查任务")
    tasks.append([h for h, _ in TASK_COLUMNS])
    for col, (_, width) in enumerate(TASK_COLUMNS, start=1):
        cell = tasks.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        tasks.column_dimensions[get_column_letter(col)].width = width
    for n, t in enumerate(doc.tasks, start=1):
        tasks.append(_task_values(n, t))
    for row in tasks.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
            cell.border = BOX
    tasks.freeze_panes = "C2"
    tasks.auto_filter.ref = tasks.dimensions
    wb.save(path)
