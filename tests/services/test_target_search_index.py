"""SQLite: the FTS5 trigram index stays exact through bulk imports, and a failed
import puts its triggers and indexes back with the rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.models.db import Database
from app.services.registry import bulk_load
from app.services.registry.imports.engine import ImportCancelled, import_registry
from app.services.registry.imports.targets import TargetHandler
from tests.registry_data import add_targets, target_code
from tests.xlsx_files import target_rows, write_xlsx


def _schema(db: Database) -> list[tuple[str, str]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT type, name FROM sqlite_master WHERE tbl_name IN ('targets', 'targets_fts')"
            )
        )
        return sorted((r[0], r[1]) for r in rows)


def _search(db: Database, needle: str) -> set[int]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT rowid FROM targets_fts WHERE targets_fts MATCH :q"), {"q": f'"{needle}"'}
        )
        return {r[0] for r in rows}


def _integrity_check(db: Database) -> None:
    """FTS5 compares its index with the content table; raises when they differ."""
    with db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO targets_fts(targets_fts, rank) VALUES ('integrity-check', 1)")
        )


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the drop-and-rebuild path with a few rows."""
    monkeypatch.setattr(bulk_load, "DROP_INDEXES_FROM_ROWS", 1)


def _rows(n: int, start: int = 0) -> list[list[object]]:
    return target_rows([target_code(i) for i in range(start, start + n)])


@pytest.mark.usefixtures("small_threshold")
def test_bulk_import_indexes_every_row_and_restores_the_schema(
    sqlite_db: Database, tmp_path: Path
) -> None:
    before = _schema(sqlite_db)
    assert ("trigger", "targets_fts_ai") in before and ("index", "ix_targets_name") in before
    report = import_registry(sqlite_db, "targets", write_xlsx(tmp_path / "a.xlsx", _rows(30)))
    assert report.inserted == 30
    assert _schema(sqlite_db) == before
    _integrity_check(sqlite_db)
    assert len(_search(sqlite_db, "测试商贸1")) == 11  # 1, 10–19
    assert len(_search(sqlite_db, target_code(7)[-6:])) == 1


def test_import_into_a_filled_registry_indexes_new_and_renamed_rows(
    sqlite_db: Database, tmp_path: Path
) -> None:
    add_targets(sqlite_db, 5)  # through the ORM: indexed by the trigger
    rows = _rows(3, start=100)
    rows.append([target_code(0, "371502", "2"), "改名后的药房"])  # an existing target, renamed
    report = import_registry(sqlite_db, "targets", write_xlsx(tmp_path / "a.xlsx", rows))
    assert (report.inserted, report.updated) == (3, 1)
    _integrity_check(sqlite_db)
    assert len(_search(sqlite_db, "改名后")) == 1
    assert len(_search(sqlite_db, "测试商贸")) == 3


@pytest.mark.usefixtures("small_threshold")
def test_cancel_restores_triggers_and_indexes(sqlite_db: Database, tmp_path: Path) -> None:
    add_targets(sqlite_db, 3)
    before = _schema(sqlite_db)
    path = write_xlsx(tmp_path / "a.xlsx", _rows(TargetHandler.chunk_size + 10, start=50))
    calls: list[int] = []
    with pytest.raises(ImportCancelled):
        import_registry(
            sqlite_db, "targets", path, cancel=lambda: bool(calls.append(1)) or len(calls) > 1
        )
    assert _schema(sqlite_db) == before
    _integrity_check(sqlite_db)
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM targets")).scalar() == 3


@pytest.mark.usefixtures("small_threshold")
def test_crash_mid_import_restores_everything(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _schema(sqlite_db)

    def crash(self: TargetHandler) -> None:
        raise OSError("磁盘已满")

    monkeypatch.setattr(TargetHandler, "finish", crash)
    with pytest.raises(OSError, match="磁盘已满"):
        import_registry(sqlite_db, "targets", write_xlsx(tmp_path / "a.xlsx", _rows(20)))
    assert _schema(sqlite_db) == before
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM targets")).scalar() == 0
    # The trigger works again for the next single insert.
    add_targets(sqlite_db, 1)
    _integrity_check(sqlite_db)
