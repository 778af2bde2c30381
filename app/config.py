"""Where things live: the database URL, the user's data and log folders."""

from __future__ import annotations

import os
from pathlib import Path

# Re-exported: callers name the folders through app.config.
from app.paths import ENV_HOME as ENV_HOME
from app.paths import data_dir as data_dir
from app.paths import default_db_path as default_db_path
from app.paths import log_dir as log_dir

ENV_DB = "DUALRANDOM_DB"


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
