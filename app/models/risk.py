"""信用风险分类反馈: risk-class change suggestions from inspection results.

A suggestion never changes a target by itself: a planner accepts or rejects
it (one by one or in bulk) with a note; accepting sets the target's class.
Both rows are ORM writes, so the audit log records who decided what.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.models.registry import Target


class RiskSuggestion(Base):
    """One suggested move of one enterprise's risk class, with its reason and basis."""

    __tablename__ = "risk_suggestions"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'accepted', 'rejected')", name="state"),
        Index("ix_risk_suggestions_state_target", "state", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    from_class: Mapped[str | None] = mapped_column(String(1))
    to_class: Mapped[str] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text)
    # The inspections the suggestion rests on (ids, oldest first).
    basis: Mapped[list[int]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(8), default="pending")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    created_by: Mapped[str] = mapped_column(String(64), default="")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    target: Mapped[Target] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
