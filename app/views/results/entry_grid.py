"""The result entry grid: one line per item, keyboard first.

Tab walks 结果类型 → 问题描述 → 检查日期 → 检查方式 → 后续处置 and on to the next
item; a category is picked by typing its code (01 … 10) or first characters.
Items already approved (or published) are shown but locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.domain.results import EDITABLE_STATES, RESULT_METHODS, FollowUp, ResultCategory
from app.services.inspections.entry import ResultInput
from app.services.inspections.queries import ResultRow

HEADERS = ("结果类型", "问题描述", "检查日期", "检查方式", "后续处置")


@dataclass
class _Line:
    row: ResultRow
    category: QComboBox
    finding: QLineEdit
    day: QDateEdit
    method: QComboBox
    follow_up: QComboBox
    status: QLabel

    @property
    def editable(self) -> bool:
        return self.row.state in EDITABLE_STATES


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class EntryGrid(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.lines: list[_Line] = []

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()
                w.setParent(None)
                w.deleteLater()
        self.lines = []

    def show_results(
        self,
        rows: tuple[ResultRow, ...],
        categories: tuple[ResultCategory, ...],
        default_day: date,
        window: tuple[date, date],
    ) -> None:
        self.clear()
        for col, text in enumerate(HEADERS):
            head = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(head, 0, col)
        previous: QWidget | None = None
        for k, row in enumerate(rows):
            line = self._line(row, categories, default_day, window)
            self.lines.append(line)
            # The item on its own line above its entry widgets, its state and who entered it
            # at the right: long names never squeeze the widgets, and the grid leaves the
            # inspection list beside it room for every column at 1280×720.
            item = QLabel(f"{k + 1}. {row.item_name}（{row.item_code}，{row.department}）")
            item.setTextFormat(Qt.TextFormat.PlainText)
            item.setWordWrap(True)
            item.setStyleSheet("font-weight:bold; padding-top:6px")
            item_line = QWidget()
            bar = QHBoxLayout(item_line)
            bar.setContentsMargins(0, 0, 0, 0)
            bar.addWidget(item, 3)
            bar.addWidget(line.status, 2, Qt.AlignmentFlag.AlignBottom)
            i = 2 * k + 1
            item_line.show()
            self.grid.addWidget(item_line, i, 0, 1, len(HEADERS))
            widgets = (line.category, line.finding, line.day, line.method, line.follow_up)
            for col, w in enumerate(widgets):
                self.grid.addWidget(w, i + 1, col)
                w.setEnabled(line.editable)
                w.show()  # now, not at the next layout pass: focus may land on it at once
                if previous is not None:
                    QWidget.setTabOrder(previous, w)
                previous = w
        self.grid.setColumnStretch(1, 1)
        self.grid.setRowStretch(2 * len(rows) + 1, 1)

    def _line(
        self,
        row: ResultRow,
        categories: tuple[ResultCategory, ...],
        default_day: date,
        window: tuple[date, date],
    ) -> _Line:
        category = QComboBox()
        category.addItem("（请选择）", None)
        for c in categories:
            category.addItem(f"{c.code} {c.name}", c.code)
        if row.category_code:
            category.setCurrentIndex(max(0, category.findData(row.category_code)))
        # Sized by a short minimum, not the longest category: the popup shows full names.
        category.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        category.setMinimumContentsLength(14)
        category.view().setMinimumWidth(360)
        finding = QLineEdit(row.finding)
        finding.setPlaceholderText("发现的问题、整改要求等")
        finding.setMinimumWidth(120)
        day = QDateEdit()
        day.setDisplayFormat("yyyy-MM-dd")
        day.setCalendarPopup(True)
        day.setDateRange(_qdate(window[0]), _qdate(window[1]))
        day.setDate(_qdate(row.inspected_on or default_day))
        method = QComboBox()
        methods = [m for m in row.methods if m in RESULT_METHODS] + [
            m for m in RESULT_METHODS if m not in row.methods
        ]
        method.addItems(methods)
        if row.method:
            method.setCurrentText(row.method)
        follow_up = QComboBox()
        follow_up.addItems([f.value for f in FollowUp])
        if row.follow_up:
            follow_up.setCurrentText(row.follow_up)
        note = row.state.label
        if row.entered_by:
            note += f"　{row.entered_department or ''} {row.entered_by}"
        if row.review_reason and row.state.value == "returned":
            note += f"\n退回：{row.review_reason}"
        status = QLabel(note)
        status.setTextFormat(Qt.TextFormat.PlainText)
        status.setWordWrap(True)
        status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        return _Line(row, category, finding, day, method, follow_up, status)

    def inputs(self) -> list[ResultInput]:
        """The lines the user filled in (category chosen), editable ones only."""
        out = []
        for line in self.lines:
            code = line.category.currentData()
            if not line.editable or code is None:
                continue
            qd = line.day.date()
            out.append(
                ResultInput(
                    item_id=line.row.item_id,
                    category_code=str(code),
                    inspected_on=date(qd.year(), qd.month(), qd.day()),
                    method=line.method.currentText(),
                    follow_up=line.follow_up.currentText(),
                    finding=line.finding.text(),
                )
            )
        return out

    def first_editable(self) -> QWidget | None:
        return next((line.category for line in self.lines if line.editable), None)
