"""Settings that matter to every PC using the database (not window state)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps


class AppSetting(Timestamps, Base):
    """One key with a JSON value, e.g. allow_anonymous_single_pc = true."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
