"""`NAME.sqlite.inuse`: a lock file that tells a restore the database is open somewhere.

Every process that opens a SQLite database holds a shared lock on the file
beside it for as long as it keeps the database open; a restore takes it
exclusively without waiting, so it refuses while a GUI, an import or any
other command still has the database open (replacing the file under them
would leave their later writes in the displaced file). The operating system
drops a lock when its process dies, so a crash never leaves the file stuck.

POSIX: flock (shared / exclusive). Windows has no shared byte locks, so each
process locks one byte of its own (chosen by process id) and a restore
locks the whole range.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

_WIN_RANGE = 1 << 20


class LockHeld(Exception):
    """Another process holds the lock in a conflicting mode."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".inuse")


class InUseLock:
    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._fh: IO[bytes] | None = None

    def _open(self) -> IO[bytes]:
        if self._fh is None:
            self._fh = open(self.path, "a+b")  # noqa: SIM115 - held until release()
        return self._fh

    def acquire_shared(self) -> None:
        fh = self._open()
        try:
            if sys.platform == "win32":
                import msvcrt

                fh.seek(1 + os.getpid() % (_WIN_RANGE - 1))
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError) as exc:
            self.release()
            raise LockHeld(str(exc)) from None

    def acquire_exclusive(self) -> None:
        fh = self._open()
        try:
            if sys.platform == "win32":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, _WIN_RANGE)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError) as exc:
            self.release()
            raise LockHeld(str(exc)) from None

    def release(self) -> None:
        # Closing the file drops the lock (flock and msvcrt alike).
        if self._fh is not None:
            try:
                self._fh.close()
            finally:
                self._fh = None

    def __enter__(self) -> InUseLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
