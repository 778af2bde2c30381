"""ORM models; importing this package registers every table on Base.metadata."""

from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.registry import (
    Checkpoint,
    Department,
    InspectionGuide,
    InspectionItem,
    Inspector,
    JointItemGroup,
    Recusal,
    Target,
)

__all__ = [
    "AuditEntry",
    "Base",
    "Checkpoint",
    "Department",
    "InspectionGuide",
    "InspectionItem",
    "Inspector",
    "JointItemGroup",
    "Recusal",
    "Target",
]
