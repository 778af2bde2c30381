"""`dualrandom` / `python -m app`: which database the GUI is started on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import app.gui
from app.cli import main


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    calls: list[str | None] = []
    monkeypatch.setattr(app.gui, "run_gui", lambda db: calls.append(db) or 0)
    return calls


def test_no_subcommand_starts_the_gui_on_the_default(started: list[str | None]) -> None:
    assert main([]) == 0
    assert started == [None]


def test_db_option_is_passed_to_the_gui(started: list[str | None], tmp_path: Path) -> None:
    path = str(tmp_path / "other.sqlite")
    assert main(["--db", path]) == 0
    assert started == [path]


def test_python_dash_m_app_answers_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("dualrandom ")
