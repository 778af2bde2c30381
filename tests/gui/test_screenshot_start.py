"""`DUALRANDOM_SCREENSHOT=OUT.png dualrandom`: start, show, grab, exit 0 (CI's xcb check)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.models.db import open_database


@pytest.mark.slow
def test_the_real_start_grabs_the_main_window_and_exits(tmp_path: Path) -> None:
    db_path = tmp_path / "fresh.sqlite"
    open_database(f"sqlite:///{db_path}").dispose()
    out = tmp_path / "shots" / "main.png"
    env = {
        **os.environ,
        "DUALRANDOM_HOME": str(tmp_path / "home"),
        "DUALRANDOM_SCREENSHOT": str(out),
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
