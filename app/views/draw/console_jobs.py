"""Background work for the console: one Job per slow step, messages in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.views.widgets.jobs import Job

SayFn = Callable[[str, bool], None]


class JobRunner(QObject):
    """Starts jobs, reports "…" while they run and the reason when one fails."""

    busy_changed = Signal(bool)

    def __init__(self, say: SayFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._say = say
        self.jobs: list[Job] = []

    def run(
        self,
        what: str,
        work: Callable[[], Any],
        ready: Callable[[Any], None],
        failed: Callable[[], None] | None = None,
        quiet: bool = False,
    ) -> Job:
        job = Job(lambda _progress, _cancelled: work(), self)
        self.jobs.append(job)
        if not quiet:
            self._say(f"{what}……", False)
        self.busy_changed.emit(True)

        def succeeded(value: Any) -> None:
            if not quiet:
                self._say("", False)
            ready(value)

        def on_failure(message: str, _traceback: str) -> None:
            self._say(f"{what}失败：{message}", True)
            if failed is not None:
                failed()

        job.succeeded.connect(succeeded)
        job.failed.connect(on_failure)
        job.done.connect(lambda: self._done(job))
        job.start()
        return job

    def is_busy(self) -> bool:
        return any(job.is_running() for job in self.jobs)

    def wait_all(self) -> None:
        for job in list(self.jobs):
            job.wait()

    def _done(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        self.busy_changed.emit(self.is_busy())
