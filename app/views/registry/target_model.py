"""The target table model: pages of 200 rows fetched as the view scrolls, sorted in SQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from app.domain.divisions import DIVISIONS
from app.domain.registry import ACTIVE_REG_STATUSES
from app.domain.risk import RISK_LABELS, UNCLASSIFIED
from app.models.db import Database
from app.services.registry.query import (
    PAGE_SIZE,
    TargetQuery,
    TargetRow,
    fetch_target_row,
    fetch_targets,
)

Index = QModelIndex | QPersistentModelIndex
# Entities that cannot be drawn (注销, 吊销, 迁出 …) are shown greyed.
_UNDRAWABLE = QColor("#8a8f98")


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _division(code: str) -> str:
    name = DIVISIONS.get(code)
    return f"{code} {name}" if name else code


def _risk(value: str | None) -> str:
    return f"{value}（{RISK_LABELS[value]}）" if value in RISK_LABELS else UNCLASSIFIED


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str
    text: Callable[[TargetRow], str]
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "uscc", lambda r: r.uscc, 170),
    Column("名称", "name", lambda r: r.name, 260),
    Column("法定代表人", "legal_rep", lambda r: r.legal_rep or "", 90),
    Column("行政区划", "division_code", lambda r: _division(r.division_code), 130),
    Column("主体类型", "entity_type", lambda r: r.entity_type or "", 90),
    Column(
        "行业",
        "industry_code",
        lambda r: " ".join(p for p in (r.industry_code, r.industry_name) if p),
        140,
    ),
    Column("登记状态", "reg_status", lambda r: r.reg_status, 70),
    Column("信用风险", "risk_class", lambda r: _risk(r.risk_class), 100),
    Column("成立日期", "founded_on", lambda r: _date(r.founded_on), 90),
    Column("最近检查", "last_inspected_on", lambda r: _date(r.last_inspected_on), 90),
    Column("住所（经营场所）", "address", lambda r: r.address or "", 240),
    Column("联系电话", "phone", lambda r: r.phone or "", 110),
)


class TargetTableModel(QAbstractTableModel):
    """Rows of the current TargetQuery; `canFetchMore` while the last page was full."""

    # Emitted after each reset (new query or sort): the query now shown.
    queryChanged = Signal(object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._query = TargetQuery()
        self._rows: list[TargetRow] = []
        self._more = False
        self._loaded = False
        self._changing = False

    # -- what is shown --------------------------------------------------------------

    @property
    def query(self) -> TargetQuery:
        return self._query

    def set_query(self, query: TargetQuery) -> None:
        """Show `query` from its first page."""
        rows = fetch_targets(self._db, query, None, PAGE_SIZE)
        # Views ask for more rows while they handle a reset or an insert; they
        # ask again when scrolled, so those nested requests are ignored.
        self._changing = True
        try:
            self.beginResetModel()
            self._query = query
            self._rows = rows
            self._more = len(rows) == PAGE_SIZE
            self._loaded = True
            self.endResetModel()
        finally:
            self._changing = False
        self.queryChanged.emit(query)

    def reload(self) -> None:
        self.set_query(self._query)

    def row_at(self, row: int) -> TargetRow:
        return self._rows[row]

    def row_of(self, target_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == target_id), -1)

    def refresh_target(self, target_id: int) -> int:
        """Re-read one target after an edit; a new one goes on top. Returns its row."""
        fresh = fetch_target_row(self._db, target_id)
        if fresh is None:
            return -1
        row = self.row_of(target_id)
        if row < 0:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._rows.insert(0, fresh)
            self.endInsertRows()
            return 0
        self._rows[row] = fresh
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return row

    # -- QAbstractTableModel ----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and row.reg_status not in ACTIVE_REG_STATUSES:
            return _UNDRAWABLE
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].title if 0 <= section < len(COLUMNS) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._changing

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._changing:
            return
        page = fetch_targets(self._db, self._query, self._rows[-1] if self._rows else None)
        self._more = len(page) == PAGE_SIZE
        if page:
            first = len(self._rows)
            self._changing = True  # no nested fetch from views reacting to the insert
            try:
                self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
                self._rows.extend(page)
                self.endInsertRows()
            finally:
                self._changing = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else "id"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._query.sort_key, self._query.descending) and self._loaded:
            return
        self.set_query(replace(self._query, sort_key=key, descending=descending))
