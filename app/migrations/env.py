"""Alembic environment: the engine comes from app.models.migrate, never from a file."""

from __future__ import annotations

from alembic import context

import app.models  # noqa: F401  (registers every table)
from app.models.base import Base


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the target search index (FTS5 table and triggers, pg_trgm indexes,
    all named targets_fts*) out of autogenerate: it is not in the ORM metadata."""
    return not (name or "").startswith("targets_fts")


config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things in place
        compare_type=True,
        include_name=include_name,
    )
    context.run_migrations()
