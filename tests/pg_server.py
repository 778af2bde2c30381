"""A fresh database on the test server with an application role (`dualrandom db setup-server`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import cli

PG_ENV = "DUALRANDOM_TEST_PG_URL"
APP_PW = "AppRole2026x"


@pytest.fixture
def server() -> Iterator[tuple[str, str, str]]:
    """(owner URL, application role, application URL) of a fresh database."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} 未设置：跳过 PostgreSQL")
    suffix = uuid.uuid4().hex[:10]
    name, role = f"dr_test_roles_{suffix}", f"dr_app_{suffix}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner_url = make_url(base).set(database=name)
    app_url = owner_url.set(username=role, password=APP_PW)
    try:
        yield (
            owner_url.render_as_string(hide_password=False),
            role,
            app_url.render_as_string(hide_password=False),
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def setup_server(owner_url: str, role: str) -> int:
    """`dualrandom db setup-server` as the administrator runs it; its exit status."""
    argv = ["db", "setup-server", "--admin-db", owner_url, "--app-role", role]
    return cli.main([*argv, "--app-password", APP_PW])
