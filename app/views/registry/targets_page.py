"""检查对象库: a million-row table paged in SQL, filters, search, edit, Excel in and out."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.divisions import DIVISIONS
from app.domain.registry import REG_STATUSES
from app.domain.risk import RISK_CLASSES, RISK_LABELS, UNCLASSIFIED
from app.services.registry.query import (
    ACTIVE_STATUSES,
    Facets,
    TargetQuery,
    count_targets,
    load_facets,
)
from app.views.context import AppContext
from app.views.registry import forms
from app.views.registry.target_model import COLUMNS, TargetTableModel
from app.views.registry.transfer import RegistryTransfer
from app.views.widgets.jobs import Latest

if TYPE_CHECKING:
    from app.views.registry.target_dialog import TargetDialog

SEARCH_DELAY_MS = 250
# Filter choices and the total are read after the first rows are on screen.
BACKGROUND_DELAY_MS = 50


class TargetsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = ctx.db
        self.model = TargetTableModel(ctx.db, self)
        self.count_query = Latest(self)
        self.count_query.answered.connect(self._show_count)
        self.facet_query = Latest(self)
        self.facet_query.answered.connect(self._fill_facets)
        self.transfer = RegistryTransfer(ctx.db, "targets", "检查对象", self)
        self.transfer.imported.connect(self.reload)
        self._total: int | None = None
        self._build()
        self.model.set_query(TargetQuery())
        QTimer.singleShot(BACKGROUND_DELAY_MS, self._load_facets)

    def _load_facets(self) -> None:
        db = self._db
        self.facet_query.request(lambda: load_facets(db))

    # -- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        head = QHBoxLayout()
        head.addWidget(forms.page_title("检查对象名录库"))
        head.addStretch(1)
        self.new_button = forms.button("新增…", "新增一个检查对象", "Ctrl+N")
        self.edit_button = forms.button("编辑…", "查看或修改所选检查对象（回车、双击）")
        self.status_button = forms.button("注销/吊销…", "变更所选检查对象的登记状态")
        self.refresh_button = forms.button("刷新", "重新查询", "F5")
        for b in (self.new_button, self.edit_button, self.status_button, self.refresh_button):
            head.addWidget(b)
        head.addSpacing(12)
        transfer = self.transfer.buttons()
        for b in transfer:
            head.addWidget(b)
        layout.addLayout(head)
        forms.restrict_to_editors(self.new_button, self.status_button, transfer[0])

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("名称或统一社会信用代码（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self.search.setToolTip("输入名称或代码的任意一段；停顿片刻或按回车即搜索")
        self.division = forms.choice_combo(
            [(f"{code} {name}", code) for code, name in DIVISIONS.items()]
        )
        self.risk = forms.choice_combo(
            [(f"{c}（{RISK_LABELS[c]}）", c) for c in RISK_CLASSES] + [(UNCLASSIFIED, UNCLASSIFIED)]
        )
        self.status = forms.choice_combo(
            [("可抽取（存续/在业/开业）", ACTIVE_STATUSES)] + [(s, s) for s in REG_STATUSES]
        )
        self.entity_type = forms.choice_combo([])
        self.industry = forms.choice_combo([])
        self.industry.setMaximumWidth(220)
        self.clear_button = forms.button("清除筛选", "清空搜索和全部筛选条件")
        bar.addWidget(self.search, 2)
        bar.addWidget(forms.labelled("行政区划(&D)", self.division))
        bar.addWidget(forms.labelled("信用风险(&R)", self.risk))
        bar.addWidget(forms.labelled("登记状态(&T)", self.status))
        bar.addWidget(forms.labelled("主体类型", self.entity_type))
        bar.addWidget(forms.labelled("行业", self.industry))
        bar.addWidget(self.clear_button)
        layout.addLayout(bar)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setMinimumWidth(48)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)  # a third click goes back to entry order
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        header.setStretchLastSection(True)
        for i, column in enumerate(COLUMNS):
            self.table.setColumnWidth(i, column.width)
        layout.addWidget(self.table, 1)

        self.count_label = QLabel()
        layout.addWidget(self.count_label)

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(BACKGROUND_DELAY_MS)
        self._count_timer.timeout.connect(self._count)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textEdited.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        for combo in (self.division, self.risk, self.status, self.entity_type, self.industry):
            combo.activated.connect(lambda _i: self.apply_filters())
        self.clear_button.clicked.connect(self.clear_filters)
        self.new_button.clicked.connect(self.new_target)
        self.edit_button.clicked.connect(self.edit_current)
        self.status_button.clicked.connect(self.change_status_of_current)
        self.refresh_button.clicked.connect(self.reload)
        self.table.activated.connect(lambda index: self.edit_row(index.row()))
        self.model.queryChanged.connect(self._query_changed)
        self.model.rowsInserted.connect(lambda *_: self._show_count(self._total))
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self._focus_search)

        QWidget.setTabOrder(self.search, self.division)
        QWidget.setTabOrder(self.division, self.risk)
        QWidget.setTabOrder(self.risk, self.status)
        QWidget.setTabOrder(self.status, self.entity_type)
        QWidget.setTabOrder(self.entity_type, self.industry)
        QWidget.setTabOrder(self.industry, self.table)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- query --------------------------------------------------------------------------

    def current_query(self) -> TargetQuery:
        base = self.model.query
        return replace(
            base,
            text=self.search.text().strip(),
            division_code=self.division.currentData(),
            risk_class=self.risk.currentData(),
            reg_status=self.status.currentData(),
            entity_type=self.entity_type.currentData(),
            industry_code=self.industry.currentData(),
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)

    def clear_filters(self) -> None:
        self.search.clear()
        for combo in (self.division, self.risk, self.status, self.entity_type, self.industry):
            combo.setCurrentIndex(0)
        self.apply_filters()

    def reload(self) -> None:
        self.model.reload()
        self._load_facets()

    def _query_changed(self, query: TargetQuery) -> None:
        self._total = None
        self._show_count(None)
        self.count_query.cancel_pending()
        self._count_timer.start()
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.scrollToTop()

    def _count(self) -> None:
        db, query = self._db, self.model.query
        self.count_query.request(lambda: count_targets(db, query))

    def _show_count(self, total: object) -> None:
        if isinstance(total, int):
            self._total = total
        shown = self.model.rowCount()
        if self._total is None:
            self.count_label.setText(f"已显示 {shown:,} 条，正在统计总数…")
        elif self._total == 0:
            self.count_label.setText("没有符合条件的检查对象")
        else:
            scope = "符合条件的" if self.model.query.is_filtered else "全部"
            self.count_label.setText(
                f"{scope}检查对象共 {self._total:,} 个，已显示 {shown:,} 个（向下滚动加载更多）"
                if shown < self._total
                else f"{scope}检查对象共 {self._total:,} 个"
            )

    def _fill_facets(self, facets: object) -> None:
        assert isinstance(facets, Facets)
        known = {self.division.itemData(i) for i in range(self.division.count())}
        for code in facets.divisions:
            if code not in known:
                self.division.addItem(code, code)
        _refill(self.entity_type, [(t, t) for t in facets.entity_types])
        _refill(self.industry, [(f"{c} {n}".strip(), c) for c, n in facets.industries])

    # -- editing ------------------------------------------------------------------------

    def edit_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.edit_row(index.row())

    def edit_row(self, row: int) -> TargetDialog:
        from app.views.registry.target_dialog import TargetDialog

        target_id = self.model.row_at(row).id
        dialog = TargetDialog(self._db, target_id, self)
        dialog.finished.connect(lambda _r: self._after_dialog(dialog))
        dialog.open()
        return dialog

    def new_target(self) -> TargetDialog:
        from app.views.registry.target_dialog import TargetDialog

        dialog = TargetDialog(self._db, None, self)
        dialog.finished.connect(lambda _r: self._after_dialog(dialog))
        dialog.open()
        return dialog

    def change_status_of_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        dialog = self.edit_row(index.row())
        dialog.status_button.click()

    def _after_dialog(self, dialog: TargetDialog) -> None:
        if dialog.saved_id is not None:
            row = self.model.refresh_target(dialog.saved_id)
            if row >= 0:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        dialog.deleteLater()
        self.table.setFocus()


def _refill(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
    current = combo.currentData()
    combo.clear()
    combo.addItem(forms.ALL, None)
    for text, value in choices:
        combo.addItem(text, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
