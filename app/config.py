"""Where things live: the database URL, the user's data and log folders."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

from app import APP_NAME

ENV_DB = "DUALRANDOM_DB"
# Set by tests and scripts to keep the user's real folders untouched.
ENV_HOME = "DUALRANDOM_HOME"


def data_dir() -> Path:
    override = os.environ.get(ENV_HOME)
    path = Path(override) / "data" if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get(ENV_HOME)
    path = Path(override) / "logs" if override else user_log_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "dualrandom.sqlite"


def normalize_db_url(value: str | None) -> str:
    """Turn what a user typed (None, a file path or a URL) into an SQLAlchemy URL.

    Order: the explicit value, then $DUALRANDOM_DB, then the database chosen in
    系统设置 (connection.json, see app/connection.py), then the embedded default file.
    """
    value = value or os.environ.get(ENV_DB) or ""
    if not value:
        from app.connection import saved_url

        value = saved_url() or ""
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"
