"""用户: who may log in, with which roles, in which department."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

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
