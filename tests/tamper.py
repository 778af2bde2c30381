"""Changing the audit log behind the program's back, as an attacker with the right to would.

On PostgreSQL the append-only triggers (revision 0012) refuse it even to the
owner; a superuser (the test server's role) switches triggers off for the
transaction first — what an attacker holding the server itself could do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from app.models.db import Database


@contextmanager
def tamper(db: Database) -> Iterator[Connection]:
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        yield conn
