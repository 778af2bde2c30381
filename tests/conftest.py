"""Shared fixtures: every database test takes its database from `db`.

`db` is a fresh, migrated database per test: a real SQLite file in a temp
folder, or — with DUALRANDOM_TEST_PG_URL set — a fresh schema on a real
PostgreSQL server, so the same tests run on both backends.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never look for a screen in tests; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models.db import Database, open_database

PG_ENV = "DUALRANDOM_TEST_PG_URL"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the user's real data, log and settings folders out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DUALRANDOM_HOME", str(home))
    monkeypatch.delenv("DUALRANDOM_DB", raising=False)
    return home


def _pg_database(base_url: str) -> Iterator[Database]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"dr_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    database = open_database(url)
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "pg"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh migrated database; runs once on SQLite and once on PostgreSQL."""
    if request.param == "pg":
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(f"{PG_ENV} 未设置：跳过 PostgreSQL")
        yield from _pg_database(base)
        return
    database = open_database(f"sqlite:///{tmp_path / 'test.sqlite'}")
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh migrated SQLite file, for what only SQLite has (file backups, FTS5)."""
    database = open_database(f"sqlite:///{tmp_path / 'test.sqlite'}")
    try:
        yield database
    finally:
        database.dispose()
