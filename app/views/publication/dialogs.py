"""Dialogs of the 公示 page: a correction, closing a follow-up, registering a case inspection.

Each asks, calls one service and shows its Chinese refusal in the dialog; the
dialog closes only when the service accepted.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.results import CaseSource
from app.models.db import Database
from app.services.common.errors import USER_ERRORS
from app.services.inspections.cases import CaseInput, add_case
from app.services.inspections.common import InspectionError
from app.services.inspections.settings import category_list
from app.services.publication.follow_ups import FollowUpRow, close_follow_up
from app.services.publication.records import PublicationError, publication_content
from app.services.publication.results import ResultCorrection, correct_results

ERRORS: tuple[type[Exception], ...] = (*USER_ERRORS, PublicationError, InspectionError, ValueError)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class _Dialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.outcome = ""
        self.error = QLabel()
        self.error.setStyleSheet("color:#c8102e")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def finish(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMaximumSize(1200, 680)

    def submit(self) -> None:
        try:
            self.outcome = self.run()
        except ERRORS as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def run(self) -> str:
        raise NotImplementedError


class CorrectionDialog(_Dialog):
    """更正: pick published results, give each its right category, and the reason."""

    def __init__(
        self, db: Database, code: str, publication_id: int, parent: QWidget | None
    ) -> None:
        super().__init__(f"更正公示结果：{code}", parent)
        self.db, self.code = db, code
        self.fixes: list[ResultCorrection] = []
        content = publication_content(db, publication_id)
        self.result_box = QComboBox()
        for e in content.get("enterprises", []):
            for i in e["items"]:
                label = f"{e['name']}（{e['uscc']}）· {i['item_name']}：{i['result']}"
                self.result_box.addItem(label, f"{e['uscc']}|{i['item_code']}")
        self.category_box = QComboBox()
        for c in category_list(db):
            self.category_box.addItem(f"{c.code} {c.name}", c.code)
        self.finding = QLineEdit()
        self.finding.setPlaceholderText("问题描述（未发现问题时留空）")
        add = QPushButton("加入更正项(&A)")
        add.clicked.connect(self.add_fix)
        self.list = QListWidget()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("必填：为什么更正")
        form = QFormLayout()
        form.addRow("原公示结果：", self.result_box)
        form.addRow("更正为：", self.category_box)
        form.addRow("问题描述：", self.finding)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(QLabel("本次更正："))
        layout.addWidget(self.list)
        reason_form = QFormLayout()
        reason_form.addRow("更正原因：", self.reason)
        layout.addLayout(reason_form)
        self.finish(layout)
        self.resize(820, 520)

    def add_fix(self) -> None:
        data = self.result_box.currentData()
        if not data:
            return
        uscc, item_code = str(data).split("|", 1)
        code = str(self.category_box.currentData())
        fix = ResultCorrection(uscc, item_code, code, finding=self.finding.text().strip())
        same = (uscc, item_code)
        self.fixes = [f for f in self.fixes if (f.uscc, f.item_code) != same] + [fix]
        self.list.clear()
        for f in self.fixes:
            self.list.addItem(f"{f.uscc} · {f.item_code} → {f.category_code} {f.finding or ''}")

    def run(self) -> str:
        if not self.fixes:
            raise PublicationError("请先加入至少一项更正")
        done = correct_results(self.db, self.code, self.reason.text(), self.fixes)
        return done.message + " " + "；".join(done.changes)


class CloseDialog(_Dialog):
    def __init__(self, db: Database, row: FollowUpRow, today: date, parent: QWidget | None) -> None:
        super().__init__(f"办结后续处置：{row.kind.label}", parent)
        self.db, self.row = db, row
        self.closed_on = _date_edit(today)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("处置结果，如：已改正并经复查；已立案（案号）")
        form = QFormLayout()
        form.addRow("检查对象：", QLabel(f"{row.target_name}（{row.uscc}）"))
        form.addRow("事项：", QLabel(row.item))
        form.addRow("办结日期：", self.closed_on)
        form.addRow("处置结果：", self.text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish(layout)

    def run(self) -> str:
        return close_follow_up(
            self.db,
            self.row.follow_up_id,
            closed_on=_day(self.closed_on),
            outcome=self.text.toPlainText(),
            expected_version=self.row.version,
        )


def _codes(text: str) -> list[str]:
    return [c for c in text.replace("，", ",").replace("\n", ",").split(",") if c.strip()]


class CaseDialog(_Dialog):
    """个案检查 / 专项检查: source and reference, targets, items, team (执法证号), window."""

    def __init__(self, db: Database, today: date, parent: QWidget | None) -> None:
        super().__init__("登记个案检查或专项检查", parent)
        self.db = db
        self.source = QComboBox()
        for s in CaseSource:
            self.source.addItem(s.label, s)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("投诉举报编号、交办文号或专项行动名称")
        self.targets = QPlainTextEdit()
        self.targets.setPlaceholderText("统一社会信用代码，每行一个")
        self.targets.setMaximumHeight(120)
        self.items = QLineEdit()
        self.items.setPlaceholderText("事项编码，用逗号分隔")
        self.team = QLineEdit()
        self.team.setPlaceholderText("执法证号，组长在前，至少两人")
        self.department = QLineEdit()
        self.department.setPlaceholderText("部门代码（留空为本人部门）")
        self.start, self.end = _date_edit(today), _date_edit(today)
        form = QFormLayout()
        form.addRow("检查来源：", self.source)
        form.addRow("来源编号：", self.reference)
        form.addRow("检查对象：", self.targets)
        form.addRow("检查事项：", self.items)
        form.addRow("检查组：", self.team)
        form.addRow("负责部门：", self.department)
        window = QHBoxLayout()
        window.addWidget(self.start)
        window.addWidget(QLabel("至"))
        window.addWidget(self.end)
        window.addStretch(1)
        form.addRow("检查时间：", window)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish(layout)
        self.resize(640, 400)

    def run(self) -> str:
        ids = add_case(
            self.db,
            CaseInput(
                self.source.currentData(),
                self.reference.text(),
                _codes(self.targets.toPlainText()),
                _codes(self.items.text()),
                _codes(self.team.text()),
                _day(self.start),
                _day(self.end),
                self.department.text().strip() or None,
            ),
        )
        return f"已登记检查 {len(ids)} 户：" + "、".join(f"CASE-{i}" for i in ids)
