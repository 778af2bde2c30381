"""Issue 11.6: two imports of one kind at once are serialised, with true "before" values.

The first import is held inside its transaction (after its first chunk) while
the second starts; once released, the second must find what the first
committed: no duplicate-key traceback, and its audit entries' "before" values
are the first import's "after" values.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from app.models import AuditEntry, Target
from app.models.db import Database
from app.services.registry.imports.engine import import_registry
from tests.registry_data import target_code
from tests.xlsx_files import target_rows, write_xlsx

ROWS = 5_200  # more than one chunk (5,000), so the first import pauses mid-transaction


def _file(tmp_path: Path, name: str, label: str) -> Path:
    codes = [target_code(n) for n in range(ROWS)]
    rows = target_rows(codes)
    for row in rows[1:]:
        row[1] = f"{row[1]}{label}"
    return write_xlsx(tmp_path / name, rows)


def _race(db: Database, first: Path, second: Path) -> list[object]:
    """Run `first` (held after its first chunk) and `second` at once; their reports or errors."""
    held, release = threading.Event(), threading.Event()
    results: list[object] = [None, None]

    def hold(done: int, _total: int) -> None:
        if done < ROWS and not held.is_set():
            held.set()
            release.wait(60)

    def run(k: int, path: Path, progress: object) -> None:
        try:
            results[k] = import_registry(db, "targets", path, progress=progress)  # type: ignore[arg-type]
        except Exception as exc:  # the failure under test, reported below
            results[k] = exc

    a = threading.Thread(target=run, args=(0, first, hold))
    a.start()
    assert held.wait(60)
    b = threading.Thread(target=run, args=(1, second, None))
    b.start()
    time.sleep(1.0)  # let the second import reach the lock (no assertion on timing)
    release.set()
    a.join(120)
    b.join(120)
    return results


def test_the_same_file_twice_at_once(db: Database, tmp_path: Path) -> None:
    path = _file(tmp_path, "a.xlsx", "")
    first, second = _race(db, path, path)
    assert not isinstance(first, Exception), first
    assert not isinstance(second, Exception), second
    assert (first.inserted, second.inserted, second.unchanged) == (ROWS, 0, ROWS)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Target)) == ROWS


def test_concurrent_updates_record_true_before_values(db: Database, tmp_path: Path) -> None:
    import_registry(db, "targets", _file(tmp_path, "w.xlsx", "甲"))
    first, second = _race(db, _file(tmp_path, "x.xlsx", "乙"), _file(tmp_path, "y.xlsx", "丙"))
    assert not isinstance(first, Exception), first
    assert not isinstance(second, Exception), second
    assert first.updated == ROWS and second.updated == ROWS
    with db.session() as s:
        entries = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "targets", AuditEntry.action == "update")
            .order_by(AuditEntry.seq)
        ).all()
    assert len(entries) == 2 * ROWS
    last_after: dict[str, str] = {}
    for e in entries:
        if e.entity_id in last_after:
            assert e.before["name"] == last_after[e.entity_id]  # what it really replaced
        else:
            assert e.before["name"].endswith("甲")
        last_after[e.entity_id] = e.after["name"]
    assert all(v.endswith("丙") for v in last_after.values())
