"""事项清单: the item list grouped by department and category, guides, joint items, PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.registry import ItemCategory
from app.models.db import Database
from app.services.publication.item_list import (
    PublishedFile,
    default_item_list_title,
    export_and_record_item_list,
)
from app.services.registry.forms import REFUSED
from app.services.registry.inspectors import list_departments
from app.services.registry.items import ItemRow, delete_item, list_items, ratio_cap_text
from app.views.context import AppContext
from app.views.registry import forms
from app.views.registry.item_dialog import ItemDialog
from app.views.registry.joint_groups_dialog import DepartmentsDialog, JointGroupsDialog
from app.views.registry.transfer import RegistryTransfer, last_dir
from app.views.widgets.jobs import Job, run_with_progress
from app.views.widgets.list_model import RowListModel

COLUMNS = (
    ("部门", lambda r: r.department, 120),
    ("类别", lambda r: r.category_label, 100),
    ("事项编码", lambda r: r.code, 110),
    ("抽查事项", lambda r: r.name, 260),
    ("比例上限", lambda r: ratio_cap_text(r.category, r.ratio_cap_bp), 80),
    ("检查方式", lambda r: r.methods, 150),
    ("检查对象", lambda r: r.target_type, 150),
    ("可联合", lambda r: "是" if r.joint_allowed else "否", 60),
    ("检查要点", lambda r: f"{r.checkpoint_count} 条", 70),
    ("抽查依据", lambda r: r.legal_basis, 300),
)


class ItemTableModel(RowListModel[ItemRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)


class ItemsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db: Database = ctx.db
        self.model = ItemTableModel(self)
        self.transfer = RegistryTransfer(ctx.db, "items", "抽查事项", self)
        self.transfer.imported.connect(self.reload)
        self.pdf_job: Job | None = None
        self._build()
        self.reload()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        head = QHBoxLayout()
        head.addWidget(forms.page_title("抽查事项清单"))
        head.addStretch(1)
        self.new_button = forms.button("新增…", "新增一个抽查事项", "Ctrl+N")
        self.edit_button = forms.button("编辑…", "修改所选事项及其抽查细则（回车、双击）")
        self.delete_button = forms.button("删除", "删除尚未被引用的事项", "Del")
        self.joint_button = forms.button("联合抽查事项…", "多个部门一次上门同时检查的事项组合")
        self.dept_button = forms.button("部门…", "联席会议成员单位")
        self.pdf_button = forms.button("公示版 PDF…", "生成用于公示的事项清单 PDF（A4 横向）")
        self.exempt_button = forms.button("免罚清单…", "轻微违法违规经营行为免罚清单：维护与公示")
        for b in (self.new_button, self.edit_button, self.delete_button):
            head.addWidget(b)
        head.addSpacing(12)
        for b in (self.joint_button, self.dept_button, self.pdf_button, self.exempt_button):
            head.addWidget(b)
        head.addSpacing(12)
        transfer = self.transfer.buttons()
        for b in transfer:
            head.addWidget(b)
        layout.addLayout(head)
        forms.restrict_to_editors(
            self.new_button, self.delete_button, self.dept_button, transfer[0]
        )

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("事项名称或编码（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.department = forms.choice_combo([])
        self.category = forms.choice_combo([(c.label, c.value) for c in ItemCategory])
        bar.addWidget(self.search, 1)
        bar.addWidget(forms.labelled("部门(&D)", self.department))
        bar.addWidget(forms.labelled("类别(&T)", self.category))
        bar.addStretch(1)
        layout.addLayout(bar)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for i, (_t, _f, width) in enumerate(COLUMNS):
            self.table.setColumnWidth(i, width)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(lambda _t: self.reload())
        self.department.currentIndexChanged.connect(lambda _i: self.reload())
        self.category.currentIndexChanged.connect(lambda _i: self.reload())
        self.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.joint_button.clicked.connect(self.open_joint_groups)
        self.dept_button.clicked.connect(self.open_departments)
        self.pdf_button.clicked.connect(self.ask_pdf)
        self.exempt_button.clicked.connect(self.open_exemptions)
        self.table.activated.connect(
            lambda index: self.open_dialog(self.model.row_at(index.row()).id)
        )
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.search.setFocus)

    def _refresh_departments(self) -> None:
        forms.refill_choices(self.department, [(d.name, d.id) for d in list_departments(self._db)])

    def reload(self) -> None:
        self._refresh_departments()
        rows = list_items(
            self._db, self.department.currentData(), self.category.currentData(), self.search.text()
        )
        self.model.set_rows(rows)
        key = sum(1 for r in rows if r.category == ItemCategory.KEY)
        depts = len({r.department_id for r in rows})
        self.count_label.setText(
            f"共 {len(rows)} 项（{ItemCategory.KEY.label} {key} 项，"
            f"{ItemCategory.GENERAL.label} {len(rows) - key} 项），涉及 {depts} 个部门"
        )

    # -- editing --------------------------------------------------------------------

    def edit_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.open_dialog(self.model.row_at(index.row()).id)

    def open_dialog(self, item_id: int | None) -> ItemDialog:
        dialog = ItemDialog(self._db, item_id, self)
        dialog.finished.connect(lambda _r: self._after_dialog(dialog))
        dialog.open()
        return dialog

    def _after_dialog(self, dialog: ItemDialog) -> None:
        if dialog.saved_id is not None:
            self.reload()
            row = self.model.row_of(dialog.saved_id)
            if row >= 0:
                self.table.selectRow(row)
        dialog.deleteLater()
        self.table.setFocus()

    def delete_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        if not forms.confirm(
            self, "删除事项", f"删除抽查事项 {row.code}“{row.name}”及其抽查细则？"
        ):
            return
        try:
            delete_item(self._db, row.id)
        except REFUSED as exc:
            forms.warn(self, "不能删除", str(exc))
            return
        self.reload()

    def open_joint_groups(self) -> JointGroupsDialog:
        dialog = JointGroupsDialog(self._db, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_departments(self) -> DepartmentsDialog:
        dialog = DepartmentsDialog(self._db, self)
        dialog.finished.connect(lambda _r: self.reload())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_exemptions(self) -> QDialog:
        from app.views.publication.exemptions_dialog import ExemptionsDialog

        index = self.table.currentIndex()
        code = self.model.row_at(index.row()).code if index.isValid() else ""
        dialog = ExemptionsDialog(self._db, code, self)
        dialog.open()
        return dialog

    # -- 公示 PDF ---------------------------------------------------------------------

    def ask_pdf(self) -> None:
        settings = QSettings()
        title, ok = QInputDialog.getText(
            self,
            "公示版事项清单",
            "清单标题：",
            text=str(settings.value("items/pdf_title") or default_item_list_title()),
        )
        if not ok or not title.strip():
            return
        settings.setValue("items/pdf_title", title.strip())
        path, _ = QFileDialog.getSaveFileName(
            self,
            "保存公示版事项清单",
            str(Path(last_dir()) / f"{title.strip()}.pdf"),
            "PDF (*.pdf)",
        )
        if path:
            self.start_pdf(path, title.strip())

    def start_pdf(self, path: str, title: str) -> Job:
        db = self._db

        def work(progress: Any, cancelled: Any) -> PublishedFile:
            return export_and_record_item_list(
                db, path, title=title, progress=progress, cancel=cancelled
            )

        def done(result: PublishedFile) -> None:
            forms.inform(
                self,
                "公示版事项清单",
                f"已生成 {result.items} 项、{result.pages} 页：{result.path}",
            )

        self.pdf_job = run_with_progress(
            self, "生成公示版事项清单", work, done, lambda m: forms.warn(self, "生成 PDF 失败", m)
        )
        return self.pdf_job
