"""Export N targets from SQLite to xlsx: time and peak memory.

    python bench/export_targets.py [--rows 1000000]

The database is filled once by importing the cached benchmark workbook
(bench/import_targets.py makes the same one) and kept in /tmp/dualrandom-bench;
the export runs in a fresh process. Target: 1,000,000 rows < 60 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _targets_xlsx import CACHE_DIR, targets_workbook

FILL = """
import sys
from app.models.db import open_database
from app.services.registry.imports.engine import import_registry
db = open_database("sqlite:///" + sys.argv[2])
import_registry(db, "targets", sys.argv[1])
db.dispose()
"""

CHILD = """
import json, resource, sys, time
from app.models.db import open_database
from app.services.registry.export import export_registry
db = open_database("sqlite:///" + sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
rows = export_registry(db, "targets", sys.argv[2])
print(json.dumps({
    "rows": rows,
    "seconds": time.perf_counter() - wall,
    "cpu_seconds": time.process_time() - cpu,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

ROOT = Path(__file__).resolve().parent.parent


def filled_database(rows: int) -> Path:
    db = CACHE_DIR / f"export-targets-{rows}.sqlite"
    if not db.exists():
        part = db.with_suffix(".part")
        part.unlink(missing_ok=True)
        subprocess.run(
            [sys.executable, "-c", FILL, str(targets_workbook(rows)), str(part)],
            check=True,
            cwd=ROOT,
        )
        part.rename(db)
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    db = filled_database(args.rows)
    with tempfile.TemporaryDirectory(prefix="dualrandom-bench-") as tmp:
        out_file = Path(tmp) / "export.xlsx"
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(db), str(out_file)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        size = out_file.stat().st_size / 2**20
    print(
        f"export {r['rows']:>9,} targets: {r['seconds']:6.1f} s wall, "
        f"{r['cpu_seconds']:6.1f} s CPU, peak RSS {r['peak_rss_mb']:,.0f} MB, file {size:,.0f} MB"
    )


if __name__ == "__main__":
    main()
