"""Issue 11.5 (restore): a database another process holds open is not replaced under it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.models import Department
from app.models.db import Database, open_database

HOLDER = """
import sys
from app.models.db import open_database
db = open_database(sys.argv[1])
with db.session() as s:
    s.execute(__import__("sqlalchemy").text("SELECT 1"))
print("ready", flush=True)
sys.stdin.readline()  # hold the database open until told to stop
db.dispose()
"""


def _names(path: Path) -> list[str]:
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as s:
            return sorted(d.name for d in s.query(Department))
    finally:
        db.dispose()


def test_restore_refuses_while_another_process_has_the_database_open(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(sqlite_db.engine.url.database or "")
    with sqlite_db.session() as s:
        s.add(Department(code="A", name="甲"))
    backup = tmp_path / "copy.sqlite"
    assert cli.main(["backup", str(backup), "--db", str(path)]) == 0
    with sqlite_db.session() as s:
        s.add(Department(code="B", name="乙"))
    sqlite_db.dispose()

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, f"sqlite:///{path}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        capsys.readouterr()
        assert cli.main(["restore", str(backup), "--db", str(path)]) == 2
        err = capsys.readouterr().err
        assert "正被其他程序使用" in err and str(path) in err
        assert not list(tmp_path.glob("*before-restore*"))
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.communicate(timeout=30)
    assert _names(path) == ["乙", "甲"]  # untouched while held

    # Once the other process has let go, the restore goes ahead.
    assert cli.main(["restore", str(backup), "--db", str(path)]) == 0
    assert _names(path) == ["甲"]


def test_a_killed_holder_does_not_keep_the_database_locked(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = Path(sqlite_db.engine.url.database or "")
    backup = tmp_path / "copy.sqlite"
    assert cli.main(["backup", str(backup), "--db", str(path)]) == 0
    sqlite_db.dispose()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, f"sqlite:///{path}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    holder.kill()
    holder.communicate(timeout=30)
    assert cli.main(["restore", str(backup), "--db", str(path)]) == 0
