"""Form helpers shared by the registry dialogs: inline errors, page title, messages."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def may_edit_registries() -> bool:
    """Whether the signed-in user may change the item list and registries at all."""
    from app.services.access.auth import Permission, current_principal

    return current_principal().may(Permission.EDIT_REGISTRIES)


def restrict_to_editors(*buttons: QPushButton) -> None:
    """Grey out what changes data for a user who may only look."""
    if may_edit_registries():
        return
    for b in buttons:
        b.setEnabled(False)
        b.setToolTip("当前用户没有“维护事项清单与名录库”的权限")


FORM_STYLE = """
QLabel#fieldError { color: #c8102e; }
QLabel#formWarning { color: #8a5a00; }
*[invalid="true"] { border: 1px solid #c8102e; border-radius: 2px; }
"""

ALL = "全部"


class FieldErrors:
    """One red message under each field; `show` sets them, the first bad field gets focus."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add_row(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        box.addWidget(error)
        form.addRow(label, holder)
        self.track(key, widget, error)
        return holder

    def track(self, key: str, widget: QWidget, error: QLabel) -> None:
        self._fields[key] = (widget, error)

    def show(self, errors: dict[str, str]) -> list[str]:
        """Show the messages; return those for keys with no field of their own."""
        self.clear()
        first: QWidget | None = None
        orphans: list[str] = []
        for key, message in errors.items():
            if key not in self._fields:
                orphans.append(message)
                continue
            widget, label = self._fields[key]
            label.setText(message)
            label.show()
            _mark(widget, True)
            first = first or widget
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return orphans

    def show_or_warn(self, parent: QWidget, errors: dict[str, str]) -> None:
        """`show`, and the messages with no field of their own in one warning."""
        orphans = self.show(errors)
        if orphans:
            warn(parent, "无法保存", "\n".join(orphans))

    def clear(self) -> None:
        for widget, label in self._fields.values():
            label.clear()
            label.hide()
            _mark(widget, False)

    def message(self, key: str) -> str:
        return self._fields[key][1].text()


def _mark(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def row_table(model: QAbstractItemModel) -> QTableView:
    """A read-only table of whole rows sized to their contents, without row numbers."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def button(text: str, tip: str = "", shortcut: str | None = None) -> QPushButton:
    b = QPushButton(text)
    if shortcut:
        b.setShortcut(shortcut)
        tip = f"{tip}（{shortcut}）" if tip else shortcut
    if tip:
        b.setToolTip(tip)
    b.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return b


def labelled(text: str, widget: QWidget) -> QWidget:
    """A small caption before a filter widget; the caption's buddy gets Alt+key focus."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    caption = QLabel(text)
    caption.setBuddy(widget)
    row.addWidget(caption)
    row.addWidget(widget)
    return holder


# Widest a filter combo gets in a page's filter row (px).
FILTER_COMBO_MAX_WIDTH = 130


def choice_combo(choices: Sequence[tuple[str, object]], with_all: bool = True) -> QComboBox:
    """A combo of (text, value); `全部` (value None) first when with_all."""
    combo = QComboBox()
    if with_all:
        combo.addItem(ALL, None)
    for text, value in choices:
        combo.addItem(text, value)
    # As wide as the texts, but never so wide that a filter row widens the
    # window past a 1280-px screen; the open list still shows whole texts.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMaximumWidth(FILTER_COMBO_MAX_WIDTH)
    combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
    return combo


def refill_choices(combo: QComboBox, choices: list[tuple[str, object]]) -> None:
    """Replace a `全部`-first filter combo's choices, keeping the current value, without signals.

    Nothing happens when the choices did not change.
    """
    shown = [(combo.itemText(i), combo.itemData(i)) for i in range(1, combo.count())]
    if choices == shown:
        return
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(ALL, None)
    for text, value in choices:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def set_combo_value(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index < 0 and isinstance(value, str) and value:
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))


def inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
