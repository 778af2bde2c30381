"""Small read-only queries off the GUI thread (counts, filter choices).

Each query runs as a jobs.Job. Jobs are kept in a module-level set until
they end, so closing a page never destroys a running QThread; a page only
takes the newest answer of each kind (a `ticket` per request).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.views.widgets.jobs import Job

_running: set[Job] = set()
_quit_hooked = False


_closing = False


def _hook_quit() -> None:
    global _quit_hooked
    app = QCoreApplication.instance()
    if app is not None and not _quit_hooked:
        app.aboutToQuit.connect(_on_quit)
        _quit_hooked = True


def _on_quit() -> None:
    global _closing
    _closing = True  # no new queries once the application is leaving
    wait_for_background()


def wait_for_background(ms: int = 30_000) -> None:
    """Block until every background query ended (application exit, tests' teardown)."""
    for _round in range(10):
        if not _running:
            break
        for job in list(_running):
            job.wait(ms)
        # Deliver the queued `done` signals (which may ask for one more query).
        QCoreApplication.processEvents()
    _running.clear()


class _Relay(QObject):
    def __init__(self, owner: LatestQuery, ticket: int) -> None:
        super().__init__(owner)
        self._owner = owner
        self._ticket = ticket

    def on_success(self, result: object) -> None:
        self._owner._deliver(self._ticket, result)

    def on_failure(self, message: str, _traceback: str) -> None:
        self._owner._fail(self._ticket, message)


class LatestQuery(QObject):
    """Runs `fn()` in the background; emits `answered(result)` for the newest request only."""

    answered = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticket = 0

    def request(self, fn: Callable[[], Any]) -> None:
        if _closing:
            return
        _hook_quit()
        self._ticket += 1
        ticket = self._ticket
        job = Job(lambda _progress, _cancelled: fn())
        _running.add(job)
        # A child of self: if the page goes first, Qt drops these connections.
        relay = _Relay(self, ticket)
        job.succeeded.connect(relay.on_success)
        job.failed.connect(relay.on_failure)
        job.done.connect(relay.deleteLater)
        job.done.connect(lambda: _running.discard(job))
        job.start()

    def cancel_pending(self) -> None:
        """Ignore whatever is still running."""
        self._ticket += 1

    def _deliver(self, ticket: int, result: object) -> None:
        if ticket == self._ticket:
            self.answered.emit(result)

    def _fail(self, ticket: int, message: str) -> None:
        if ticket == self._ticket:
            self.failed.emit(message)
