"""检查对象 detail and edit dialog: fields with inline errors, 回避 list, 注销/吊销."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import uscc as uscc_rules
from app.domain.divisions import DIVISIONS
from app.domain.registry import REG_STATUSES, EntityType
from app.domain.risk import RISK_CLASSES, RISK_LABELS, UNCLASSIFIED
from app.models.db import Database
from app.services.common.errors import UserError
from app.services.registry.forms import REFUSED, ValidationFailed
from app.services.registry.targets import (
    DEREGISTER_STATUSES,
    TargetForm,
    get_target,
    save_target,
    set_target_status,
    target_recusals,
)
from app.views.registry import forms
from app.views.registry.recusal_model import INSPECTOR_SIDE, RecusalTableModel
from app.views.widgets.screen import fit_to_screen


class TargetDialog(QDialog):
    """Edit one target (`target_id`) or enter a new one (None). `saved_id` after a save."""

    def __init__(self, db: Database, target_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._form = get_target(db, target_id) if target_id is not None else TargetForm()
        self.saved_id: int | None = None
        self.status_changed = False
        self.setWindowTitle("检查对象" if target_id is None else f"检查对象 — {self._form.name}")
        self.setStyleSheet(forms.FORM_STYLE)
        self.errors = forms.FieldErrors()
        self._build()
        self._fill(self._form)
        fit_to_screen(self, 900, 640 if target_id is not None else 460)

    # -- layout ---------------------------------------------------------------------

    def _build(self) -> None:
        self.uscc = QLineEdit()
        self.uscc.setMaxLength(30)
        self.uscc.setPlaceholderText("18 位，如 91371502MA3C12345X")
        self.uscc.editingFinished.connect(self._derive_division)
        self.name = QLineEdit()
        self.legal_rep = QLineEdit()
        self.address = QLineEdit()
        self.division = QComboBox()
        self.division.setEditable(True)
        for code, name in DIVISIONS.items():
            self.division.addItem(f"{code} {name}", code)
        editor = self.division.lineEdit()
        assert editor is not None  # an editable combo has its line edit
        editor.setPlaceholderText("6 位数字")
        self.phone = QLineEdit()
        self.entity_type = QComboBox()
        self.entity_type.setEditable(True)
        self.entity_type.addItems(["", *(e.value for e in EntityType)])
        self.industry_code = QLineEdit()
        self.industry_code.setPlaceholderText("GB/T 4754，如 F5211")
        self.industry_name = QLineEdit()
        self.reg_status = QComboBox()
        self.reg_status.addItems(list(REG_STATUSES))
        self.risk_class = QComboBox()
        self.risk_class.addItem(UNCLASSIFIED, "")
        for c in RISK_CLASSES:
            self.risk_class.addItem(f"{c}（{RISK_LABELS[c]}）", c)
        self.founded_on = QLineEdit()
        self.founded_on.setPlaceholderText("如 2019-03-01")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("专项监管名单，用顿号分隔")
        self.last_inspected = QLabel()

        left, right = QFormLayout(), QFormLayout()
        e = self.errors
        e.add_row(left, "统一社会信用代码(&U)", self.uscc, "uscc")
        e.add_row(left, "名称(&N)", self.name, "name")
        e.add_row(left, "法定代表人（负责人）", self.legal_rep, "legal_rep")
        e.add_row(left, "住所（经营场所）", self.address, "address")
        e.add_row(left, "行政区划代码", self.division, "division_code")
        e.add_row(left, "联系电话", self.phone, "phone")
        e.add_row(right, "市场主体类型", self.entity_type, "entity_type")
        e.add_row(right, "行业代码", self.industry_code, "industry_code")
        e.add_row(right, "行业名称", self.industry_name, "industry_name")
        e.add_row(right, "登记状态", self.reg_status, "reg_status")
        e.add_row(right, "信用风险分类", self.risk_class, "risk_class")
        e.add_row(right, "成立日期", self.founded_on, "founded_on")
        e.add_row(right, "专项监管标签", self.tags, "tags")
        right.addRow("最近检查日期", self.last_inspected)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        self.warning = QLabel()
        self.warning.setObjectName("formWarning")
        self.warning.setWordWrap(True)
        self.warning.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.warning)

        self.recusals = RecusalTableModel(INSPECTOR_SIDE, self)
        if self._form.id is not None:
            box = QGroupBox("回避的执法检查人员（在“执法人员库”中登记）")
            inner = QVBoxLayout(box)
            self.recusal_view = forms.row_table(self.recusals)
            inner.addWidget(self.recusal_view)
            layout.addWidget(box, 1)
            self.recusals.set_rows(target_recusals(self._db, self._form.id))

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存(&S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setDefault(True)
        self.status_button = buttons.addButton("注销/吊销…", QDialogButtonBox.ButtonRole.ActionRole)
        self.status_button.setToolTip("把登记状态改为注销或吊销：不再参与抽取，记录保留")
        self.status_button.setVisible(self._form.id is not None)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.status_button.clicked.connect(self._ask_status)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill(self, f: TargetForm) -> None:
        self.uscc.setText(f.uscc)
        self.name.setText(f.name)
        self.legal_rep.setText(f.legal_rep)
        self.address.setText(f.address)
        self._set_division(f.division_code)
        self.phone.setText(f.phone)
        self.entity_type.setCurrentText(f.entity_type)
        self.industry_code.setText(f.industry_code)
        self.industry_name.setText(f.industry_name)
        if self.reg_status.findText(f.reg_status) < 0:
            self.reg_status.addItem(f.reg_status)
        self.reg_status.setCurrentText(f.reg_status)
        self.risk_class.setCurrentIndex(max(self.risk_class.findData(f.risk_class), 0))
        self.founded_on.setText(f.founded_on)
        self.tags.setText(f.tags)
        self.last_inspected.setText(f.last_inspected_on or "尚无检查记录")

    def _set_division(self, code: str) -> None:
        index = self.division.findData(code)
        if index >= 0:
            self.division.setCurrentIndex(index)
        else:
            self.division.setEditText(code)

    def _division_code(self) -> str:
        text = self.division.currentText().strip()
        index = self.division.findText(text)
        if index >= 0 and self.division.itemData(index):
            return str(self.division.itemData(index))
        return text.split(" ")[0] if text else ""

    def _derive_division(self) -> None:
        """A new code fills the division from its characters 3–8 when none is set."""
        code = uscc_rules.normalize(self.uscc.text())
        if len(code) == 18 and not self._division_code():
            self._set_division(uscc_rules.division_of(code))

    # -- actions --------------------------------------------------------------------

    def current_form(self) -> TargetForm:
        f = self._form
        return TargetForm(
            id=f.id,
            version=f.version,
            uscc=self.uscc.text(),
            name=self.name.text(),
            legal_rep=self.legal_rep.text(),
            address=self.address.text(),
            division_code=self._division_code(),
            entity_type=self.entity_type.currentText(),
            industry_code=self.industry_code.text(),
            industry_name=self.industry_name.text(),
            reg_status=self.reg_status.currentText(),
            risk_class=str(self.risk_class.currentData() or ""),
            founded_on=self.founded_on.text(),
            phone=self.phone.text(),
            tags=self.tags.text(),
        )

    def save(self) -> bool:
        try:
            saved = save_target(self._db, self.current_form())
        except ValidationFailed as exc:
            self.errors.show_or_warn(self, exc.errors)
            return False
        except REFUSED as exc:
            forms.warn(self, "无法保存", str(exc))
            return False
        self.errors.clear()
        self.saved_id = saved.id
        if saved.warnings:
            forms.inform(self, "已保存", "已保存。请注意：\n" + "\n".join(saved.warnings))
        self.accept()
        return True

    def _ask_status(self) -> None:
        current = self.reg_status.currentText()
        choices = [s for s in DEREGISTER_STATUSES if s != current]
        if current in DEREGISTER_STATUSES:
            choices.append("存续")
        status, ok = QInputDialog.getItem(
            self,
            "变更登记状态",
            f"将“{self._form.name}”的登记状态由“{current}”改为：\n"
            "（注销、吊销的主体不再参与抽取，记录和检查历史保留）",
            choices,
            0,
            False,
        )
        if ok and status:
            self.change_status(status)

    def change_status(self, status: str) -> bool:
        f = self._form
        assert f.id is not None
        try:
            f.version = set_target_status(self._db, f.id, f.version or 0, status)
        except UserError as exc:
            forms.warn(self, "无法变更登记状态", str(exc))
            return False
        f.reg_status = status
        self.reg_status.setCurrentText(status)
        self.status_changed = True
        self.saved_id = f.id
        return True
