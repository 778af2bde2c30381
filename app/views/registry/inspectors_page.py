"""执法人员库: the inspector registry with its filters, edit dialog and Excel in and out."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.divisions import DIVISIONS
from app.domain.registry import InspectorStatus
from app.models.db import Database
from app.services.registry.inspectors import (
    InspectorQuery,
    InspectorRow,
    list_departments,
    list_inspectors,
)
from app.views.context import AppContext
from app.views.registry import forms
from app.views.registry.inspector_dialog import InspectorDialog
from app.views.registry.transfer import RegistryTransfer
from app.views.widgets.list_model import RowListModel

_GREY = QColor("#8a8f98")


def _badge(r: InspectorRow) -> str:
    if r.badge_expires_on is None:
        return "未填"
    expired = "（已过期）" if r.badge_expired else ""
    return r.badge_expires_on.isoformat() + expired


COLUMNS = (
    ("姓名", lambda r: r.name),
    ("部门", lambda r: r.department),
    ("执法证号", lambda r: r.badge_no),
    ("执法证有效期至", _badge),
    ("状态", lambda r: r.status),
    ("可抽取", lambda r: "是" if r.drawable else "否"),
    ("所属区划", lambda r: DIVISIONS.get(r.district_code or "", r.district_code or "")),
    ("执法资质（事项数）", lambda r: str(r.qualification_count)),
    ("业务专长", lambda r: r.expertise),
    ("联系电话", lambda r: r.phone or ""),
)


class InspectorTableModel(RowListModel[InspectorRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)

    def extra_data(self, row: InspectorRow, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and not row.drawable:
            return _GREY
        return None


class InspectorsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db: Database = ctx.db
        self.model = InspectorTableModel(self)
        # A few thousand rows at most: sorting by column in memory is fine here.
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortLocaleAware(True)
        self.transfer = RegistryTransfer(ctx.db, "inspectors", "执法检查人员", self)
        self.transfer.imported.connect(self.reload)
        self.recusal_transfer = RegistryTransfer(ctx.db, "recusals", "回避关系", self)
        self.recusal_transfer.imported.connect(self.reload)
        self._build()
        self.reload()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        head = QHBoxLayout()
        head.addWidget(forms.page_title("执法检查人员名录库"))
        head.addStretch(1)
        self.new_button = forms.button("新增…", "新增一名执法检查人员", "Ctrl+N")
        self.edit_button = forms.button("编辑…", "查看或修改所选人员（回车、双击）")
        self.refresh_button = forms.button("刷新", "重新查询", "F5")
        for b in (self.new_button, self.edit_button, self.refresh_button):
            head.addWidget(b)
        head.addSpacing(12)
        transfer = self.transfer.buttons()
        for b in transfer:
            head.addWidget(b)
        recusal_import = self.recusal_transfer.buttons()[0]
        recusal_import.setText("导入回避…")
        head.addWidget(recusal_import)
        layout.addLayout(head)
        forms.restrict_to_editors(self.new_button, transfer[0], recusal_import)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("姓名或执法证号（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.department = forms.choice_combo([])
        self.status = forms.choice_combo([(s.value, s.value) for s in InspectorStatus])
        self.drawable_only = QCheckBox("仅可抽取（在岗且执法证有效）(&K)")
        bar.addWidget(self.search, 1)
        bar.addWidget(forms.labelled("部门(&D)", self.department))
        bar.addWidget(forms.labelled("状态(&T)", self.status))
        bar.addWidget(self.drawable_only)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setStretchLastSection(True)
        for i, width in enumerate((90, 120, 130, 150, 60, 60, 90, 130, 200)):
            self.table.setColumnWidth(i, width)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(lambda _t: self.reload())
        for combo in (self.department, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.drawable_only.toggled.connect(lambda _b: self.reload())
        self.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self.edit_current)
        self.refresh_button.clicked.connect(self.reload)
        self.table.activated.connect(lambda index: self.edit_row(index.row()))
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.search.setFocus)

    def current_query(self) -> InspectorQuery:
        return InspectorQuery(
            department_id=self.department.currentData(),
            status=self.status.currentData(),
            drawable_only=self.drawable_only.isChecked(),
            text=self.search.text(),
        )

    def reload(self) -> None:
        self._refresh_departments()
        rows = list_inspectors(self._db, self.current_query())
        self.model.set_rows(rows)
        drawable = sum(1 for r in rows if r.drawable)
        self.count_label.setText(f"共 {len(rows):,} 人，其中可抽取 {drawable:,} 人")

    def _refresh_departments(self) -> None:
        """Departments may arrive with an item import: keep the filter's list current."""
        forms.refill_choices(self.department, [(d.name, d.id) for d in list_departments(self._db)])

    def edit_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.edit_row(index.row())

    def edit_row(self, proxy_row: int) -> InspectorDialog:
        source = self.proxy.mapToSource(self.proxy.index(proxy_row, 0))
        return self.open_dialog(self.model.row_at(source.row()).id)

    def open_dialog(self, inspector_id: int | None) -> InspectorDialog:
        dialog = InspectorDialog(self._db, inspector_id, self)
        dialog.finished.connect(lambda _r: self._after_dialog(dialog))
        dialog.open()
        return dialog

    def _after_dialog(self, dialog: InspectorDialog) -> None:
        if dialog.saved_id is not None:
            self.reload()
            row = self.model.row_of(dialog.saved_id)
            if row >= 0:
                self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        dialog.deleteLater()
        self.table.setFocus()
