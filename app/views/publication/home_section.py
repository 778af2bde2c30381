"""首页 section: results past their 20-working-day publication deadline (a few lines)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QWidget

from app.models.db import Database
from app.services.common.errors import USER_ERRORS
from app.services.publication.overview import DueTask, overdue_publications

SHOWN = 5


class OverduePublications(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.tasks: list[DueTask] = []

    def refresh(self, db: Database, today: date) -> None:
        try:
            self.tasks = overdue_publications(db, today)
        except USER_ERRORS as exc:
            self.setText(str(exc))
            return
        if not self.tasks:
            self.setText("公示逾期：无")
            self.setStyleSheet("")
            return
        lines = [t.text for t in self.tasks[:SHOWN]]
        if len(self.tasks) > SHOWN:
            lines.append(f"……另有 {len(self.tasks) - SHOWN} 项，见“公示”页")
        self.setText(f"公示逾期 {len(self.tasks)} 项：\n" + "\n".join(lines))
        self.setStyleSheet("color:#c8102e")
