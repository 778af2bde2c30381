"""Small widgets of the plan editors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget


class CheckList(QListWidget):
    """A list of checkable entries, each with a code; `changed` on any tick."""

    changed = Signal()

    def __init__(self, entries: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code, label in entries:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def _entries(self) -> list[QListWidgetItem]:
        return [self.item(i) for i in range(self.count())]

    def checked(self) -> list[str]:
        return [
            e.data(Qt.ItemDataRole.UserRole)
            for e in self._entries()
            if e.checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        self.blockSignals(True)
        for e in self._entries():
            state = e.data(Qt.ItemDataRole.UserRole) in wanted
            e.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.changed.emit()

    def set_code_checked(self, code: str, checked: bool = True) -> None:
        """Tick one entry as a user would (emits `changed`)."""
        for e in self._entries():
            if e.data(Qt.ItemDataRole.UserRole) == code:
                e.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def split_codes(text: str, upper: bool = False) -> tuple[str, ...]:
    """'F52, H62；C' → ('F52', 'H62', 'C'): spaces, commas (either width) and 、 separate."""
    parts = [p for p in re.split(r"[\s,，、;；]+", text.strip()) if p]
    if upper:
        parts = [p.upper() for p in parts]
    return tuple(dict.fromkeys(parts))
