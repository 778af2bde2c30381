"""Who is acting: one context read by permission checks and by the audit log alike.

A block runs as someone with `acting_as(principal)` (a context variable, so
threads and tasks do not see each other's). Outside any such block the
desktop session's signed-in principal applies (`sign_in`, process-wide,
because worker threads start with an empty context); without a sign-in —
the command line, scripts, migrations — it is `SYSTEM`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from app.domain.auth import SYSTEM, Principal

__all__ = ["acting_as", "current_principal", "sign_in", "signed_in"]

_acting: ContextVar[Principal | None] = ContextVar("acting_principal", default=None)


class _Session:
    """The desktop session's principal: one per process, from login to quit."""

    principal: Principal | None = None


def current_principal() -> Principal:
    return _acting.get() or _Session.principal or SYSTEM


def signed_in() -> Principal | None:
    return _Session.principal


def sign_in(principal: Principal | None) -> None:
    """The desktop session's user, for this whole process (None: signed out)."""
    _Session.principal = principal


@contextmanager
def acting_as(who: Principal | str) -> Iterator[Principal]:
    """Run a block as `who`: permission checks and audit entries name them.

    A bare name (the command line's "cli:user", a login attempt) keeps the
    current rights and only changes the name the audit log records.
    """
    if isinstance(who, str):
        who = dataclasses.replace(current_principal(), username=who[:64])
    token = _acting.set(who)
    try:
        yield who
    finally:
        _acting.reset(token)
