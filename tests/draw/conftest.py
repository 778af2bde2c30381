"""Fixtures for the draw ceremony: a published joint task over the planning test registry."""

from __future__ import annotations

import pytest
from draw_data import publish_task

from app.models.db import Database


@pytest.fixture
def task_code(db: Database) -> str:
    return publish_task(db)
