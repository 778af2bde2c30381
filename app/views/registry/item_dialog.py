"""抽查事项 edit dialog: the item (基本信息) and its guide (抽查细则) on two tabs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.registry import ItemCategory
from app.models.db import Database
from app.services.registry.forms import REFUSED, ValidationFailed
from app.services.registry.inspectors import list_departments
from app.services.registry.items import METHOD_ORDER, ItemForm, get_item, save_item
from app.views.registry import forms
from app.views.registry.checkpoint_model import CheckpointTableModel
from app.views.widgets.screen import fit_to_screen


class ItemDialog(QDialog):
    def __init__(self, db: Database, item_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._form = get_item(db, item_id) if item_id is not None else ItemForm()
        self.saved_id: int | None = None
        self.setWindowTitle("抽查事项" + (f" — {self._form.code}" if item_id else "（新增）"))
        self.setStyleSheet(forms.FORM_STYLE)
        self.errors = forms.FieldErrors()
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._item_tab(), "基本信息(&1)")
        self.tabs.addTab(self._guide_tab(), "抽查细则(&2)")
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存(&S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill()
        fit_to_screen(self, 860, 620)

    def _item_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.code = QLineEdit()
        self.code.setPlaceholderText("如 SCJGJ-001")
        self.name = QLineEdit()
        self.department = QComboBox()
        for d in list_departments(self._db):
            self.department.addItem(d.name, d.id)
        cat_row = QWidget()
        cat_box = QHBoxLayout(cat_row)
        cat_box.setContentsMargins(0, 0, 0, 0)
        self.key_radio = QRadioButton(ItemCategory.KEY.label + "（不设比例上限）")
        self.general_radio = QRadioButton(ItemCategory.GENERAL.label)
        self.category = QButtonGroup(self)
        self.category.addButton(self.key_radio)
        self.category.addButton(self.general_radio)
        cat_box.addWidget(self.key_radio)
        cat_box.addWidget(self.general_radio)
        cat_box.addStretch(1)
        self.ratio_cap = QLineEdit()
        self.ratio_cap.setPlaceholderText("百分数，最多两位小数，如 5.00")
        self.ratio_cap.setMaximumWidth(200)
        self.key_radio.toggled.connect(self._category_changed)
        methods_row = QWidget()
        methods_box = QHBoxLayout(methods_row)
        methods_box.setContentsMargins(0, 0, 0, 0)
        self.methods: dict[str, QCheckBox] = {}
        for m in METHOD_ORDER:
            box = QCheckBox(m)
            self.methods[m] = box
            methods_box.addWidget(box)
        methods_box.addStretch(1)
        self.target_type = QLineEdit()
        self.target_type.setPlaceholderText("如 食品经营者")
        self.joint_allowed = QCheckBox("可纳入部门联合抽查")
        self.legal_basis = QPlainTextEdit()
        self.legal_basis.setPlaceholderText(
            "法律法规名称及条款，如 《中华人民共和国食品安全法》第八十七条"
        )
        self.legal_basis.setTabChangesFocus(True)

        e = self.errors
        e.add_row(form, "事项编码(&C)", self.code, "code")
        e.add_row(form, "事项名称(&N)", self.name, "name")
        e.add_row(form, "所属部门", self.department, "department_id")
        e.add_row(form, "事项类别", cat_row, "category")
        e.add_row(form, "比例上限（%）", self.ratio_cap, "ratio_cap")
        e.add_row(form, "检查方式", methods_row, "methods")
        e.add_row(form, "检查对象", self.target_type, "target_type")
        form.addRow("", self.joint_allowed)
        e.add_row(form, "抽查依据", self.legal_basis, "legal_basis")
        return page

    def _guide_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("检查程序(&P)："))
        self.procedure = QPlainTextEdit()
        self.procedure.setPlaceholderText("检查的步骤与方法，如：出示执法证件，告知检查事项……")
        self.procedure.setTabChangesFocus(True)
        self.procedure.setMaximumHeight(120)
        layout.itemAt(0).widget().setBuddy(self.procedure)  # type: ignore[union-attr]
        layout.addWidget(self.procedure)
        layout.addWidget(QLabel("检查要点（按打印顺序；双击或按 F2 编辑单元格）："))
        self.checkpoints = CheckpointTableModel(self)
        self.checkpoint_view = QTableView()
        self.checkpoint_view.setModel(self.checkpoints)
        self.checkpoint_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checkpoint_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checkpoint_view.setWordWrap(True)
        header = self.checkpoint_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.checkpoint_view.setColumnWidth(1, 260)
        layout.addWidget(self.checkpoint_view, 1)
        error = QLabel()
        error.setObjectName("fieldError")
        error.hide()
        layout.addWidget(error)
        self.errors.track("checkpoints", self.checkpoint_view, error)
        row = QHBoxLayout()
        self.add_cp = forms.button("添加要点", "在所选要点之后添加", "Ctrl+Ins")
        self.remove_cp = forms.button("删除要点", "删除所选要点", "Ctrl+Del")
        self.up_cp = forms.button("上移", "", "Ctrl+Up")
        self.down_cp = forms.button("下移", "", "Ctrl+Down")
        for b in (self.add_cp, self.remove_cp, self.up_cp, self.down_cp):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_cp.clicked.connect(self.add_checkpoint)
        self.remove_cp.clicked.connect(self.remove_checkpoint)
        self.up_cp.clicked.connect(lambda: self.move_checkpoint(-1))
        self.down_cp.clicked.connect(lambda: self.move_checkpoint(1))
        return page

    def _fill(self) -> None:
        f = self._form
        self.code.setText(f.code)
        self.name.setText(f.name)
        index = self.department.findData(f.department_id)
        if index >= 0:
            self.department.setCurrentIndex(index)
        is_key = f.category == ItemCategory.KEY
        (self.key_radio if is_key else self.general_radio).setChecked(True)
        self.ratio_cap.setText(f.ratio_cap)
        self._category_changed(is_key)
        for m, box in self.methods.items():
            box.setChecked(m in f.methods)
        self.target_type.setText(f.target_type)
        self.joint_allowed.setChecked(f.joint_allowed)
        self.legal_basis.setPlainText(f.legal_basis)
        self.procedure.setPlainText(f.procedure)
        self.checkpoints.set_checkpoints(f.checkpoints)
        self.checkpoint_view.resizeRowsToContents()

    def _category_changed(self, is_key: bool) -> None:
        self.ratio_cap.setEnabled(not is_key)
        self.ratio_cap.setPlaceholderText("重点检查事项不设比例上限" if is_key else "如 5.00")

    # -- checkpoints ----------------------------------------------------------------

    def _selected_row(self) -> int:
        index = self.checkpoint_view.currentIndex()
        return index.row() if index.isValid() else -1

    def add_checkpoint(self) -> None:
        current = self._selected_row()
        row = self.checkpoints.add(current + 1 if current >= 0 else None)
        index = self.checkpoints.index(row, 0)
        self.checkpoint_view.setCurrentIndex(index)
        self.checkpoint_view.edit(index)

    def remove_checkpoint(self) -> None:
        row = self._selected_row()
        if row >= 0:
            self.checkpoints.remove(row)

    def move_checkpoint(self, delta: int) -> None:
        row = self._selected_row()
        if row >= 0:
            moved = self.checkpoints.move(row, delta)
            column = self.checkpoint_view.currentIndex().column()
            self.checkpoint_view.setCurrentIndex(self.checkpoints.index(moved, max(column, 0)))

    # -- save -----------------------------------------------------------------------

    def current_form(self) -> ItemForm:
        f = self._form
        return ItemForm(
            id=f.id,
            version=f.version,
            code=self.code.text(),
            name=self.name.text(),
            department_id=self.department.currentData(),
            category=(
                ItemCategory.KEY if self.key_radio.isChecked() else ItemCategory.GENERAL
            ).value,
            ratio_cap=self.ratio_cap.text(),
            legal_basis=self.legal_basis.toPlainText(),
            methods=[m for m, box in self.methods.items() if box.isChecked()],
            target_type=self.target_type.text(),
            joint_allowed=self.joint_allowed.isChecked(),
            procedure=self.procedure.toPlainText(),
            checkpoints=self.checkpoints.checkpoints(),
        )

    def save(self) -> bool:
        # A cell still being edited commits when it loses focus.
        self.save_button.setFocus()
        try:
            self.saved_id = save_item(self._db, self.current_form())
        except ValidationFailed as exc:
            if "checkpoints" in exc.errors:
                self.tabs.setCurrentIndex(1)
            elif exc.errors:
                self.tabs.setCurrentIndex(0)
            self.errors.show_or_warn(self, exc.errors)
            return False
        except REFUSED as exc:
            forms.warn(self, "无法保存", str(exc))
            return False
        self.accept()
        return True
