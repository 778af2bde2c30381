"""Errors whose message is the whole story: shown as they are, never as a traceback.

A refused permission, an edit that lost to someone else's, a database that
went away or a full disk: the message says what happened, where, and that
nothing was saved. Views catch `USER_ERRORS` next to their own errors; the
crash dialog and the command line fall back on it.
"""

from __future__ import annotations

from app.models.faults import DatabaseError
from app.services.access.auth import PermissionDenied
from app.services.common.concurrency import ConcurrentEditError

USER_ERRORS: tuple[type[Exception], ...] = (PermissionDenied, ConcurrentEditError, DatabaseError)

__all__ = ["USER_ERRORS", "ConcurrentEditError", "DatabaseError", "PermissionDenied"]
