"""联合抽查事项 editor and the member-department list (联席会议成员单位)."""

from __future__ import annotations

from itertools import groupby

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.db import Database
from app.services.registry.forms import REFUSED, ValidationFailed
from app.services.registry.inspectors import list_departments
from app.services.registry.item_groups import (
    DepartmentForm,
    JointGroupForm,
    JointGroupRow,
    delete_joint_group,
    list_joint_groups,
    save_department,
    save_joint_group,
)
from app.services.registry.items import list_items
from app.views.registry import forms
from app.views.widgets.screen import fit_to_screen


class JointGroupsDialog(QDialog):
    """Groups on the left; the chosen group's code, name and items on the right."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._groups: list[JointGroupRow] = []
        self._current_id: int | None = None
        self._current_version: int | None = None
        self.changed = False
        self.setWindowTitle("联合抽查事项")
        self.setStyleSheet(forms.FORM_STYLE)
        self.errors = forms.FieldErrors()

        self.group_list = QListWidget()
        self.group_list.currentRowChanged.connect(self._show_group)
        self.new_button = forms.button("新增联合事项", "", "Ctrl+N")
        self.delete_button = forms.button("删除", "删除所选联合事项（不影响各部门的事项）")
        left = QVBoxLayout()
        left.addWidget(QLabel("联合抽查事项(&L)："))
        left.itemAt(0).widget().setBuddy(self.group_list)  # type: ignore[union-attr]
        left.addWidget(self.group_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)

        self.code = QLineEdit()
        self.code.setPlaceholderText("如 LH-001")
        self.name = QLineEdit()
        self.name.setPlaceholderText("如 食品生产企业联合检查")
        self.items = QTreeWidget()
        self.items.setHeaderLabels(["各部门的抽查事项（勾选一次上门同时检查的事项）"])
        form = QFormLayout()
        self.errors.add_row(form, "编码(&C)", self.code, "code")
        self.errors.add_row(form, "名称(&N)", self.name, "name")
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.items, 1)
        item_error = QLabel()
        item_error.setObjectName("fieldError")
        item_error.hide()
        right.addWidget(item_error)
        self.errors.track("items", self.items, item_error)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存(&S)", QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setShortcut("Ctrl+S")
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.new_button.clicked.connect(self.new_group)
        self.delete_button.clicked.connect(self.delete_current)

        self._fill_items()
        self._reload(select_id=None)
        fit_to_screen(self, 980, 620)

    def _fill_items(self) -> None:
        self.items.clear()
        for dept, rows in groupby(list_items(self._db), key=lambda r: r.department):
            parent = QTreeWidgetItem([dept])
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.items.addTopLevelItem(parent)
            for r in rows:
                child = QTreeWidgetItem([f"{r.code}  {r.name}（{r.category_label}）"])
                child.setData(0, Qt.ItemDataRole.UserRole, r.id)
                flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                if r.joint_allowed:
                    flags |= Qt.ItemFlag.ItemIsEnabled
                else:
                    child.setToolTip(0, "该事项未设为可联合抽查")
                child.setFlags(flags)
                child.setCheckState(0, Qt.CheckState.Unchecked)
                parent.addChild(child)
        self.items.expandAll()

    def _children(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for i in range(self.items.topLevelItemCount()):
            top = self.items.topLevelItem(i)
            if top is not None:
                out += [c for j in range(top.childCount()) if (c := top.child(j)) is not None]
        return out

    def _reload(self, select_id: int | None) -> None:
        self._groups = list_joint_groups(self._db)
        self.group_list.blockSignals(True)
        self.group_list.clear()
        for g in self._groups:
            entry = QListWidgetItem(f"{g.code}  {g.name}")
            entry.setToolTip("涉及部门：" + "、".join(g.departments))
            self.group_list.addItem(entry)
        self.group_list.blockSignals(False)
        row = next((i for i, g in enumerate(self._groups) if g.id == select_id), 0)
        if self._groups:
            self.group_list.setCurrentRow(row)
            self._show_group(row)
        else:
            self.new_group()

    def _show_group(self, row: int) -> None:
        if not (0 <= row < len(self._groups)):
            return
        g = self._groups[row]
        self._current_id = g.id
        self._current_version = g.version
        self.code.setText(g.code)
        self.name.setText(g.name)
        members = {m.id for m in g.members}
        for child in self._children():
            item_id = child.data(0, Qt.ItemDataRole.UserRole)
            child.setCheckState(
                0, Qt.CheckState.Checked if item_id in members else Qt.CheckState.Unchecked
            )
        self.errors.clear()

    def new_group(self) -> None:
        self._current_id = None
        self._current_version = None
        self.group_list.clearSelection()
        self.code.clear()
        self.name.clear()
        for child in self._children():
            child.setCheckState(0, Qt.CheckState.Unchecked)
        self.errors.clear()
        self.code.setFocus()

    def check_items(self, item_ids: set[int]) -> None:
        for child in self._children():
            if child.data(0, Qt.ItemDataRole.UserRole) in item_ids:
                child.setCheckState(0, Qt.CheckState.Checked)

    def save(self) -> bool:
        checked = [
            int(c.data(0, Qt.ItemDataRole.UserRole))
            for c in self._children()
            if c.checkState(0) == Qt.CheckState.Checked
        ]
        form = JointGroupForm(
            self._current_id, self.code.text(), self.name.text(), checked, self._current_version
        )
        try:
            group_id = save_joint_group(self._db, form)
        except ValidationFailed as exc:
            self.errors.show(exc.errors)
            return False
        except REFUSED as exc:
            forms.warn(self, "无法保存", str(exc))
            return False
        self.changed = True
        self._reload(select_id=group_id)
        return True

    def delete_current(self) -> None:
        if self._current_id is None:
            return
        if forms.confirm(self, "删除联合事项", f"删除联合抽查事项“{self.name.text()}”？"):
            try:
                delete_joint_group(self._db, self._current_id)
            except REFUSED as exc:
                forms.warn(self, "无法删除", str(exc))
                return
            self.changed = True
            self._reload(select_id=None)


class DepartmentsDialog(QDialog):
    """联席会议成员单位: add a department or correct its name, code and order."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.changed = False
        self._current_id: int | None = None
        self._current_version: int | None = None
        self.setWindowTitle("联席会议成员单位")
        self.setStyleSheet(forms.FORM_STYLE)
        self.errors = forms.FieldErrors()
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.order = QSpinBox()
        self.order.setRange(0, 999)
        form = QFormLayout()
        self.errors.add_row(form, "部门名称(&N)", self.name, "name")
        self.errors.add_row(form, "部门简码(&C)", self.code, "code")
        form.addRow("排列顺序", self.order)
        new_button = forms.button("新增部门", "", "Ctrl+N")
        new_button.clicked.connect(self.new_department)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(new_button)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        buttons = QDialogButtonBox()
        save = buttons.addButton("保存(&S)", QDialogButtonBox.ButtonRole.ApplyRole)
        save.setShortcut("Ctrl+S")
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        save.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._reload(None)
        fit_to_screen(self, 640, 420)

    def _reload(self, select_id: int | None) -> None:
        self._departments = list_departments(self._db)
        self.list.blockSignals(True)
        self.list.clear()
        for d in self._departments:
            self.list.addItem(f"{d.name}（{d.code}）")
        self.list.blockSignals(False)
        row = next((i for i, d in enumerate(self._departments) if d.id == select_id), 0)
        if self._departments:
            self.list.setCurrentRow(row)
            self._show(row)
        else:
            self.new_department()

    def _show(self, row: int) -> None:
        if 0 <= row < len(self._departments):
            d = self._departments[row]
            self._current_id = d.id
            self._current_version = d.version
            self.name.setText(d.name)
            self.code.setText(d.code)
            self.order.setValue(d.sort_order)
            self.errors.clear()

    def new_department(self) -> None:
        self._current_id = None
        self._current_version = None
        self.name.clear()
        self.code.clear()
        self.order.setValue(max((d.sort_order for d in self._departments), default=0) + 1)
        self.name.setFocus()

    def save(self) -> bool:
        form = DepartmentForm(
            self._current_id,
            self.code.text(),
            self.name.text(),
            self.order.value(),
            self._current_version,
        )
        try:
            dept_id = save_department(self._db, form)
        except ValidationFailed as exc:
            self.errors.show(exc.errors)
            return False
        except REFUSED as exc:
            forms.warn(self, "无法保存", str(exc))
            return False
        self.changed = True
        self._reload(dept_id)
        return True
