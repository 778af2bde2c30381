"""The user's data and log folders, and the embedded database's default file.

Below app.config and app.connection, which both need the data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

from app import APP_NAME

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
