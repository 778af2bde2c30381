"""GUI fixtures: the configured application and a main window on a fresh database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.models.db import Database
from app.views.application import configure_application
from app.views.context import AppContext
from app.views.main_window import MainWindow


@pytest.fixture
def app_ctx(qapp, sqlite_db: Database) -> AppContext:
    configure_application(qapp)
    return AppContext(sqlite_db)


@pytest.fixture
def main_window(qtbot, app_ctx: AppContext) -> Iterator[MainWindow]:
    window = MainWindow(app_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
