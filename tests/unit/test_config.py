"""Which database opens: --db, then $DUALRANDOM_DB, then the user's data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import default_db_path, normalize_db_url
from app.models.db import describe


def test_default_is_a_sqlite_file_in_the_data_folder(_isolated_home: Path) -> None:
    url = normalize_db_url(None)
    assert url == f"sqlite:///{default_db_path()}"
    assert default_db_path().parent.is_dir()
    assert str(_isolated_home) in url


def test_environment_variable_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DUALRANDOM_DB", str(tmp_path / "x.sqlite"))
    assert normalize_db_url(None) == f"sqlite:///{tmp_path / 'x.sqlite'}"


def test_explicit_value_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DUALRANDOM_DB", str(tmp_path / "x.sqlite"))
    url = "postgresql+psycopg://clerk:secret@db.local:5432/dr"
    assert normalize_db_url(url) == url


def test_describe_never_shows_a_password() -> None:
    text = describe("postgresql+psycopg://clerk:s3cret@db.local:5432/dr")
    assert "s3cret" not in text
    assert text == "PostgreSQL：clerk@db.local:5432/dr"
    assert describe("sqlite:////tmp/a.sqlite") == "SQLite：/tmp/a.sqlite"
