"""执法检查人员 edit dialog: person, badge, qualifications, and 回避 (saved at once)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.divisions import DIVISIONS
from app.domain.registry import InspectorStatus
from app.models.db import Database
from app.services.registry.forms import REFUSED, ValidationFailed
from app.services.registry.inspectors import (
    InspectorForm,
    department_items,
    get_inspector,
    list_departments,
    save_inspector,
)
from app.services.registry.targets import add_recusal, inspector_recusals, remove_recusal
from app.views.registry import forms
from app.views.registry.recusal_model import TARGET_SIDE, RecusalTableModel
from app.views.widgets.screen import fit_to_screen


class InspectorDialog(QDialog):
    def __init__(
        self, db: Database, inspector_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._form = (
            get_inspector(db, inspector_id) if inspector_id is not None else InspectorForm()
        )
        self._checked: set[int] = set(self._form.qualification_ids)
        self.saved_id: int | None = None
        self.recusals_changed = False
        self.setWindowTitle("执法检查人员" + (f" — {self._form.name}" if inspector_id else ""))
        self.setStyleSheet(forms.FORM_STYLE)
        self.errors = forms.FieldErrors()
        self.recusal_errors = forms.FieldErrors()
        self._build()
        self._fill()
        fit_to_screen(self, 980, 660)

    def _build(self) -> None:
        self.name = QLineEdit()
        self.department = QComboBox()
        for d in list_departments(self._db):
            self.department.addItem(d.name, d.id)
        self.badge_no = QLineEdit()
        self.badge_expires = QLineEdit()
        self.badge_expires.setPlaceholderText("如 2027-12-31")
        self.status = QComboBox()
        self.status.addItems([s.value for s in InspectorStatus])
        self.district = QComboBox()
        self.district.addItem("（未填）", "")
        for code, name in DIVISIONS.items():
            self.district.addItem(f"{code} {name}", code)
        self.phone = QLineEdit()
        self.expertise = QLineEdit()
        self.expertise.setPlaceholderText("业务专长，用顿号分隔，如 食品、特种设备")

        form = QFormLayout()
        e = self.errors
        e.add_row(form, "姓名(&N)", self.name, "name")
        e.add_row(form, "所属部门", self.department, "department_id")
        e.add_row(form, "执法证号(&B)", self.badge_no, "badge_no")
        e.add_row(form, "执法证有效期至", self.badge_expires, "badge_expires_on")
        e.add_row(form, "状态", self.status, "status")
        e.add_row(form, "所属区划", self.district, "district_code")
        e.add_row(form, "联系电话", self.phone, "phone")
        e.add_row(form, "业务专长", self.expertise, "expertise")

        qual_box = QGroupBox("执法资质：可检查的本部门抽查事项")
        qual_layout = QVBoxLayout(qual_box)
        self.qualifications = QListWidget()
        self.qualifications.itemChanged.connect(self._qualification_toggled)
        qual_layout.addWidget(self.qualifications)
        qual_error = QLabel()
        qual_error.setObjectName("fieldError")
        qual_error.hide()
        qual_layout.addWidget(qual_error)
        e.track("qualification_ids", self.qualifications, qual_error)
        self.department.currentIndexChanged.connect(lambda _i: self._load_items())

        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(qual_box, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top, 3)
        layout.addWidget(self._recusal_box(), 2)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存(&S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setDefault(True)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _recusal_box(self) -> QGroupBox:
        box = QGroupBox("回避的检查对象（添加、删除即时保存）")
        inner = QVBoxLayout(box)
        self.recusals = RecusalTableModel(TARGET_SIDE, self)
        self.recusal_view = forms.row_table(self.recusals)
        inner.addWidget(self.recusal_view)

        add = QFormLayout()
        self.recusal_target = QLineEdit()
        self.recusal_target.setPlaceholderText("检查对象的统一社会信用代码")
        self.recusal_reason = QLineEdit()
        self.recusal_reason.setPlaceholderText("如：配偶任该企业法定代表人")
        self.recusal_date = QLineEdit(date.today().isoformat())
        r = self.recusal_errors
        row = QHBoxLayout()
        for key, label, widget in (
            ("target", "检查对象代码", self.recusal_target),
            ("reason", "回避原因", self.recusal_reason),
            ("recorded_on", "登记日期", self.recusal_date),
        ):
            sub = QFormLayout()
            r.add_row(sub, label, widget, key)
            row.addLayout(sub, 2 if key != "recorded_on" else 1)
        add.addRow(row)
        inner.addLayout(add)
        actions = QHBoxLayout()
        self.add_recusal_button = forms.button("添加回避", "登记该人员对此检查对象回避")
        self.remove_recusal_button = forms.button("删除所选回避", "删除所选的回避记录")
        actions.addWidget(self.add_recusal_button)
        actions.addWidget(self.remove_recusal_button)
        actions.addStretch(1)
        inner.addLayout(actions)
        self.add_recusal_button.clicked.connect(self.add_recusal)
        self.recusal_target.returnPressed.connect(self.add_recusal)
        self.recusal_reason.returnPressed.connect(self.add_recusal)
        self.remove_recusal_button.clicked.connect(self.remove_selected_recusal)
        if self._form.id is None:
            box.setEnabled(False)
            box.setTitle("回避的检查对象（先保存人员，再登记回避）")
        return box

    def _fill(self) -> None:
        f = self._form
        self.name.setText(f.name)
        index = self.department.findData(f.department_id)
        if index >= 0:
            self.department.setCurrentIndex(index)
        self.badge_no.setText(f.badge_no)
        self.badge_expires.setText(f.badge_expires_on)
        self.status.setCurrentText(f.status)
        forms.set_combo_value(self.district, f.district_code)
        self.phone.setText(f.phone)
        self.expertise.setText(f.expertise)
        self._load_items()
        if f.id is not None:
            self.recusals.set_rows(inspector_recusals(self._db, f.id))

    def _load_items(self) -> None:
        dept = self.department.currentData()
        self.qualifications.blockSignals(True)
        self.qualifications.clear()
        for item in department_items(self._db, dept) if dept is not None else []:
            entry = QListWidgetItem(f"{item.code}  {item.name}（{item.category_label}）")
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = item.id in self._checked
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.qualifications.addItem(entry)
        self.qualifications.blockSignals(False)

    def _qualification_toggled(self, entry: QListWidgetItem) -> None:
        item_id = int(entry.data(Qt.ItemDataRole.UserRole))
        if entry.checkState() == Qt.CheckState.Checked:
            self._checked.add(item_id)
        else:
            self._checked.discard(item_id)

    def checked_items(self) -> list[int]:
        """Checked items of the department now chosen (others are dropped on save)."""
        shown = [
            int(self.qualifications.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.qualifications.count())
        ]
        return sorted(i for i in shown if i in self._checked)

    def current_form(self) -> InspectorForm:
        f = self._form
        return InspectorForm(
            id=f.id,
            version=f.version,
            name=self.name.text(),
            department_id=self.department.currentData(),
            badge_no=self.badge_no.text(),
            badge_expires_on=self.badge_expires.text(),
            status=self.status.currentText(),
            district_code=str(self.district.currentData() or ""),
            phone=self.phone.text(),
            expertise=self.expertise.text(),
            qualification_ids=self.checked_items(),
        )

    def save(self) -> bool:
        try:
            self.saved_id = save_inspector(self._db, self.current_form())
        except ValidationFailed as exc:
            self.errors.show_or_warn(self, exc.errors)
            return False
        except REFUSED as exc:
            forms.warn(self, "无法保存", str(exc))
            return False
        self.accept()
        return True

    def add_recusal(self) -> bool:
        assert self._form.id is not None
        try:
            add_recusal(
                self._db,
                self._form.id,
                self.recusal_target.text(),
                self.recusal_reason.text(),
                self.recusal_date.text(),
            )
        except ValidationFailed as exc:
            self.recusal_errors.show(exc.errors)
            return False
        except REFUSED as exc:
            forms.warn(self, "无法添加回避", str(exc))
            return False
        self.recusal_errors.clear()
        self.recusal_target.clear()
        self.recusal_reason.clear()
        self.recusals.set_rows(inspector_recusals(self._db, self._form.id))
        self.recusals_changed = True
        self.saved_id = self._form.id
        self.recusal_target.setFocus()
        return True

    def remove_selected_recusal(self) -> None:
        index = self.recusal_view.currentIndex()
        if not index.isValid() or self._form.id is None:
            return
        row = self.recusals.row_at(index.row())
        if not forms.confirm(
            self, "删除回避", f"删除“{row.inspector_name}”对“{row.target_name}”的回避记录？"
        ):
            return
        try:
            remove_recusal(self._db, row.id)
        except REFUSED as exc:
            forms.warn(self, "无法删除回避", str(exc))
            return
        self.recusals.set_rows(inspector_recusals(self._db, self._form.id))
        self.recusals_changed = True
        self.saved_id = self._form.id
