"""节假日与结果期限: the year's holidays and make-up days, and where the 20-day clock starts.

Days entered here override the built-in calendar; a year nobody entered and
the calendar does not know is counted Monday–Friday, and the tab says so.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.registry_fields import FieldError, parse_date
from app.domain.workdays import DayKind
from app.services.common.errors import USER_ERRORS
from app.services.inspections import holidays
from app.services.inspections.common import DeadlineReference, InspectionError
from app.services.inspections.settings import deadline_rule
from app.views.context import AppContext

ERRORS: tuple[type[Exception], ...] = (*USER_ERRORS, InspectionError, FieldError)
KIND_LABELS = [k.label for k in DayKind]


class HolidaysTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = ctx.db
        self.rule = QComboBox()
        for mode in DeadlineReference:
            self.rule.addItem(mode.label, mode.value)
        self.rule_button = QPushButton("保存期限规则")
        self.rule_button.clicked.connect(self.save_rule)
        rule_row = QHBoxLayout()
        rule_row.addWidget(self.rule)
        rule_row.addWidget(self.rule_button)
        rule_row.addStretch(1)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year + 1)
        self.year.valueChanged.connect(lambda _v: self.load())
        self.source = QLabel()
        year_row = QHBoxLayout()
        year_row.addWidget(self.year)
        year_row.addWidget(self.source, 1)
        form = QFormLayout()
        form.addRow("结果录入期限起算日", rule_row)
        form.addRow(
            "",
            QLabel(
                "规则：起算日之后的第一个工作日为第 1 天，第 20 个工作日为期限"
                "（节假日、调休按下表）。"
            ),
        )
        form.addRow("年度", year_row)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            ["日期（YYYY-MM-DD）", "类型（放假/调休上班）", "名称"]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        add = QPushButton("添加一行")
        add.clicked.connect(lambda: self.add_row())
        remove = QPushButton("删除所选行")
        remove.clicked.connect(self.remove_rows)
        save = QPushButton("保存本年度")
        save.clicked.connect(self.save_year)
        imp = QPushButton("从 Excel 导入…")
        imp.setToolTip("列：日期、类型（放假/调休上班）、名称")
        imp.clicked.connect(lambda: self.import_file())
        buttons = QHBoxLayout()
        for b in (add, remove, save, imp):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.rule.setCurrentIndex(max(0, self.rule.findData(deadline_rule(self.db).value)))
        self.load()

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet("color:#1b7a3a" if ok else "color:#c8102e")
        self.message.setText(text)

    def load(self) -> None:
        year = self.year.value()
        days = holidays.list_days(self.db, year)
        self.table.setRowCount(0)
        for d in days:
            self.add_row(d.day.isoformat(), d.kind.label, d.name)
        self.source.setText(holidays.working_calendar(self.db).year_source(year))

    def add_row(self, day: str = "", kind: str = "放假", name: str = "") -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(day))
        box = QComboBox()
        box.addItems(KIND_LABELS)
        box.setCurrentText(kind)
        self.table.setCellWidget(row, 1, box)
        self.table.setItem(row, 2, QTableWidgetItem(name))

    def remove_rows(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def entries(self) -> list[holidays.DayEntry]:
        out = []
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            text = cell.text().strip() if cell else ""
            if not text:
                continue
            day = parse_date(text)
            box = self.table.cellWidget(row, 1)
            kind = DayKind.from_label(box.currentText() if isinstance(box, QComboBox) else "")
            name_cell = self.table.item(row, 2)
            if day is None or kind is None:
                raise InspectionError(f"第 {row + 1} 行的日期或类型不完整")
            out.append(holidays.DayEntry(day, kind, name_cell.text() if name_cell else ""))
        return out

    def save_year(self) -> None:
        try:
            changed = holidays.save_year(self.db, self.year.value(), self.entries())
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return
        self.say(f"已保存 {self.year.value()} 年节假日；重新计算了 {changed} 项检查的期限。")
        self.load()

    def save_rule(self) -> None:
        try:
            changed = holidays.set_deadline_reference(
                self.db, DeadlineReference(self.rule.currentData())
            )
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return
        self.say(f"期限规则已保存；重新计算了 {changed} 项检查的期限。")

    def import_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "导入节假日", "", "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        try:
            report = holidays.import_days(self.db, path)
        except ERRORS as exc:  # an unreadable workbook is a UserError too
            self.say(str(exc), ok=False)
            return
        issues = "；".join(f"第 {i.row} 行：{i.reason}" for i in report.rejections[:5])
        self.say(f"节假日导入完成：{report.text()}" + (f"。{issues}" if issues else ""), ok=True)
        self.load()
