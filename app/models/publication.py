"""公示与后续处置: publications with their files, follow-up records, the exemption list.

- `Publication`: one dated, numbered record of what was made public (item
  list, a plan version, a task's results, the exemption list). Immutable once
  written: a correction is a new row (version + 1) pointing at the one it
  corrects (`corrects_id`) with the reason; the old row is never changed.
  `content` is what was published (per enterprise and item for results), so
  two versions can be compared without the files.
- `PublicationFile`: the published bytes (PDF, xlsx) with their sha256, so the
  record is self-contained even when the files on disk are gone.
- `FollowUpRecord`: 后续处置 of one result (责令改正, 移送立案查处, …) to closure.
- `Exemption`: an entry of the 轻微违法违规经营行为免罚清单 on an inspection item.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.publication import FollowUpStatus, FollowUpType, PublicationKind
from app.models.base import Base, Timestamps
from app.models.inspections import InspectionResult
from app.models.registry import Department, InspectionItem


def _in(values: object) -> str:
    return ", ".join(f"'{v}'" for v in values)  # type: ignore[attr-defined]


class Publication(Base):
    """公示记录: one version of one published document."""

    __tablename__ = "publications"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(k.value for k in PublicationKind)})", name="kind"),
        CheckConstraint("version_no >= 1", name="version_no"),
        # Two PCs publishing the same version at once: one of them is refused.
        UniqueConstraint("kind", "subject_key", "version_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer, index=True)
    # What was published: results:<task code>:<department code or ALL>, plan:<code>, item_list.
    subject_key: Mapped[str] = mapped_column(String(120), index=True)
    title: Mapped[str] = mapped_column(String(300))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("sampling_tasks.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("annual_plans.id"), index=True)
    # The publishing department (None: the whole bureau).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
    doc_number: Mapped[str] = mapped_column(String(60), default="")
    doc_seq: Mapped[int | None] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    published_by: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))

    files: Mapped[list[PublicationFile]] = relationship(
        back_populates="publication", cascade="all, delete-orphan", order_by="PublicationFile.id"
    )
    department: Mapped[Department | None] = relationship()


class PublicationFile(Base):
    __tablename__ = "publication_files"
    __table_args__ = (UniqueConstraint("publication_id", "file_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    publication: Mapped[Publication] = relationship(back_populates="files")


class ImmutablePublication(RuntimeError):
    """A published record is never changed; a correction is a new version."""


def _refuse_update(_mapper: Any, _conn: Any, target: Any) -> None:
    raise ImmutablePublication(
        f"公示记录不能修改（{type(target).__name__} {target.id}）：更正请发布新版本"
    )


for _cls in (Publication, PublicationFile):
    event.listen(_cls, "before_update", _refuse_update)
    event.listen(_cls, "before_delete", _refuse_update)


class FollowUpRecord(Timestamps, Base):
    """后续处置: one result's follow-up from the order to its closure."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(t.value for t in FollowUpType)})", name="kind"),
        CheckConstraint(f"status IN ({_in(s.value for s in FollowUpStatus)})", name="status"),
        CheckConstraint(
            "status = 'open' OR (closed_on IS NOT NULL AND outcome <> '')", name="closed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One record per result that needs follow-up.
    result_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_results.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(8), default=FollowUpStatus.OPEN.value, index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    closed_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    result: Mapped[InspectionResult] = relationship()
    department: Mapped[Department] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Exemption(Timestamps, Base):
    """免罚清单 entry: a minor violation of an item that is corrected, not punished."""

    __tablename__ = "exemptions"
    __table_args__ = (UniqueConstraint("item_id", "violation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_items.id"), index=True)
    violation: Mapped[str] = mapped_column(String(300))  # 违法行为
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")  # 不予处罚的情形
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    entered_by: Mapped[str] = mapped_column(String(64), default="")

    item: Mapped[InspectionItem] = relationship()
