"""Time from process start to the main window shown, on a 20,000-target database.

    python bench/startup.py [--targets 20000] [--runs 5]

Prints each run and the median. The database is filled once with the demo
data (`dualrandom demo`) in a temporary folder; each run is a new process on
the offscreen platform, timed from just before the process is spawned until
the window has been shown and painted once.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import sys
from PySide6.QtCore import QTimer
from app.gui import start
app, window, db = start(sys.argv[1])
def done():
    window.repaint()
    print("shown", flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        env["DUALRANDOM_HOME"] = tmp
        db = Path(tmp) / "bench.sqlite"
        subprocess.run(
            [sys.executable, "-m", "app", "demo", "--targets", str(args.targets), "--db", str(db)],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        times = []
        for i in range(args.runs):
            t0 = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(db)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            elapsed = time.perf_counter() - t0
            assert "shown" in out.stdout, out.stderr
            times.append(elapsed)
            print(f"run {i + 1}: {elapsed:.3f} s")
    print(
        f"startup to main window shown ({args.targets:,} targets): "
        f"median {statistics.median(times):.3f} s, best {min(times):.3f} s"
    )


if __name__ == "__main__":
    main()
