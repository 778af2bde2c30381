"""The projector under load: frame rate and the longest GUI-thread block during the reveal.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/draw_projector.py \
        [--targets 5000] [--seconds 8] [--speed 4] [--shots DIR]

Runs a synthetic draw (no database) through the projector at 1920×1080 and
prints: frames painted per second while names roll, the longest gap between
two ticks of a 1 ms watchdog timer (how long the GUI thread was ever busy
without returning to the event loop), and the longest single paintEvent.
With --shots, saves one PNG per stage into DIR.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.views.application import configure_application
from app.views.draw.projector import ProjectorWindow
from bench._draw_sample import sample_draw


class Watchdog(QObject):
    """A 1 ms timer on the GUI thread; the largest gap between ticks is the worst block."""

    def __init__(self, interval_ms: int = 1) -> None:
        super().__init__()
        self.interval = interval_ms
        self.clock = QElapsedTimer()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.max_gap = 0

    def start(self) -> None:
        self.clock.start()
        self.last = 0
        self.max_gap = 0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.max_gap = max(self.max_gap, now - self.last - self.interval + 1)
        self.last = now


def wait(_app: QApplication, ms: int) -> None:
    """Run the event loop for `ms` (QApplication.quit would close the windows)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(window: ProjectorWindow, path: Path) -> None:
    window.grab().save(str(path))
    print(f"saved {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--shots", type=Path, default=None)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    draw = sample_draw(args.targets)
    window = ProjectorWindow()
    window.place(None)
    window.resize(1920, 1080)
    window.show()
    window.show_commitment(draw.commitment_view())
    wait(app, 300)
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
        shoot(window, args.shots / "draw-projector-commitment-empty.png")
    lines = draw.witness_lines()
    for k in range(1, len(lines) + 1):
        window.set_witnesses(lines[:k])
    wait(app, 100)
    if args.shots:
        shoot(window, args.shots / "draw-projector-commitment.png")

    outcome = draw.outcome_view()
    frames = []
    paint_ms: list[float] = []

    def on_frame(ms: float) -> None:
        frames.append(time.perf_counter())
        paint_ms.append(ms)

    window.reveal.frame.connect(on_frame)
    dog = Watchdog()
    t_start = time.perf_counter()
    window.start_reveal(outcome, draw.decoys(), args.speed)
    dog.start()
    if args.shots:
        wait(app, 1100)
        shoot(window, args.shots / "draw-projector-rolling.png")
        wait(app, 1600)
        shoot(window, args.shots / "draw-projector-reveal.png")
        # A settled name with a few before it in the list: the picture for the guide.
        later = args.shots / "draw-projector-reveal-later.png"
        window.reveal_progress.connect(lambda n, _t: shoot(window, later) if n == 9 else None)
        window.set_speed(8.0)
        wait(app, 6000)
        window.set_speed(args.speed)
    remaining = max(0.0, args.seconds - (time.perf_counter() - t_start))
    wait(app, int(remaining * 1000))
    dog.stop()
    elapsed = time.perf_counter() - t_start
    settled = window.reveal.settled
    window.reveal_all()
    wait(app, 100)
    if args.shots:
        shoot(window, args.shots / "draw-projector-end.png")

    # Frame rate while rolling: frames within the roll phases only are not
    # separable cheaply; the held phase paints nothing, so report both.
    print(f"targets in pool: {args.targets}, selected: {outcome.total}, settled: {settled}")
    print(f"reveal ran {elapsed:.1f} s, frames painted: {len(frames)}")
    if len(frames) > 1:
        gaps = sorted(b - a for a, b in itertools.pairwise(frames) if b - a < 0.2)
        if gaps:
            median = gaps[len(gaps) // 2]
            print(
                f"frame interval while rolling: median {median * 1000:.1f} ms "
                f"({1 / median:.0f} fps), 95th pct {gaps[int(len(gaps) * 0.95)] * 1000:.1f} ms"
            )
    if paint_ms:
        print(
            f"paintEvent: median {sorted(paint_ms)[len(paint_ms) // 2]:.1f} ms, "
            f"max {max(paint_ms):.1f} ms"
        )
    print(f"GUI thread max block (1 ms watchdog gap): {dog.max_gap} ms")
    window.close()


if __name__ == "__main__":
    main()
