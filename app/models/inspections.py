"""检查与结果: inspections, their teams, per-item results, reviews, and the holiday table.

- `Inspection`: one visit to one target. From a draw (kind random/special) it
  points at the task and the attempt of record; a case inspection (个案检查)
  has no task and names its source and reference instead. A joint task gives
  one inspection per target covering every item of every department.
- `InspectionMember`: a team place. Reassignment never edits a row: the old
  member is ended and a new row replaces it with the reason, who and when,
  so the history prints; the draw's stored result never changes.
- `InspectionResult`: one row per (inspection, item), created 未录入 with the
  inspection; entry and review change it. `department_id` is the item's
  department (statistics by department), `entered_department_id` the
  department that entered it (谁检查、谁录入 on a joint visit).
- `InspectionReview`: the review log (approve / return with reason).
- `Holiday`: administrator-entered 放假 and 调休上班 days that override the
  calendar package.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.results import CaseSource, InspectionKind, ResultState
from app.models.base import Base, Timestamps
from app.models.plans import SamplingTask
from app.models.registry import Department, InspectionItem, Inspector, Target


def _in(values: object) -> str:
    return ", ".join(f"'{v}'" for v in values)  # type: ignore[attr-defined]


_KINDS = _in(k.value for k in InspectionKind)
_SOURCES = _in(s.value for s in CaseSource)
_STATES = _in(s.value for s in ResultState)
_ACTIVE = text("ended_at IS NULL")


class Inspection(Timestamps, Base):
    """检查: one visit to one target by one team."""

    __tablename__ = "inspections"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
        CheckConstraint(f"state IN ({_STATES})", name="state"),
        CheckConstraint(f"case_source IS NULL OR case_source IN ({_SOURCES})", name="case_source"),
        # One inspection per target and task (case inspections have no task: NULLs differ).
        UniqueConstraint("task_id", "target_id"),
        Index("ix_inspections_state_due", "state", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default=InspectionKind.RANDOM.value)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("sampling_tasks.id"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("draw_attempts.id"), index=True)
    # The target's reveal rank in the draw (the order notices are printed in).
    draw_rank: Mapped[int | None] = mapped_column(Integer)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    case_source: Mapped[str | None] = mapped_column(String(16))
    case_reference: Mapped[str | None] = mapped_column(String(200))
    # 检查时间窗: the task's planned period (or the case's own).
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    # The visit date (the earliest result date once entered).
    inspected_on: Mapped[date | None] = mapped_column(Date, index=True)
    # 20-working-day clock: day 1 is the first working day after reference_date.
    reference_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    # True when a year of the count was neither entered nor known: Monday–Friday counted.
    due_date_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default=ResultState.NOT_ENTERED.value)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    task: Mapped[SamplingTask | None] = relationship()
    target: Mapped[Target] = relationship()
    lead_department: Mapped[Department] = relationship()
    members: Mapped[list[InspectionMember]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        order_by="(InspectionMember.position, InspectionMember.id)",
    )
    results: Mapped[list[InspectionResult]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionResult.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def team(self) -> list[InspectionMember]:
        """The current team (ended places excluded), lead first."""
        return [m for m in self.members if m.ended_at is None]


class InspectionMember(Base):
    """A team place; position 1 is the lead (组长)."""

    __tablename__ = "inspection_members"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position"),
        Index(
            "uq_inspection_members_active_place",
            "inspection_id",
            "position",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    # Filled on a reassignment: whom this member replaced, why, who decided, when.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_members.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    inspection: Mapped[Inspection] = relationship(back_populates="members")
    inspector: Mapped[Inspector] = relationship()
    department: Mapped[Department] = relationship()


class InspectionResult(Base):
    """抽查结果 of one item of one inspection."""

    __tablename__ = "inspection_results"
    __table_args__ = (
        UniqueConstraint("inspection_id", "item_id"),
        CheckConstraint(f"state IN ({_STATES})", name="state"),
        Index("ix_inspection_results_department_state", "department_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_items.id"), index=True)
    # The item's department (for statistics); fixed when the inspection is created.
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    # A code of the loaded category list (app.domain.results); NULL until entered.
    category_code: Mapped[str | None] = mapped_column(String(16), index=True)
    is_problem: Mapped[bool | None] = mapped_column(Boolean)
    finding: Mapped[str] = mapped_column(Text, default="")
    inspected_on: Mapped[date | None] = mapped_column(Date, index=True)
    method: Mapped[str | None] = mapped_column(String(16))
    follow_up: Mapped[str | None] = mapped_column(String(16))
    entered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_by_inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"))
    entered_by_name: Mapped[str | None] = mapped_column(String(64))
    entered_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    entered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(16), default=ResultState.NOT_ENTERED.value)
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer_name: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    inspection: Mapped[Inspection] = relationship(back_populates="results")
    item: Mapped[InspectionItem] = relationship()
    department: Mapped[Department] = relationship(foreign_keys=[department_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class InspectionReview(Base):
    """One review decision on an inspection: approve, or return with a reason."""

    __tablename__ = "inspection_reviews"
    __table_args__ = (CheckConstraint("action IN ('approve', 'return')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer_name: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Holiday(Base):
    """节假日与调休设置: a day the administrator entered, overriding the calendar package."""

    __tablename__ = "holidays"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    # holiday = 放假 (no work on a weekday), workday = 调休上班 (work on a weekend day).
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(64), default="")
    entered_by: Mapped[str] = mapped_column(String(64), default="")
    entered_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
