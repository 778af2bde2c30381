"""随机抽取: attempts of a task's draw, their witnesses, results and drawn targets.

An attempt is stored the moment its commitment exists (manifest bytes, hash
and nonce commitment), before any witness speaks; the nonce itself is stored
only with the result, in the transaction that fixes it. The manifest and the
result are kept as exactly the canonical bytes that were hashed, so the
stored record verifies byte for byte years later.

At most one attempt per task is open (committed or witnessing) and at most
one per task holds the result of record (computed): two partial unique
indexes, so two operators starting the same task at once cannot both
proceed, on SQLite and on PostgreSQL alike. Aborted and superseded attempts
stay, with their reasons, and are printed on the task's record.
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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.ceremony import OPEN_STATES, AttemptState
from app.models.base import Base

_STATES = ", ".join(f"'{s.value}'" for s in AttemptState)
_OPEN = text("state IN ({})".format(", ".join(f"'{s}'" for s in OPEN_STATES)))
_COMPUTED = text(f"state = '{AttemptState.COMPUTED.value}'")


class DrawAttempt(Base):
    """One attempt to draw a task: commitment first, then witnesses, then the result."""

    __tablename__ = "draw_attempts"
    __table_args__ = (
        UniqueConstraint("task_id", "attempt_no"),
        CheckConstraint(f"state IN ({_STATES})", name="state"),
        Index(
            "uq_draw_attempts_open_task",
            "task_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
        Index(
            "uq_draw_attempts_computed_task",
            "task_id",
            unique=True,
            sqlite_where=_COMPUTED,
            postgresql_where=_COMPUTED,
        ),
    )
    # Kept out of the audit log: the manifest is large and named by its hash;
    # the nonce must stay secret until the seed is computed.
    __audit_redact__ = frozenset({"manifest", "nonce"})

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("sampling_tasks.id"), index=True)
    attempt_no: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=AttemptState.COMMITTED.value)
    manifest: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    manifest_hash: Mapped[str] = mapped_column(String(64), index=True)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    # NULL until the seed is computed: before that the nonce lives only in the memory
    # of the operator's process, or anyone reading the database could steer the draw.
    nonce: Mapped[bytes | None] = mapped_column(LargeBinary)
    nonce_commitment: Mapped[str] = mapped_column(String(64), unique=True)
    operator: Mapped[str] = mapped_column(String(64), default="")
    workstation: Mapped[str] = mapped_column(String(128), default="")
    # The process holding the open attempt's nonce ("pid/start time" on `workstation`).
    holder: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    aborted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    abort_reason: Mapped[str | None] = mapped_column(Text)
    # A second draw of a task that already has a result: why, and who confirmed it.
    redraw_reason: Mapped[str | None] = mapped_column(Text)
    supervisor: Mapped[str | None] = mapped_column(String(64))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("draw_attempts.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    witnesses: Mapped[list[Witness]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="Witness.position"
    )
    result: Mapped[DrawResult | None] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", uselist=False
    )

    @property
    def attempt_state(self) -> AttemptState:
        return AttemptState(self.state)


class Witness(Base):
    """监督见证人 of an attempt and the digits they gave (text: leading zeros count)."""

    __tablename__ = "draw_witnesses"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        CheckConstraint("position >= 1", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("draw_attempts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(128), default="")
    digits: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    attempt: Mapped[DrawAttempt] = relationship(back_populates="witnesses")


class DrawResult(Base):
    """The result document of an attempt, stored as the exact canonical bytes hashed."""

    __tablename__ = "draw_results"
    __audit_redact__ = frozenset({"result"})

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("draw_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    result: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    result_hash: Mapped[str] = mapped_column(String(64), unique=True)
    seed: Mapped[str] = mapped_column(String(64))
    selected: Mapped[int] = mapped_column(Integer)
    software: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    attempt: Mapped[DrawAttempt] = relationship(back_populates="result")


class DrawTarget(Base):
    """One drawn target of a computed attempt, in reveal order: for queries and notices.

    Derived from the result bytes (which stay the record); `team` lists the
    inspectors' registry keys in dealing order, the first being the lead.
    """

    __tablename__ = "draw_targets"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("draw_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[int] = mapped_column(Integer)
    candidate_id: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"), index=True)
    stratum: Mapped[str] = mapped_column(String(8))
    lead_inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"), index=True)
    team: Mapped[list[int]] = mapped_column(JSON, default=list)
    missing: Mapped[int] = mapped_column(Integer, default=0)
