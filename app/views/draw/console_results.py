"""The drawn targets and their teams on the operator console, searchable.

The same entries the projector's end screen pages through (OutcomeView), so
the operator can answer "was X drawn, who goes there" without the projector.
A draw keeps at most some tens of thousands of targets: they are in memory
already, and a search is a scan of their text.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from app.services.draws.display import OutcomeView, RevealEntry

COLUMNS = ("序号", "批次", "检查对象", "统一社会信用代码", "风险分类", "检查组（主查人在前）")
Index = QModelIndex | QPersistentModelIndex


def team_text(entry: RevealEntry) -> str:
    people = [f"{m.name}（{m.department}）" for m in entry.team]
    text = "、".join(people) if people else "无可派人员"
    if entry.missing:
        text += f"；缺 {entry.missing} 人"
    return text


def _row(entry: RevealEntry) -> tuple[str, ...]:
    return (
        str(entry.rank),
        str(entry.batch),
        entry.name,
        entry.target_id,
        entry.stratum_title,
        team_text(entry),
    )


def drawn_rows(entries: tuple[RevealEntry, ...]) -> list[tuple[str, ...]]:
    """The table's text: tens of thousands of rows, so built off the GUI thread."""
    return [_row(e) for e in entries]


class DrawnModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []
        self._shown: list[int] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._shown = list(range(len(self._rows)))
        self.endResetModel()

    def filter(self, text: str) -> None:
        words = text.split()
        self.beginResetModel()
        self._shown = [
            k
            for k, row in enumerate(self._rows)
            if all(any(w in cell for cell in row) for w in words)
        ]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        return self._rows[self._shown[index.row()]][index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def row_texts(self) -> list[tuple[str, ...]]:
        """The rows shown, as text (for tests and copying)."""
        return [self._rows[k] for k in self._shown]


class DrawnTable(QWidget):
    """Search box, count and the table of drawn targets with their teams."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("drawnSearch")
        self.search.setPlaceholderText("查找：企业名称、信用代码或检查人员姓名")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.model = DrawnModel(self)
        self._view: OutcomeView | None = None  # what the table shows now
        self.table = QTableView()
        self.table.setObjectName("drawnTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((48, 40, 220, 160, 90)):
            self.table.setColumnWidth(col, width)
        self.search.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

    def show_outcome(self, view: OutcomeView, rows: list[tuple[str, ...]] | None = None) -> None:
        """Show `view`'s drawn targets; `rows` when a worker has built them already."""
        if view is self._view:
            return
        self._view = view
        self.model.set_rows(rows if rows is not None else drawn_rows(view.entries))
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        self.model.filter(text)
        total = len(self.model._rows)
        shown = self.model.rowCount()
        self.count.setText(
            f"共 {total:,} 户" if shown == total else f"找到 {shown:,} 户（共 {total:,} 户）"
        )
