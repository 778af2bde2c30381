"""Print how long `fill_demo` takes for N targets into a fresh temporary SQLite file.

    python bench/demo_fill.py [--targets N] [--seed S]

The issue's bar: 1,000,000 targets in under 60 s. CPU seconds (all threads of
this process) are printed too: on a busy machine the wall time mostly
measures the other processes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from app.models.db import open_database
from app.services.demo.fill import fill_demo


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dualrandom-bench-") as tmp:
        path = Path(tmp) / "demo.sqlite"
        db = open_database(f"sqlite:///{path}")
        try:
            started, cpu_started = time.perf_counter(), time.process_time()
            summary = fill_demo(db, targets=args.targets, seed=args.seed)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            # Fold the WAL into the main file so the size printed is the database's.
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.dispose()
        size_mb = path.stat().st_size / 1e6
    print(
        f"targets={summary.targets} inspectors={summary.inspectors} "
        f"fill_seconds={elapsed:.1f} cpu_seconds={cpu:.1f} db_mb={size_mb:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
