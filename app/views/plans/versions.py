"""Two versions of a plan side by side: every line, changed lines highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.plans import planning
from app.services.plans.values import VersionRow
from app.views.plans.models import DIFF_HEADERS, RowTableModel, diff_rows
from app.views.widgets.screen import fit_to_screen

if TYPE_CHECKING:
    from app.models.db import Database


def _version_text(v: VersionRow) -> str:
    when = v.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if v.created_at else ""
    return f"第 {v.version_no} 版（{when}）：{v.reason}"


class VersionsDialog(QDialog):
    def __init__(self, db: Database, plan_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._code = db, plan_code
        self.setWindowTitle(f"计划 {plan_code} 的版本对比")
        self.versions = planning.list_versions(db, plan_code)
        self.left = QComboBox()
        self.right = QComboBox()
        for v in self.versions:
            self.left.addItem(_version_text(v), v.version_no)
            self.right.addItem(_version_text(v), v.version_no)
        count = len(self.versions)
        self.left.setCurrentIndex(max(0, count - 2))
        self.right.setCurrentIndex(max(0, count - 1))
        self.only_changed = QCheckBox("只显示有变化的项目")
        self.model = RowTableModel(DIFF_HEADERS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        pick = QHBoxLayout()
        pick.addWidget(QLabel("左侧"))
        pick.addWidget(self.left, 1)
        pick.addWidget(QLabel("右侧"))
        pick.addWidget(self.right, 1)
        pick.addWidget(self.only_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 1100, 700)

        for combo in (self.left, self.right):
            combo.currentIndexChanged.connect(self.refresh)
        self.only_changed.toggled.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if not self.versions:
            self.summary.setText("该计划尚未备案，还没有版本。")
            self.model.set_rows([])
            return
        a, b = self.left.currentData(), self.right.currentData()
        diff = planning.compare_versions(self._db, self._code, a, b)
        changed = sum(1 for d in diff if d.changed)
        self.model.set_headers(("项目", f"第 {a} 版", f"第 {b} 版"))
        self.model.set_rows(diff_rows(diff, self.only_changed.isChecked()))
        self.summary.setText(
            f"第 {a} 版与第 {b} 版相比有 {changed} 处不同（黄色标出）。"
            if changed
            else f"第 {a} 版与第 {b} 版内容相同。"
        )
