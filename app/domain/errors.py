"""The user-error family: errors whose Chinese message is the whole story.

Every refusal, validation failure, stale edit, permission, database fault
and unreadable file derives from `UserError`; views and commands catch that
base only and show `message` as it is. Anything else is a bug and reaches
the crash dialog. It lives here, in the lowest layer that may raise one, so
models, domain rules and services can all derive from it.
"""

from __future__ import annotations

__all__ = ["Cancelled", "InvalidInput", "UserError"]


class UserError(Exception):
    """An error for the user; `message` (and str()) is what to show, in Chinese."""

    @property
    def message(self) -> str:
        return str(self)


class InvalidInput(UserError, ValueError):
    """A value the user typed or chose does not fit; nothing was saved."""


class Cancelled(UserError):
    """The user cancelled a long job; its transaction was rolled back."""

    def __init__(self, message: str = "已取消，数据库未做任何更改。") -> None:
        super().__init__(message)
