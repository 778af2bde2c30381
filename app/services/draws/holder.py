"""Where an open attempt's nonce lives: in this process's memory, nowhere else.

DRAW-1 section 4 has the nonce drawn before any witness speaks. If it were
written to the database then, anyone able to read the database (any PC with
the shared server's password, anyone with the SQLite file) could try witness
digits until the draw selects what they want. So the nonce stays in the
memory of the operator's process (`NonceKeeper`), and the attempt records
only which process holds it (`holder`: pid and start time, on `workstation`).
If that process dies, the nonce dies with it and the attempt can never be
completed: another process on the same workstation sees the holder gone and
records the attempt as interrupted (中断).

`kill_point(name)` lets the crash tests end the process at a named moment
(DUALRANDOM_TEST_KILL_AT); it does nothing otherwise.
"""

from __future__ import annotations

import os
import threading

import psutil

from app.draw.protocol import nonce_commitment

KILL_ENV = "DUALRANDOM_TEST_KILL_AT"
KILLED_EXIT = 137


def kill_point(name: str) -> None:
    """End the process at once, without cleanup, when the test environment names `name`."""
    if os.environ.get(KILL_ENV) == name:
        os._exit(KILLED_EXIT)


def _holder_of(process: psutil.Process) -> str:
    # The start time tells a reused pid from the process that took the attempt.
    return f"{process.pid}/{process.create_time():.3f}"


def this_holder() -> str:
    return _holder_of(psutil.Process())


def holder_alive(holder: str | None) -> bool:
    """Whether the process named by `holder` still runs on this computer."""
    if not holder:
        return False
    pid_text, _, _started = holder.partition("/")
    try:
        return _holder_of(psutil.Process(int(pid_text))) == holder
    except (ValueError, psutil.Error):
        return False


class NonceKeeper:
    """The nonces of the attempts this process opened, by their commitment (never persisted).

    Keyed by the commitment, not the attempt's row id: one process may hold
    attempts of two databases (a settings change, tests), and a nonce is only
    ever handed out for the commitment it opens.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._nonces: dict[str, bytes] = {}

    def keep(self, nonce: bytes) -> str:
        commitment = nonce_commitment(nonce)
        with self._lock:
            self._nonces[commitment] = nonce
        return commitment

    def get(self, commitment: str) -> bytes | None:
        with self._lock:
            return self._nonces.get(commitment)

    def forget(self, commitment: str) -> None:
        with self._lock:
            self._nonces.pop(commitment, None)


# One per process: the process is the boundary of the secret.
NONCES = NonceKeeper()
