"""Shared fixtures: every database test takes its database from `db`.

`db` is a fresh, migrated database per test: a real SQLite file in a temp
folder and — only when DUALRANDOM_TEST_PG_URL is set — a fresh database on a
real PostgreSQL server, so the same tests run on both backends. Without the
variable the PostgreSQL variants are not generated at all (CI sets it).

Migrating takes far longer than a test, so the schema is migrated once per
run into a template (a SQLite file, a PostgreSQL template database) and each
test gets a copy of it.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never look for a screen in tests; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models.db import Database, open_database

PG_ENV = "DUALRANDOM_TEST_PG_URL"


def _backends() -> list[str]:
    return ["sqlite", "pg"] if os.environ.get(PG_ENV) else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every `db` test once per available backend (ids stay [sqlite] / [pg])."""
    if "db" in metafunc.fixturenames:
        backends = _backends()
        if metafunc.definition.get_closest_marker("pg"):
            # PostgreSQL-only tests: no SQLite variant; without a server, one honest skip.
            backends = [b for b in backends if b == "pg"]
        metafunc.parametrize("db", backends, indirect=True)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the user's real data, log and settings folders out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DUALRANDOM_HOME", str(home))
    monkeypatch.delenv("DUALRANDOM_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def _fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id with cheap parameters: the suite hashes many passwords."""
    from argon2 import PasswordHasher

    from app.services.access import auth

    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture(autouse=True)
def _no_stray_threads() -> Iterator[None]:
    """Background work a test started (jobs, daily backups) is stopped before the next test."""
    before = set(threading.enumerate())
    yield
    if "PySide6" in sys.modules:
        from app.views.widgets.jobs import stop_all_jobs

        stop_all_jobs()
    for t in set(threading.enumerate()) - before:
        if not t.daemon:
            t.join(10)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_database(f"sqlite:///{path}").dispose()
    # Disposing closed the last connection, which checkpoints the WAL into the file.
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _sqlite_database(template: Path, folder: Path) -> Database:
    path = folder / "test.sqlite"
    shutil.copyfile(template, path)
    return open_database(f"sqlite:///{path}", migrate=False)


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per run, used as CREATE DATABASE's template."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ[PG_ENV]
    name = f"dr_tmpl_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    # No connection may stay open on a template while it is copied.
    open_database(url).dispose()
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _pg_database(base_url: str, template: str) -> Iterator[Database]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"dr_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    database = open_database(url, migrate=False)
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh migrated database; runs on SQLite, and on PostgreSQL when it is configured."""
    if request.param == "pg":
        template = request.getfixturevalue("_pg_template")
        yield from _pg_database(os.environ[PG_ENV], template)
        return
    database = _sqlite_database(request.getfixturevalue("_sqlite_template"), tmp_path)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def sqlite_db(_sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh migrated SQLite file, for what only SQLite has (file backups, FTS5)."""
    database = _sqlite_database(_sqlite_template, tmp_path)
    try:
        yield database
    finally:
        database.dispose()
