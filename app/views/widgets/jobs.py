"""Long work off the GUI thread: a worker on a QThread with progress and cancel.

The job function runs in the worker thread and receives two callables:
`progress(done, total)` and `cancelled() -> bool`. It must open its own
database Session (services do, via Database.session()).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.domain.errors import Cancelled

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
JobFn = Callable[[ProgressFn, CancelledFn], Any]


class JobCancelled(Cancelled):
    """Raised by a job that noticed cancelled(); its transaction is rolled back."""


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
        except JobCancelled:
            self.cancelled.emit()
        except Exception as exc:
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.failed.emit(str(exc) or type(exc).__name__, traceback.format_exc())
        else:
            self.succeeded.emit(result)


class Job(QObject):
    """One background job; emits on the GUI thread. Keep a reference until done."""

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
        self.done.emit()


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
    job.cancelled.connect(lambda: on_failure("已取消，数据库未做任何更改。"))
    job.done.connect(dialog.close)
    job.done.connect(dialog.deleteLater)
    job.start()
    return job
