"""年度抽查计划: annual plans, their sampling tasks, and the filed versions of a plan.

Versions (调整) are kept as snapshots, not as copies of rows. A `PlanVersion`
holds the canonical JSON (DRAW-1 section 2 bytes) of the whole plan with all
its tasks as it stood when filed or adjusted, the reason, and its SHA-256:
- what was filed stays exactly what was filed, even when an item is renamed
  or a department code changes later — a copy of rows with foreign keys would
  silently follow those changes;
- two versions compare field by field without joins (the side-by-side view);
- the hash goes into the audit log and the publication, like a manifest's;
- the live tables stay single: a draw points at one task row, and no query has
  to pick "the current version" out of duplicated rows.
A plan has tens of tasks, so a snapshot is a few kilobytes.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.planning import (
    DEFAULT_RECENT_WINDOW_MONTHS,
    DistrictRule,
    InitiatorLevel,
    PlanKind,
    PlanState,
)
from app.models.base import Base, Timestamps
from app.models.registry import Department, InspectionItem, Target


def _code_enum(enum_cls: type[PyEnum]) -> Enum:
    # The enum's stable code in a VARCHAR with a CHECK (no native PG enum type).
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


# 抽查对象预览: counting a task's pool per risk class over a million targets
# reads only this index (risk class first, then every scope column but the
# JSON tags), never the table; see app.services.plans.pool.task_scope.
POOL_INDEX = Index(
    "ix_targets_pool",
    Target.risk_class,
    Target.reg_status,
    Target.division_code,
    Target.entity_type,
    Target.industry_code,
    Target.founded_on,
)

plan_departments = Table(
    "plan_departments",
    Base.metadata,
    Column("plan_id", ForeignKey("annual_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)

task_items = Table(
    "task_items",
    Base.metadata,
    Column("task_id", ForeignKey("sampling_tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("inspection_items.id"), primary_key=True),
)


class AnnualPlan(Timestamps, Base):
    """年度抽查计划 of one department (`dept`) or a joint plan (`joint`)."""

    __tablename__ = "annual_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PlanKind] = mapped_column(_code_enum(PlanKind))
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    state: Mapped[PlanState] = mapped_column(_code_enum(PlanState), default=PlanState.DRAFT)
    # 1 until the first adjustment; the number of the latest PlanVersion once filed.
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    filed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    lead_department: Mapped[Department] = relationship()
    # 参与部门 (the lead department is listed too).
    departments: Mapped[list[Department]] = relationship(
        secondary=plan_departments, order_by="Department.sort_order"
    )
    tasks: Mapped[list[SamplingTask]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="SamplingTask.position"
    )
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanVersion.version_no"
    )

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class PlanVersion(Base):
    """One filed version of a plan: 备案 is version 1, every 调整 adds one."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("annual_plans.id", ondelete="CASCADE"), index=True
    )
    version_no: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot_hash: Mapped[str] = mapped_column(String(64))

    plan: Mapped[AnnualPlan] = relationship(back_populates="versions")


class TaskDepartment(Base):
    """A department of a task and the fewest of its inspectors on every team."""

    __tablename__ = "task_departments"
    __table_args__ = (CheckConstraint("min_inspectors >= 0", name="min_inspectors"),)

    task_id: Mapped[int] = mapped_column(
        ForeignKey("sampling_tasks.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    min_inspectors: Mapped[int] = mapped_column(Integer, default=1)

    department: Mapped[Department] = relationship()


class TaskSamplingRule(Base):
    """抽查比例 (basis points) or a fixed count for one stratum (A–D, 未分类)."""

    __tablename__ = "task_sampling_rules"
    __table_args__ = (
        UniqueConstraint("task_id", "stratum"),
        CheckConstraint("(ratio_bp IS NULL) <> (count IS NULL)", name="one_rule"),
        CheckConstraint("ratio_bp IS NULL OR (ratio_bp >= 0 AND ratio_bp <= 10000)", name="ratio"),
        CheckConstraint("count IS NULL OR count >= 0", name="count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("sampling_tasks.id", ondelete="CASCADE"), index=True
    )
    stratum: Mapped[str] = mapped_column(String(8))
    ratio_bp: Mapped[int | None] = mapped_column(Integer)
    count: Mapped[int | None] = mapped_column(Integer)


class SamplingTask(Timestamps, Base):
    """抽查任务 / 批次: one drawable unit of a plan."""

    __tablename__ = "sampling_tasks"
    __table_args__ = (
        CheckConstraint("batches >= 1", name="batches"),
        CheckConstraint("team_size >= 2", name="team_size"),
        CheckConstraint("max_load IS NULL OR max_load >= 1", name="max_load"),
        CheckConstraint("recent_window_months >= 0", name="recent_window"),
        CheckConstraint("planned_end >= planned_start", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("annual_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    is_joint: Mapped[bool] = mapped_column(Boolean, default=False)
    initiator_level: Mapped[InitiatorLevel] = mapped_column(
        _code_enum(InitiatorLevel), default=InitiatorLevel.COUNTY
    )
    # Scope (检查对象范围); an empty list means no restriction on that field.
    scope_divisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope_entity_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    # GB/T 4754 code prefixes: "C" (制造业) or "C13" match every code under them.
    scope_industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    registered_before: Mapped[date | None] = mapped_column(Date)
    batches: Mapped[int] = mapped_column(Integer, default=1)
    team_size: Mapped[int] = mapped_column(Integer, default=2)
    district_rule: Mapped[DistrictRule] = mapped_column(
        _code_enum(DistrictRule), default=DistrictRule.ANY
    )
    max_load: Mapped[int | None] = mapped_column(Integer)
    recent_window_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_RECENT_WINDOW_MONTHS)
    planned_start: Mapped[date] = mapped_column(Date, index=True)
    planned_end: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[PlanState] = mapped_column(_code_enum(PlanState), default=PlanState.DRAFT)
    # The 检查内容 of an imported plan row that matched no item: shown to the clerk,
    # blocks filing until an item is picked (saving the task clears it).
    pending_item: Mapped[str | None] = mapped_column(String(200))
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    plan: Mapped[AnnualPlan] = relationship(back_populates="tasks")
    items: Mapped[list[InspectionItem]] = relationship(
        secondary=task_items, order_by="InspectionItem.code"
    )
    departments: Mapped[list[TaskDepartment]] = relationship(cascade="all, delete-orphan")
    rules: Mapped[list[TaskSamplingRule]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012
