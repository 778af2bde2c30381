"""更换检查人员: pick an eligible inspector for one team place and say why."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.models.db import Database
from app.services.common.errors import USER_ERRORS
from app.services.inspections import team
from app.services.inspections.common import InspectionError
from app.services.inspections.queries import InspectionDetail

ERRORS: tuple[type[Exception], ...] = (*USER_ERRORS, InspectionError)


class ReassignDialog(QDialog):
    def __init__(
        self, db: Database, detail: InspectionDetail, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("更换检查人员")
        self.db, self.detail, self.today = db, detail, today
        self.outcome = ""
        self.place = QComboBox()
        for m in detail.team:
            self.place.addItem(f"{m.position}. {m.name}（{m.department}）", m.position)
        self.place.currentIndexChanged.connect(lambda _i: self._load())
        self.person = QComboBox()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：因病住院；企业申请回避（近亲属）")
        self.error = QLabel()
        self.error.setStyleSheet("color:#c8102e")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("更换", self.place)
        form.addRow("接替人员", self.person)
        form.addRow("原因", self.reason)
        form.addRow(
            QLabel(
                "只列出符合本任务条件的人员：同部门、在岗、执法证有效、具备资质、区域规则、无回避。"
            )
        )
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._load()

    def _load(self) -> None:
        self.person.clear()
        position = self.place.currentData()
        if position is None:
            return
        for c in team.candidates(self.db, self.detail.inspection_id, int(position), self.today):
            self.person.addItem(f"{c.name}（{c.department}，{c.badge_no}）", c.inspector_id)
        if self.person.count() == 0:
            self.error.setText("没有符合条件的接替人员。")

    def _accept(self) -> None:
        position, person = self.place.currentData(), self.person.currentData()
        if position is None or person is None:
            self.error.setText("请选择要更换的成员和接替人员。")
            return
        try:
            self.outcome = team.reassign(
                self.db,
                self.detail.inspection_id,
                int(position),
                int(person),
                self.reason.text(),
                on=self.today,
                expected_version=self.detail.version,
            )
        except ERRORS as exc:
            self.error.setText(str(exc))
            return
        self.accept()
