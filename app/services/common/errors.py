"""Errors whose message is the whole story: shown as they are, never as a traceback.

A refused permission, an edit that lost to someone else's, a database that
went away or a full disk: the message says what happened, where, and that
nothing was saved. Every such error derives from `UserError` (defined in
app.domain.errors so models and domain rules can raise them too); views and
commands catch that base only. `Cancelled` is the one cancel.
"""

from __future__ import annotations

from app.domain.errors import Cancelled, InvalidInput, UserError
from app.models.faults import DatabaseError
from app.services.common.concurrency import ConcurrentEditError

# Kept for callers written before the one base existed: `except USER_ERRORS`.
USER_ERRORS: tuple[type[Exception], ...] = (UserError,)

__all__ = [
    "USER_ERRORS",
    "Cancelled",
    "ConcurrentEditError",
    "DatabaseError",
    "InvalidInput",
    "UserError",
]
