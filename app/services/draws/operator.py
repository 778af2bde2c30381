"""Who operates a draw, by name, for the record and the audit log.

The signed-in user when the database has accounts; on a single-PC database
without them, the name the operator types (required: a draw record must name
a real person, never the computer's account such as `root`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from app.services.access import audit
from app.services.access.auth import current_principal
from app.services.draws.attempts import NAME_MAX, DrawError

UNSIGNED = "（免登录）"


def signed_in_operator() -> str | None:
    """The signed-in user's name, or None where nobody signed in (no accounts)."""
    principal = current_principal()
    if principal.user_id is None:
        return None
    return (principal.display_name or principal.username)[:NAME_MAX]


def operator_for(typed: str | None) -> str:
    """The operator's name for a new attempt: the signed-in user, else `typed`."""
    signed_in = signed_in_operator()
    if signed_in is not None:
        return signed_in
    name = (typed or "").strip()
    if not name:
        raise DrawError("请填写操作人员姓名（本机未启用账号登录，抽取记录须写明操作人员）")
    if len(name) > NAME_MAX:
        raise DrawError(f"操作人员姓名不超过 {NAME_MAX} 字")
    return name


def audited_as(operator: str) -> AbstractContextManager[object]:
    """Audit entries of a draw step name its operator where nobody signed in.

    Without accounts the actor would otherwise be the computer's account
    (`cli:root`, `local:root`); with accounts it is the signed-in user already.
    """
    if signed_in_operator() is None and operator:
        return audit.acting_as(operator[: 64 - len(UNSIGNED)] + UNSIGNED)
    return nullcontext()
