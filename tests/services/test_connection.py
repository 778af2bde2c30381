"""The database chosen in 系统设置: a JSON file without the password, the keyring, 测试连接."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend

from app import connection
from app.config import normalize_db_url
from app.connection import ConnectionSettings, KeyringUnavailable
from app.models.db import Database
from app.services.system.connection import check_connection

SERVER = ConnectionSettings("postgresql", host="db.local", port=5433, database="dr", user="clerk")


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
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_saved_server_is_used_with_the_keyring_password(memory_keyring: MemoryKeyring) -> None:
    path = connection.save(SERVER)
    connection.set_password(SERVER, "s3cret")
    assert "s3cret" not in path.read_text(encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))["host"] == "db.local"
    assert memory_keyring.store == {("DualRandom", "clerk@db.local:5433/dr"): "s3cret"}
    url = normalize_db_url(None)
    assert url.startswith("postgresql+psycopg://clerk:s3cret@db.local:5433/dr")
    assert "connect_timeout=" in url
    connection.set_password(SERVER, "")
    assert memory_keyring.store == {}


def test_explicit_and_environment_values_still_win(monkeypatch: pytest.MonkeyPatch) -> None:
    connection.save(SERVER)
    assert normalize_db_url("/tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"
    monkeypatch.setenv("DUALRANDOM_DB", "/tmp/y.sqlite")
    assert normalize_db_url(None) == "sqlite:////tmp/y.sqlite"


def test_saved_sqlite_file(tmp_path: Path) -> None:
    connection.save(ConnectionSettings("sqlite", path=str(tmp_path / "单位.sqlite")))
    assert normalize_db_url(None) == f"sqlite:///{tmp_path / '单位.sqlite'}"
    connection.forget()
    assert normalize_db_url(None).endswith("dualrandom.sqlite")


def test_a_pc_without_keyring(no_keyring: None) -> None:
    with pytest.raises(KeyringUnavailable, match="密码未保存"):
        connection.set_password(SERVER, "s3cret")
    assert connection.get_password(SERVER) is None
    connection.save(SERVER)
    assert normalize_db_url(None).startswith("postgresql+psycopg://clerk@db.local:5433/dr")


def test_unreadable_file_is_ignored() -> None:
    connection.settings_path().write_text("{not json", encoding="utf-8")
    assert connection.load() is None
    assert normalize_db_url(None).endswith("dualrandom.sqlite")


def test_invalid_settings_are_refused() -> None:
    for bad, why in [
        (ConnectionSettings("sqlite"), "SQLite"),
        (ConnectionSettings("postgresql", host=""), "服务器地址"),
        (ConnectionSettings("postgresql", port=0), "端口"),
        (ConnectionSettings("postgresql", database=""), "数据库名"),
    ]:
        with pytest.raises(ValueError, match=why):
            connection.save(bad)


def test_check_sqlite_files(tmp_path: Path, sqlite_db: Database) -> None:
    new = check_connection(ConnectionSettings("sqlite", path=str(tmp_path / "new.sqlite")))
    assert new.ok and "首次打开时将新建" in new.message
    assert not (tmp_path / "new.sqlite").exists()
    ours = check_connection(ConnectionSettings("sqlite", path=sqlite_db.engine.url.database))
    assert ours.ok and "完好" in ours.message
    (tmp_path / "junk.sqlite").write_bytes(b"junk" * 100)
    junk = check_connection(ConnectionSettings("sqlite", path=str(tmp_path / "junk.sqlite")))
    assert not junk.ok


def test_check_a_server_that_is_down() -> None:
    down = ConnectionSettings("postgresql", host="127.0.0.1", port=1, user="x")
    report = check_connection(down, "pw")
    assert not report.ok
    assert report.message.startswith("服务器 127.0.0.1 的端口 1 拒绝连接")
    assert "pw" not in report.message


def test_check_a_real_server(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    u = db.engine.url
    settings = ConnectionSettings(
        "postgresql", host=u.host, port=u.port, database=u.database, user=u.username or ""
    )
    report = check_connection(settings)
    assert report.ok and "数据库结构为最新版本" in report.message


def _real_server() -> ConnectionSettings:
    import os

    from sqlalchemy.engine import make_url

    base = os.environ.get("DUALRANDOM_TEST_PG_URL")
    if not base:
        pytest.skip("DUALRANDOM_TEST_PG_URL 未设置：跳过 PostgreSQL")
    u = make_url(base)
    return ConnectionSettings(
        "postgresql", host=u.host or "localhost", port=u.port or 5432,
        database=u.database or "", user=u.username or "",
    )  # fmt: skip


@pytest.mark.pg
@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"database": "no_such_db_here"}, "没有名为“no_such_db_here”的数据库"),
        ({"user": "no_such_role"}, "没有用户“no_such_role”"),
        ({"port": 1}, "端口 1 拒绝连接"),
        ({"host": "no-such-host.invalid"}, "找不到服务器“no-such-host.invalid”"),
    ],
)
def test_each_connection_failure_is_told_in_chinese(change: dict, words: str) -> None:
    from dataclasses import replace

    report = check_connection(replace(_real_server(), **change))
    assert not report.ok
    assert words in report.message


@pytest.mark.parametrize(
    ("driver_says", "words"),
    [
        ('FATAL:  password authentication failed for user "clerk"', "用户名或密码不对"),
        ("fe_sendauth: no password supplied", "请填写用户“clerk”的密码"),
        ('FATAL:  no pg_hba.conf entry for host "10.0.0.5"', "不允许这台电脑连接"),
        ("connection timeout expired", "超时"),
        ('FATAL:  permission denied for database "dr"', "没有数据库“dr”的使用权限"),
        ("FATAL:  sorry, too many connections for role", "连接数已满"),
    ],
)
def test_failures_the_test_server_cannot_produce_are_worded_too(
    driver_says: str, words: str
) -> None:
    from app.services.system.connection import explain_failure

    message = explain_failure(SERVER, RuntimeError(driver_says))
    assert words in message and driver_says.splitlines()[0] in message
