"""A page that is not built yet says so plainly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.views.pages import PageSpec


class PlaceholderPage(QWidget):
    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(spec.title)
        title.setObjectName("pageTitle")
        notice = QLabel(f"“{spec.title}”功能尚在建设中，当前版本暂不可用。")
        notice.setObjectName("placeholderNotice")
        purpose = QLabel(f"建成后用于：{spec.purpose}")
        purpose.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(title)
        layout.addSpacing(12)
        layout.addWidget(notice)
        layout.addWidget(purpose)
        layout.addStretch(1)
        for label in (title, notice, purpose):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
