"""The console's list of tasks: two lines each (code and title, then where the draw stands).

A long title is elided to the list's width, so it never wraps over the status
line below it (at 1280 px a long joint-task title used to hide it); the full
text is in the tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.services.draws.attempts import TaskChoice

CODE = Qt.ItemDataRole.UserRole
LINES = Qt.ItemDataRole.UserRole + 1


class TaskList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawTasks")
        self.setWordWrap(False)
        self.setSpacing(4)  # two lines per task: keep tasks apart
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def show_tasks(self, tasks: Sequence[TaskChoice], current: str | None) -> None:
        """Replace the list without emitting a change of the current task."""
        self.blockSignals(True)
        self.clear()
        for t in tasks:
            lines = (f"{t.code}  {t.title}", f"{t.state_label} · {t.note}")
            item = QListWidgetItem("\n".join(lines))
            item.setData(CODE, t.code)
            item.setData(LINES, lines)
            item.setToolTip(f"{lines[0]}\n{lines[1]}\n{t.plan_title}")
            if not t.drawable:
                item.setForeground(Qt.GlobalColor.gray)
            self.addItem(item)
            if t.code == current:
                self.setCurrentItem(item)
        self.blockSignals(False)
        self._elide()

    def code(self) -> str | None:
        item = self.currentItem()
        return item.data(CODE) if item else None

    def select(self, code: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(CODE) == code:
                self.setCurrentRow(row)
                return
        raise KeyError(code)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        width = max(40, self.viewport().width() - 12)
        for row in range(self.count()):
            item = self.item(row)
            lines = item.data(LINES)
            if lines:
                shown = [metrics.elidedText(x, Qt.TextElideMode.ElideRight, width) for x in lines]
                item.setText("\n".join(shown))
