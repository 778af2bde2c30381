"""回避 rows, the same table on the target's and on the inspector's dialog."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.services.targets import RecusalRow

Index = QModelIndex | QPersistentModelIndex

INSPECTOR_SIDE = (
    ("执法人员", lambda r: r.inspector_name),
    ("执法证号", lambda r: r.badge_no),
    ("部门", lambda r: r.department),
    ("回避原因", lambda r: r.reason),
    ("登记日期", lambda r: r.recorded_on.isoformat()),
)
TARGET_SIDE = (
    ("统一社会信用代码", lambda r: r.target_uscc),
    ("检查对象", lambda r: r.target_name),
    ("回避原因", lambda r: r.reason),
    ("登记日期", lambda r: r.recorded_on.isoformat()),
)


class RecusalTableModel(QAbstractTableModel):
    """`columns`: INSPECTOR_SIDE on a target's dialog, TARGET_SIDE on an inspector's."""

    def __init__(self, columns: tuple, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._rows: list[RecusalRow] = []

    def set_rows(self, rows: list[RecusalRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RecusalRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[index.column()][1](self._rows[index.row()])
        if role == Qt.ItemDataRole.UserRole:
            return self._rows[index.row()].id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self._columns[section][0] if 0 <= section < len(self._columns) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
