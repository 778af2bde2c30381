"""The views' one generic table model: a read-only list of rows, replaced as a whole.

Pages subclass it for their rows (registry rows, plans' text rows, users,
backups, audit entries); a million-row registry pages by key instead
(registry/target_model.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


T = TypeVar("T")


class RowListModel(QAbstractTableModel, Generic[T]):
    """One row a dataclass; `columns` holds (header, text of a row, ...) per column.

    Display and tooltip show the column's text, UserRole the row's key (its
    `id` unless `row_key` says otherwise). Subclasses add roles in `extra_data`.
    """

    def __init__(self, columns: Sequence[tuple[Any, ...]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: tuple[tuple[str, Callable[[T], str]], ...] = tuple(
            (c[0], c[1]) for c in columns
        )
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_columns(self, columns: Sequence[tuple[Any, ...]]) -> None:
        self._columns = tuple((c[0], c[1]) for c in columns)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def row_key(self, row: T) -> Any:
        """What UserRole gives and `row_of` looks for: the row's id by default."""
        return getattr(row, "id", None)

    def row_of(self, key: Any) -> int:
        return next((i for i, r in enumerate(self._rows) if self.row_key(r) == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[index.column()][1](row)
        if role == Qt.ItemDataRole.UserRole:
            return self.row_key(row)
        return self.extra_data(row, role)

    def extra_data(self, row: T, role: int) -> object:
        """Roles other than display, tooltip and UserRole; none by default."""
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
