"""target search: substring search by name or 统一社会信用代码

SQLite: an external-content FTS5 table with the trigram tokenizer, kept in
step with `targets` by triggers. PostgreSQL: pg_trgm GIN indexes.
Neither is in the ORM metadata; app/migrations/env.py keeps autogenerate away
from every name starting with "targets_fts".

Note for later revisions: a batch ("move and copy") rebuild of `targets` on
SQLite drops these triggers with the old table; recreate them afterwards.

Revision ID: 0002
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0007"
branch_labels = None
depends_on = None

_SQLITE_UP = (
    "CREATE VIRTUAL TABLE targets_fts USING fts5("
    "name, uscc, content='targets', content_rowid='id', tokenize='trigram')",
    # Bulk imports look these up by name (app/services/registry/bulk_load.py).
    "CREATE TRIGGER targets_fts_ai AFTER INSERT ON targets BEGIN "
    "INSERT INTO targets_fts(rowid, name, uscc) VALUES (new.id, new.name, new.uscc); END",
    "CREATE TRIGGER targets_fts_ad AFTER DELETE ON targets BEGIN "
    "INSERT INTO targets_fts(targets_fts, rowid, name, uscc) "
    "VALUES ('delete', old.id, old.name, old.uscc); END",
    "CREATE TRIGGER targets_fts_au AFTER UPDATE OF name, uscc ON targets "
    "WHEN old.name IS NOT new.name OR old.uscc IS NOT new.uscc BEGIN "
    "INSERT INTO targets_fts(targets_fts, rowid, name, uscc) "
    "VALUES ('delete', old.id, old.name, old.uscc); "
    "INSERT INTO targets_fts(rowid, name, uscc) VALUES (new.id, new.name, new.uscc); END",
    "INSERT INTO targets_fts(targets_fts) VALUES ('rebuild')",
)
_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS targets_fts_au",
    "DROP TRIGGER IF EXISTS targets_fts_ad",
    "DROP TRIGGER IF EXISTS targets_fts_ai",
    "DROP TABLE IF EXISTS targets_fts",
)
_PG_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX targets_fts_name_trgm ON targets USING gin (name gin_trgm_ops)",
    "CREATE INDEX targets_fts_uscc_trgm ON targets USING gin (uscc gin_trgm_ops)",
)
_PG_DOWN = (
    "DROP INDEX IF EXISTS targets_fts_uscc_trgm",
    "DROP INDEX IF EXISTS targets_fts_name_trgm",
)


def _run(statements: tuple[str, ...]) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_UP)
    elif dialect == "postgresql":
        _run(_PG_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(_PG_DOWN)
