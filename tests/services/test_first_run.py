"""First run: single PC or server, administrator or none, the bureau, the first data."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy.engine import make_url

from app import connection
from app.config import default_db_path
from app.connection import ConnectionSettings
from app.models.db import open_database
from app.services.access import auth
from app.services.access.auth import StartMode
from app.services.system.bureau import BureauProfile, load_bureau
from app.services.system.first_run import (
    DATA_DEMO,
    AdminAccount,
    FirstRunFailed,
    FirstRunPlan,
    apply_first_run,
    needs_first_run,
    server_is_set_up,
    single_pc_settings,
)

BUREAU = BureauProfile(
    full_name="茌平区市场监督管理局", short_name="茌平区市场监管局",
    division_code="371523", doc_prefix="茌市监发",
)  # fmt: skip
PASSWORD = "Admin-2026-ok"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def test_a_fresh_pc_needs_the_first_run_and_an_existing_one_does_not(tmp_path: Path) -> None:
    assert needs_first_run(None)
    assert not needs_first_run(str(tmp_path / "x.sqlite"))
    os.environ["DUALRANDOM_DB"] = str(tmp_path / "x.sqlite")
    try:
        assert not needs_first_run(None)
    finally:
        del os.environ["DUALRANDOM_DB"]
    open_database(f"sqlite:///{default_db_path()}").dispose()
    assert not needs_first_run(None)


def test_single_pc_without_accounts_with_the_bureau_and_demo_data() -> None:
    plan = FirstRunPlan(single_pc_settings(), bureau=BUREAU, data=DATA_DEMO, demo_targets=300)
    outcome = apply_first_run(plan)
    assert outcome.principal is None and "演示数据" in outcome.notes[0]
    assert not needs_first_run(None)
    db = open_database(outcome.url)
    try:
        assert load_bureau(db) == BUREAU
        assert auth.start_mode(db) is StartMode.ANONYMOUS
    finally:
        db.dispose()


def test_single_pc_with_an_administrator_asks_for_a_login_afterwards() -> None:
    admin = AdminAccount("admin", "王科长", PASSWORD)
    outcome = apply_first_run(FirstRunPlan(single_pc_settings(), admin=admin, bureau=BUREAU))
    assert outcome.principal is not None and outcome.principal.username == "admin"
    db = open_database(outcome.url)
    try:
        assert auth.start_mode(db) is StartMode.LOGIN
        assert auth.login(db, "admin", PASSWORD).display_name == "王科长"
    finally:
        db.dispose()


def test_a_failed_first_run_leaves_nothing_behind() -> None:
    admin = AdminAccount("admin", "王科长", "short")  # refused: too short
    with pytest.raises(ValueError):
        apply_first_run(FirstRunPlan(single_pc_settings(), admin=admin, bureau=BUREAU))
    assert not default_db_path().exists()
    assert not connection.settings_path().exists()
    assert needs_first_run(None)


def _pg_settings() -> tuple[ConnectionSettings, str]:
    base = os.environ.get("DUALRANDOM_TEST_PG_URL")
    if not base:
        pytest.skip("DUALRANDOM_TEST_PG_URL 未设置：跳过 PostgreSQL")
    import uuid

    from sqlalchemy import create_engine, text

    name = f"dr_first_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    u = make_url(base)
    settings = ConnectionSettings(
        "postgresql", host=u.host or "localhost", port=u.port or 5432, database=name,
        user=u.username or "",
    )  # fmt: skip
    return settings, base


def _drop(base: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.pg
def test_shared_server_keeps_the_password_in_the_keyring_only(ring: MemoryKeyring) -> None:
    settings, base = _pg_settings()
    try:
        assert not server_is_set_up(settings)
        with pytest.raises(FirstRunFailed, match="系统管理员"):
            apply_first_run(FirstRunPlan(settings, password="pw-in-ring"))
        admin = AdminAccount("admin", "王科长", PASSWORD)
        plan = FirstRunPlan(settings, password="pw-in-ring", admin=admin, bureau=BUREAU)
        outcome = apply_first_run(plan)
        assert outcome.principal is not None
        assert server_is_set_up(settings)
        saved = json.loads(connection.settings_path().read_text(encoding="utf-8"))
        assert saved["backend"] == "postgresql" and "pw-in-ring" not in json.dumps(saved)
        assert ring.store[("DualRandom", settings.keyring_account)] == "pw-in-ring"
        # A second PC: the server is set up already; it only connects.
        second = apply_first_run(FirstRunPlan(settings, password="pw-in-ring"))
        assert second.principal is None
        db = open_database(outcome.url)
        try:
            assert load_bureau(db) == BUREAU
            assert auth.start_mode(db) is StartMode.LOGIN
        finally:
            db.dispose()
    finally:
        _drop(base, settings.database)


def test_single_pc_imports_the_registries_chosen(tmp_path: Path) -> None:
    from registry_data import target_code

    from tests.xlsx_files import target_rows, write_xlsx

    targets = write_xlsx(
        tmp_path / "检查对象 名录.xlsx", target_rows([target_code(n) for n in (1, 2)])
    )
    plan = FirstRunPlan(
        single_pc_settings(), bureau=BUREAU, data="import", imports={"targets": str(targets)}
    )
    outcome = apply_first_run(plan)
    assert "检查对象 名录.xlsx" in outcome.notes[0]
    db = open_database(outcome.url)
    try:
        from sqlalchemy import func, select

        from app.models import Target

        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Target)) == 2
    finally:
        db.dispose()
