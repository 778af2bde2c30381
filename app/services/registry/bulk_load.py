"""Load many targets into SQLite fast, keeping the search index exact.

Measured on this project's machine, 1,000,000 new targets: with the indexes
and the FTS insert trigger in place the inserts take about 45 s plus 6 µs a
row for the trigger (FTS5 flushes its pending terms at every statement
savepoint); without them 6 s, then 5 s to rebuild the secondary indexes and
10–15 s to index the new rows for search in one INSERT … SELECT.

So a big load drops the trigger (and, when the load outnumbers the rows
already there, the secondary indexes) inside the import's transaction and
puts everything back before commit. SQLite DDL is transactional: a crash or
cancel rolls the drops back with the rows. PostgreSQL needs none of this.

A load may also ask for a bigger SQLite page cache while it runs (the demo
fill does: the unique index on uscc still takes a million random inserts);
`loading()` puts the connection's cache size back whatever happens.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

FTS_TABLE = "targets_fts"
FTS_INSERT_TRIGGER = "targets_fts_ai"
# Below this many expected rows, keeping the indexes is cheaper than rebuilding them.
DROP_INDEXES_FROM_ROWS = 20_000


class TargetBulkLoad:
    """begin() before the first insert, finish() after the last, same transaction."""

    def __init__(self, session: Session, cache_mib: int = 0) -> None:
        self.session = session
        # SQLite page cache for the load, in MiB; 0 keeps the connection's own.
        self.cache_mib = cache_mib
        self.cache_before: int | None = None
        self.cache_conn: Connection | None = None
        self.active = False
        self.trigger_sql: str | None = None
        self.index_sql: list[str] = []
        self.max_id_before = 0

    def _exec(self, sql: str, params: dict[str, object] | None = None) -> object:
        return self.session.execute(text(sql), params or {})

    def _scalar(self, sql: str) -> int:
        return int(self.session.execute(text(sql)).scalar() or 0)

    def begin(self, expected_rows: int) -> None:
        conn = self.session.connection()
        if conn.dialect.name != "sqlite":
            return
        raw = conn.connection.dbapi_connection
        # Python's sqlite3 opens a transaction before DML only; open it before
        # the DDL below so that a rollback undoes the drops too.
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        if self.cache_mib:
            self.cache_before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
            conn.exec_driver_sql(f"PRAGMA cache_size={-1024 * self.cache_mib}")
            self.cache_conn = conn
        self.trigger_sql = self.session.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :n"),
            {"n": FTS_INSERT_TRIGGER},
        ).scalar()
        if self.trigger_sql is None:
            return  # no search index in this schema
        self.active = True
        self.max_id_before = self._scalar("SELECT coalesce(max(id), 0) FROM targets")
        self._exec(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
        existing = self._scalar("SELECT count(*) FROM targets")
        if expected_rows >= DROP_INDEXES_FROM_ROWS and expected_rows >= existing:
            rows = self.session.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'targets' AND sql IS NOT NULL"
                )
            ).all()
            for name, sql in rows:
                if " UNIQUE " in sql.upper():
                    continue  # uniqueness must hold while loading
                self._exec(f'DROP INDEX "{name}"')
                self.index_sql.append(sql)

    def finish(self) -> None:
        if not self.active:
            return
        for sql in self.index_sql:
            self._exec(sql)
        self._exec(
            f"INSERT INTO {FTS_TABLE}(rowid, name, uscc) "
            "SELECT id, name, uscc FROM targets WHERE id > :after",
            {"after": self.max_id_before},
        )
        assert self.trigger_sql is not None
        self._exec(self.trigger_sql)
        self.active = False

    def restore_cache(self) -> None:
        """Give the connection back its page cache size (PRAGMAs are not rolled back)."""
        if self.cache_conn is not None:
            self.cache_conn.exec_driver_sql(f"PRAGMA cache_size={self.cache_before}")
            self.cache_conn = None

    @contextmanager
    def loading(self, expected_rows: int) -> Iterator[None]:
        """begin() before the with-block, finish() after it; the cache size goes back even
        when the block raises (the caller's rollback undoes the rest)."""
        try:
            self.begin(expected_rows)
            yield
            self.finish()
        finally:
            self.restore_cache()
