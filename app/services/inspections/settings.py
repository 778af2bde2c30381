"""The inspections settings as the pages read them (one short session each)."""

from __future__ import annotations

from app.domain.results import ResultCategory
from app.models.db import Database
from app.services.common.categories import categories
from app.services.inspections.common import DeadlineReference, deadline_reference


def category_list(db: Database) -> tuple[ResultCategory, ...]:
    """The result categories in force, in sort order."""
    with db.session() as s:
        return categories(s).categories


def deadline_rule(db: Database) -> DeadlineReference:
    with db.session() as s:
        return deadline_reference(s)
