"""Long work off the GUI thread: the one background-job mechanism of the views.

`Job` runs a function on its own QThread and reports on the GUI thread:
`progress(done, total)`, `succeeded(result)`, `failed(message, traceback)`,
`cancelled()`, then `done()`. The function receives `progress(done, total)`
and `cancelled() -> bool`, and opens its own database Session (services do,
via Database.session()). Built on it:

- `run_with_progress`: a job behind a modal progress dialog with 取消;
- `Latest`: "newest answer only" for queries fired while the user types —
  one job at a time per `Latest`, the newest waiting request replaces older
  ones, and only the answer to the newest request is delivered.

Every started job is registered until it ends, so closing a page never
destroys a running QThread; `stop_all_jobs()` cancels and waits for all of
them (the application's quit, tests' teardown). No event loop is re-entered.
"""

from __future__ import annotations

import logging
import threading
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.domain.errors import Cancelled, UserError

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
JobFn = Callable[[ProgressFn, CancelledFn], Any]


class JobCancelled(Cancelled):
    """Raised by a job that noticed cancelled(); its transaction is rolled back."""


# Jobs started and not yet done; `Latest` runners alive (to stop their queues).
_running: set[Job] = set()
_latest: weakref.WeakSet[Latest] = weakref.WeakSet()
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
    _closing = True  # no new work once the application is leaving
    stop_all_jobs()


def stop_all_jobs(ms: int = 30_000) -> None:
    """Cancel every job and wait until its thread ended (quit, window close, tests)."""
    for runner in list(_latest):
        runner.drop_queued()
    for job in list(_running):
        job.cancel()
        if job.wait(ms):
            _running.discard(job)
        else:  # still running: keep the reference so the thread is not destroyed
            log.warning("a background job did not end within %d ms", ms)


def running_jobs() -> int:
    return len(_running)


class _Worker(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str, str)  # message for the user, traceback for the log
    cancelled = Signal()

    def __init__(self, fn: JobFn, cancel_event: threading.Event) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = cancel_event

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(self.progress.emit, self._cancel.is_set)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:
            if self._cancel.is_set():
                self.cancelled.emit()
                return
            if not isinstance(exc, UserError):
                log.error("background job failed\n%s", traceback.format_exc())
            self.failed.emit(str(exc) or type(exc).__name__, traceback.format_exc())
        else:
            self.succeeded.emit(result)


class Job(QObject):
    """One background job; emits on the GUI thread. Registered until done."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, fn: JobFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel_event = threading.Event()
        self._thread = QThread()
        self._worker = _Worker(fn, self._cancel_event)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        for sig, mine in (
            (self._worker.succeeded, self.succeeded),
            (self._worker.failed, self.failed),
            (self._worker.cancelled, self.cancelled),
        ):
            sig.connect(mine)
            sig.connect(self._finish)

    def start(self) -> None:
        _hook_quit()
        _running.add(self)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel_event.set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30_000) -> bool:
        """Block until the thread ended (tests' teardown, application exit)."""
        self._thread.quit()
        return self._thread.wait(ms)

    @Slot()
    def _finish(self, *_args: object) -> None:
        self._thread.quit()
        self._thread.wait()
        _running.discard(self)
        self.done.emit()


def start_job(fn: Callable[[], Any]) -> Job:
    """Run `fn()` in the background with nobody waiting for its answer (the daily backup)."""
    job = Job(lambda _progress, _cancelled: fn())
    job.start()
    return job


class _Relay(QObject):
    """A child of the `Latest` that asked: if it goes first, Qt drops these connections."""

    def __init__(self, owner: Latest, ticket: int) -> None:
        super().__init__(owner)
        self._owner = owner
        self._ticket = ticket

    def on_success(self, result: object) -> None:
        self._owner._deliver(self._ticket, result)

    def on_failure(self, message: str, _traceback: str) -> None:
        self._owner._fail(self._ticket, message)

    def on_done(self) -> None:
        self._owner._next()
        self.deleteLater()


class Latest(QObject):
    """Runs `fn()` in the background; emits `answered(result)` for the newest request only."""

    answered = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticket = 0
        self._job: Job | None = None
        self._queued: tuple[int, Callable[[], Any]] | None = None
        self.pending = False  # the newest request has not been answered yet
        _latest.add(self)

    def request(self, fn: Callable[[], Any]) -> None:
        if _closing:
            return
        self._ticket += 1
        self.pending = True
        if self._job is not None:
            self._queued = (self._ticket, fn)  # replaces any older waiting request
            return
        self._start(self._ticket, fn)

    def cancel_pending(self) -> None:
        """Ignore whatever is still running or waiting."""
        self._ticket += 1
        self._queued = None
        self.pending = False

    def drop_queued(self) -> None:
        self._queued = None

    def shutdown(self, ms: int = 30_000) -> None:
        """Drop waiting requests and wait for the running one (a dialog closing)."""
        self.cancel_pending()
        if self._job is not None:
            self._job.cancel()
            self._job.wait(ms)

    def _start(self, ticket: int, fn: Callable[[], Any]) -> None:
        # No Qt parent: the registry keeps the job (and its thread) alive past this object.
        job = Job(lambda _progress, _cancelled: fn())
        relay = _Relay(self, ticket)
        job.succeeded.connect(relay.on_success)
        job.failed.connect(relay.on_failure)
        job.done.connect(relay.on_done)
        self._job = job
        job.start()

    def _next(self) -> None:
        self._job = None
        if self._queued is not None and not _closing:
            ticket, fn = self._queued
            self._queued = None
            self._start(ticket, fn)

    def _deliver(self, ticket: int, result: object) -> None:
        if ticket == self._ticket:
            self.pending = False
            self.answered.emit(result)

    def _fail(self, ticket: int, message: str) -> None:
        if ticket == self._ticket:
            self.pending = False
            self.failed.emit(message)


def run_with_progress(
    parent: QWidget,
    title: str,
    fn: JobFn,
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None],
) -> Job:
    """Start `fn` in the background behind a modal progress dialog with 取消."""
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = Job(fn, parent)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    job.progress.connect(on_progress)
    dialog.canceled.connect(job.cancel)
    job.succeeded.connect(on_success)
    job.failed.connect(lambda msg, _tb: on_failure(msg))
    job.cancelled.connect(lambda: on_failure(Cancelled().message))
    job.done.connect(dialog.close)
    job.done.connect(dialog.deleteLater)
    job.start()
    return job
