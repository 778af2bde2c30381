"""Import N target rows from xlsx into an empty SQLite database: time and peak memory.

    python bench/import_targets.py [--rows 100000 1000000]

The workbooks (template header, valid codes from app.domain.uscc.make_code)
are generated once with openpyxl write-only and cached in /tmp/dualrandom-bench.
Each import runs in a fresh process so that its peak RSS is its own; the
figures are wall time, CPU time and peak resident memory of that process.
Targets: 100,000 rows < 10 s; 1,000,000 rows < 90 s and < 1.5 GB.
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

from _targets_xlsx import targets_workbook

CHILD = """
import json, resource, sys, time
from app.models.db import open_database
from app.services.registry.imports.engine import import_registry
db = open_database("sqlite:///" + sys.argv[2])
wall, cpu = time.perf_counter(), time.process_time()
report = import_registry(db, "targets", sys.argv[1])
print(json.dumps({
    "seconds": time.perf_counter() - wall,
    "cpu_seconds": time.process_time() - cpu,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    **report.summary(),
}))
"""


def run(rows: int) -> dict[str, float]:
    path = targets_workbook(rows)
    with tempfile.TemporaryDirectory(prefix="dualrandom-bench-") as tmp:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), str(Path(tmp) / "bench.sqlite")],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    assert result["inserted"] == rows, result
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    for rows in args.rows:
        r = run(rows)
        print(
            f"import {rows:>9,} targets: {r['seconds']:6.1f} s wall, "
            f"{r['cpu_seconds']:6.1f} s CPU, peak RSS {r['peak_rss_mb']:,.0f} MB"
        )


if __name__ == "__main__":
    main()
