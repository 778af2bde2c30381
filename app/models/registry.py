"""一单两库: departments, the item list with guides, targets, inspectors, recusals."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.registry import InspectorStatus, ItemCategory
from app.models.base import Base, Timestamps


def _str_enum(enum_cls: type) -> Enum:
    # Stored as the enum's value in a VARCHAR with a CHECK: readable in SQL on
    # both SQLite and PostgreSQL, no native PG enum type to migrate.
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Department(Base):
    """联席会议成员单位."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    items: Mapped[list[InspectionItem]] = relationship(back_populates="department")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class InspectionItem(Timestamps, Base):
    """抽查事项: one entry of the item list."""

    __tablename__ = "inspection_items"
    __table_args__ = (
        CheckConstraint(
            "(category = 'KEY' AND ratio_cap_bp IS NULL) OR "
            "(category = 'GENERAL' AND (ratio_cap_bp IS NULL OR "
            "(ratio_cap_bp >= 0 AND ratio_cap_bp <= 10000)))",
            name="ratio_cap",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    category: Mapped[ItemCategory] = mapped_column(_str_enum(ItemCategory))
    ratio_cap_bp: Mapped[int | None] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    # InspectionMethod values, in the order the item list prints them.
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_type: Mapped[str] = mapped_column(String(64), default="")
    joint_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    department: Mapped[Department] = relationship(back_populates="items")
    guide: Mapped[InspectionGuide | None] = relationship(
        back_populates="item", cascade="all, delete-orphan", uselist=False
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class InspectionGuide(Base):
    """抽查细则: the procedure of one item and its ordered checkpoints."""

    __tablename__ = "inspection_guides"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_items.id", ondelete="CASCADE"), unique=True
    )
    procedure: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[InspectionItem] = relationship(back_populates="guide")
    checkpoints: Mapped[list[Checkpoint]] = relationship(
        back_populates="guide", cascade="all, delete-orphan", order_by="Checkpoint.position"
    )


class Checkpoint(Base):
    """检查要点 with its basis."""

    __tablename__ = "checkpoints"
    __table_args__ = (UniqueConstraint("guide_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("inspection_guides.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text, default="")

    guide: Mapped[InspectionGuide] = relationship(back_populates="checkpoints")


joint_item_group_members = Table(
    "joint_item_group_members",
    Base.metadata,
    Column("group_id", ForeignKey("joint_item_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("inspection_items.id"), primary_key=True),
)


class JointItemGroup(Base):
    """联合抽查事项: items of several departments checked in one visit."""

    __tablename__ = "joint_item_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    items: Mapped[list[InspectionItem]] = relationship(secondary=joint_item_group_members)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Target(Timestamps, Base):
    """检查对象 / 市场主体 in the target registry."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("risk_class IN ('A','B','C','D')", name="risk_class"),
        Index("ix_targets_division_risk", "division_code", "risk_class"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    legal_rep: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(300))
    division_code: Mapped[str] = mapped_column(String(6), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(32), index=True)
    industry_code: Mapped[str | None] = mapped_column(String(8), index=True)
    industry_name: Mapped[str | None] = mapped_column(String(100))
    reg_status: Mapped[str] = mapped_column(String(16), index=True)
    risk_class: Mapped[str | None] = mapped_column(String(1), index=True)
    founded_on: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(40))
    # Special supervision lists (e.g. 食品生产, 特种设备使用单位), comma-free labels.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_inspected_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


inspector_qualifications = Table(
    "inspector_qualifications",
    Base.metadata,
    Column("inspector_id", ForeignKey("inspectors.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("inspection_items.id"), primary_key=True),
)


class Inspector(Timestamps, Base):
    """执法检查人员."""

    __tablename__ = "inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    badge_no: Mapped[str] = mapped_column(String(40), unique=True)
    badge_expires_on: Mapped[date | None] = mapped_column(Date)
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    district_code: Mapped[str | None] = mapped_column(String(6), index=True)
    status: Mapped[InspectorStatus] = mapped_column(
        _str_enum(InspectorStatus), default=InspectorStatus.ACTIVE
    )
    phone: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    department: Mapped[Department] = relationship()
    # 执法资质: the items this inspector may inspect.
    qualifications: Mapped[list[InspectionItem]] = relationship(secondary=inspector_qualifications)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Recusal(Base):
    """回避: an inspector ruled out for a target."""

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("inspector_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(
        ForeignKey("inspectors.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    recorded_on: Mapped[date] = mapped_column(Date)

    inspector: Mapped[Inspector] = relationship()
    target: Mapped[Target] = relationship()
