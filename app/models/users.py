"""用户: who may log in, with which roles, in which department."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps


class User(Timestamps, Base):
    """A login. Roles are stored as a JSON list of `app.domain.auth.Role` codes."""

    __tablename__ = "users"
    # The audit log records that these changed, never their values.
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"password_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    # None: not tied to a department (city-wide); administrators see everything anyway.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    # The inspector this login is, for 检查人员 entering results of their own inspections.
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    # argon2id, PHC string format.
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class UserChange(Base):
    """用户表变更记录: one row per row written to `users` on PostgreSQL, by any role.

    Filled by a trigger (revision 0018) whose function runs as the table
    owner; the application role may only read it. `before`/`after` hold the
    columns in JOURNALED_COLUMNS that the change touched (all of them for an
    insert or delete), the password hash only as its SHA-256 fingerprint.
    On SQLite the table exists but stays empty: whoever can write the file
    owns everything, a journal in it would prove nothing.
    """

    __tablename__ = "user_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    db_role: Mapped[str] = mapped_column(String(64))
    client_addr: Mapped[str | None] = mapped_column(String(64))
    # insert / update / delete / truncate
    operation: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


# The columns of `users` the journal follows; the rest are bookkeeping. A new
# column must be put in one of the two (tests/services/test_user_changes.py).
JOURNALED_COLUMNS = (
    "id",
    "username",
    "display_name",
    "department_id",
    "inspector_id",
    "roles",
    "password_hash",
    "must_change_password",
    "failed_attempts",
    "locked_until",
    "active",
)
BOOKKEEPING_COLUMNS = ("version", "created_at", "updated_at")
