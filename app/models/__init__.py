"""ORM models; importing this package registers every table on Base.metadata."""

from app.models import auditing  # noqa: F401  (the audit hook on every Session)
from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.draws import DrawAttempt, DrawResult, DrawTarget, Witness
from app.models.inspections import (
    Holiday,
    Inspection,
    InspectionMember,
    InspectionResult,
    InspectionReview,
)
from app.models.plans import (
    AnnualPlan,
    PlanVersion,
    SamplingTask,
    TaskDepartment,
    TaskSamplingRule,
)
from app.models.publication import (
    Exemption,
    FollowUpRecord,
    Publication,
    PublicationFile,
)
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
from app.models.risk import RiskSuggestion
from app.models.settings import AppSetting
from app.models.users import User, UserChange

__all__ = [
    "AnnualPlan",
    "AppSetting",
    "AuditEntry",
    "Base",
    "Checkpoint",
    "Department",
    "DrawAttempt",
    "DrawResult",
    "DrawTarget",
    "Exemption",
    "FollowUpRecord",
    "Holiday",
    "Inspection",
    "InspectionGuide",
    "InspectionItem",
    "InspectionMember",
    "InspectionResult",
    "InspectionReview",
    "Inspector",
    "JointItemGroup",
    "PlanVersion",
    "Publication",
    "PublicationFile",
    "Recusal",
    "RiskSuggestion",
    "SamplingTask",
    "Target",
    "TaskDepartment",
    "TaskSamplingRule",
    "User",
    "UserChange",
    "Witness",
]
