"""The database chosen in 系统设置, kept in the data folder; its password in the OS keyring.

`connection.json` holds the backend and, for a server, host, port, database
and user — never the password. The password goes to the OS keyring
(Windows Credential Manager, macOS Keychain, Secret Service on Linux) under
the service "DualRandom" and the account "user@host:port/database". A PC
without a keyring (a headless Linux box) simply cannot store it: the
settings page says so, and the server must then accept the PC some other
way (pg_hba trust for the office network, or a libpq password file).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from app.domain.errors import InvalidInput, UserError
from app.paths import data_dir

log = logging.getLogger(__name__)

KEYRING_SERVICE = "DualRandom"
FILE_NAME = "connection.json"
# Seconds before a server that does not answer is given up on (start-up, 测试连接).
CONNECT_TIMEOUT = 8


class KeyringUnavailable(UserError):
    """No usable keyring on this PC; str() is the message for the user."""


@dataclass(frozen=True)
class ConnectionSettings:
    backend: str  # "sqlite" | "postgresql"
    path: str = ""  # SQLite file
    host: str = "localhost"
    port: int = 5432
    database: str = "dualrandom"
    user: str = ""

    @property
    def is_server(self) -> bool:
        return self.backend == "postgresql"

    @property
    def keyring_account(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None = None) -> str:
        if not self.is_server:
            return f"sqlite:///{Path(self.path).expanduser().resolve()}"
        return URL.create(
            "postgresql+psycopg",
            username=self.user or None,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
            query={"connect_timeout": str(CONNECT_TIMEOUT)},
        ).render_as_string(hide_password=False)

    def validate(self) -> None:
        if self.backend not in ("sqlite", "postgresql"):
            raise InvalidInput(f"未知的数据库类型“{self.backend}”。")
        if not self.is_server and not self.path.strip():
            raise InvalidInput("请选择 SQLite 数据库文件。")
        if self.is_server:
            if not self.host.strip():
                raise InvalidInput("请填写服务器地址。")
            if not 0 < int(self.port) < 65536:
                raise InvalidInput("端口应在 1–65535 之间。")
            if not self.database.strip():
                raise InvalidInput("请填写数据库名。")


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def load() -> ConnectionSettings | None:
    path = settings_path()
    if not path.exists():
        return None
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        fields = {k: raw[k] for k in ConnectionSettings.__dataclass_fields__ if k in raw}
        settings = ConnectionSettings(**fields)
        settings.validate()
    except (OSError, ValueError, TypeError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return None
    return settings


def save(settings: ConnectionSettings) -> Path:
    """Write connection.json atomically (no password in it)."""
    settings.validate()
    path = settings_path()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path


def forget() -> None:
    """Back to the default database (the SQLite file in the data folder)."""
    settings_path().unlink(missing_ok=True)


def get_password(settings: ConnectionSettings) -> str | None:
    if not settings.is_server:
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, settings.keyring_account)
    except Exception as exc:  # no backend, locked keyring, D-Bus missing …
        log.warning("keyring unavailable: %s", exc.__class__.__name__)
        return None


def set_password(settings: ConnectionSettings, password: str) -> None:
    """Keep (or, with "", delete) the server password in the OS keyring."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        if password:
            keyring.set_password(KEYRING_SERVICE, settings.keyring_account, password)
        else:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, settings.keyring_account)
    except Exception as exc:
        log.warning("keyring unavailable: %s", exc.__class__.__name__)
        raise KeyringUnavailable(
            "本机没有可用的系统密码保管库（钥匙串/凭据管理器），密码未保存。"
            "程序不会把密码写入文件；请让服务器对本机免密码（pg_hba.conf），"
            "或使用 PostgreSQL 密码文件。"
        ) from exc


def saved_url() -> str | None:
    """The URL of the database chosen in 系统设置 (with the keyring's password), or None."""
    settings = load()
    if settings is None:
        return None
    return settings.url(get_password(settings))
