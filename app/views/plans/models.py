"""Small read-only table models of the plans page (tens of rows, held in memory)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.planning import PlanState, Severity
from app.services.plans.values import DiffRow, PlanRow, TaskRow
from app.views.widgets.list_model import Index, RowListModel

CHANGED = QColor("#fff3c4")
STATE_COLORS = {
    PlanState.DRAFT: QColor("#6b6b6b"),
    PlanState.FILED: QColor("#1f5fa8"),
    PlanState.PUBLISHED: QColor("#1b7a3a"),
}
SEVERITY_COLORS = {
    Severity.BLOCKS_FILING: QColor("#c8102e"),
    Severity.BLOCKS_DRAW: QColor("#b35900"),
    Severity.WARNING: QColor("#6b5200"),
}


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    key: Any = None
    foreground: QColor | None = None
    background: QColor | None = None
    tooltip: str | None = None


def _cell(i: int) -> Callable[[Row], str]:
    return lambda row: row.cells[i] if i < len(row.cells) else ""


class RowTableModel(RowListModel[Row]):
    """Rows of text with an optional key, colours and tooltip; replaced as a whole."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__([(h, _cell(i)) for i, h in enumerate(headers)], parent)

    def set_headers(self, headers: Sequence[str]) -> None:
        self.set_columns([(h, _cell(i)) for i, h in enumerate(headers)])

    def rows(self) -> list[Row]:
        return list(self._rows)

    def key(self, row: int) -> Any:
        return self._rows[row].key if 0 <= row < len(self._rows) else None

    def row_key(self, row: Row) -> Any:
        return row.key

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            tooltip = self._rows[index.row()].tooltip if index.row() < len(self._rows) else None
            if tooltip:
                return tooltip
        return super().data(index, role)

    def extra_data(self, row: Row, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and row.foreground is not None:
            return QBrush(row.foreground)
        if role == Qt.ItemDataRole.BackgroundRole and row.background is not None:
            return QBrush(row.background)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return super().headerData(section, orientation, role)


PLAN_HEADERS = ("计划编号", "年度", "状态", "版本", "任务数", "计划名称")
TASK_HEADERS = ("任务编号", "任务名称", "状态", "类型", "计划时间", "部门")
DIFF_HEADERS = ("项目", "左侧版本", "右侧版本")


def plan_rows(plans: Sequence[PlanRow]) -> list[Row]:
    return [
        Row(
            (
                p.code,
                str(p.year),
                p.state.label,
                f"第 {p.version_no} 版",
                str(len(p.tasks)),
                p.title,
            ),
            key=p.code,
            foreground=STATE_COLORS.get(p.state),
            tooltip=f"{p.kind.label}，牵头部门：{p.lead_department}",
        )
        for p in plans
    ]


def task_rows(tasks: Sequence[TaskRow], department_names: dict[str, str]) -> list[Row]:
    return [
        Row(
            (
                t.code,
                t.title,
                t.state.label,
                "联合" if t.is_joint else "单部门",
                f"{t.planned_start} 至 {t.planned_end}",
                "、".join(department_names.get(d, d) for d in t.departments),
            ),
            key=t.code,
            foreground=STATE_COLORS.get(t.state),
        )
        for t in tasks
    ]


def diff_rows(diff: Sequence[DiffRow], only_changed: bool = False) -> list[Row]:
    return [
        Row(
            (d.label, d.left, d.right),
            key=d.label,
            background=CHANGED if d.changed else None,
            tooltip=f"{d.label}\n左：{d.left}\n右：{d.right}",
        )
        for d in diff
        if d.changed or not only_changed
    ]
