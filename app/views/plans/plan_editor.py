"""年度抽查计划 editor (code, year, title, kind, departments) and the small reason dialog."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.planning import PlanKind
from app.services.common.errors import UserError
from app.services.plans import planning
from app.services.plans.values import PlanSpec
from app.views.plans.widgets import CheckList
from app.views.widgets.screen import fit_to_screen

if TYPE_CHECKING:
    from app.models.db import Database


class PlanEditorDialog(QDialog):
    """New plan (spec None) or a change to one; a filed plan's change needs a reason."""

    def __init__(
        self,
        db: Database,
        spec: PlanSpec | None = None,
        locked: bool = False,
        parent: QWidget | None = None,
        version: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._original, self._locked = db, spec.code if spec else None, locked
        self._version = version  # the plan's row version as loaded: a stale save is refused
        self.outcome = ""
        self.setWindowTitle("新建年度抽查计划" if spec is None else f"编辑计划 {spec.code}")
        departments, _ = planning.reference_data(db)
        year = date.today().year + (1 if date.today().month >= 10 else 0)
        spec = spec or PlanSpec(
            code="",
            year=year,
            title=f"{year}年度部门联合双随机抽查工作计划",
            kind=PlanKind.JOINT,
            lead_department=departments[0].code if departments else "",
        )
        self.code = QLineEdit(spec.code)
        self.code.setPlaceholderText(f"如 LC-LH-{year}")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(spec.year)
        self.title_edit = QLineEdit(spec.title)
        self.kind = QComboBox()
        for kind in PlanKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.setCurrentIndex(self.kind.findData(spec.kind.value))
        self.lead = QComboBox()
        for d in departments:
            self.lead.addItem(d.name, d.code)
        self.lead.setCurrentIndex(max(0, self.lead.findData(spec.lead_department)))
        self.departments = CheckList([(d.code, d.name) for d in departments])
        self.departments.set_checked(spec.departments)
        self.note = QPlainTextEdit(spec.note)
        self.note.setMaximumHeight(70)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("计划已备案：请填写调整原因（必填）")
        self.reason.setVisible(locked)
        for w in (self.code, self.year):
            w.setEnabled(not locked)
        self.error = QLabel()
        self.error.setObjectName("editorError")
        self.error.setStyleSheet("color:#c8102e")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow("计划编号", self.code)
        form.addRow("年度", self.year)
        form.addRow("计划名称", self.title_edit)
        form.addRow("计划类型", self.kind)
        form.addRow("牵头部门", self.lead)
        form.addRow("参与部门", self.departments)
        form.addRow("说明", self.note)
        if locked:
            form.addRow("调整原因", self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 600)

    def current_spec(self) -> PlanSpec:
        return PlanSpec(
            code=self.code.text().strip().upper(),
            year=self.year.value(),
            title=self.title_edit.text().strip(),
            kind=PlanKind(self.kind.currentData()),
            lead_department=self.lead.currentData() or "",
            departments=tuple(self.departments.checked()),
            note=self.note.toPlainText().strip(),
        )

    def save(self) -> None:
        spec = self.current_spec()
        try:
            if self._original is None:
                outcome = planning.create_plan(self._db, spec)
            else:
                reason = self.reason.text() if self._locked else None
                outcome = planning.update_plan(
                    self._db, self._original, spec, reason, version=self._version
                )
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.outcome = outcome.message
        self.accept()


class ReasonDialog(QDialog):
    """Asks for the reason of an adjustment; `reason` holds it once accepted."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("必填")
        self.reason = ""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setStyleSheet("color:#c8102e")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _ok(self) -> None:
        if not self.edit.text().strip():
            self.error.setText("请填写调整原因。")
            return
        self.reason = self.edit.text().strip()
        self.accept()
