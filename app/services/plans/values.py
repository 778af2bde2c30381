"""Plain values the planning services take and give: no ORM objects leave a session.

Views build a `TaskSpec` from the editor's fields and hand it to the services
(save, preview); lists and details come back as frozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.errors import UserError
from app.domain.planning import (
    DEFAULT_RECENT_WINDOW_MONTHS,
    DistrictRule,
    InitiatorLevel,
    PlanKind,
    PlanState,
    Problem,
    SamplingRule,
)


class PlanError(UserError, ValueError):
    """A planning request refused; str() says what and where, in Chinese."""


@dataclass(frozen=True)
class Scope:
    """检查对象范围: which targets a task may draw from; empty means "all"."""

    divisions: tuple[str, ...] = ()
    entity_types: tuple[str, ...] = ()
    # GB/T 4754 code prefixes ("F52" matches F5211, F5212 …).
    industries: tuple[str, ...] = ()
    # A target matches when it carries any of these tags.
    tags: tuple[str, ...] = ()
    registered_before: date | None = None


@dataclass(frozen=True)
class TaskSpec:
    """Everything a planner sets on a task (抽查任务)."""

    code: str
    title: str
    item_codes: tuple[str, ...]
    # Department code → the fewest of its inspectors on every team (0 = none required).
    departments: dict[str, int]
    rules: tuple[SamplingRule, ...]
    planned_start: date
    planned_end: date
    scope: Scope = Scope()
    initiator_level: InitiatorLevel = InitiatorLevel.COUNTY
    batches: int = 1
    team_size: int = 2
    district_rule: DistrictRule = DistrictRule.ANY
    max_load: int | None = None
    recent_window_months: int = DEFAULT_RECENT_WINDOW_MONTHS
    # An imported row's 检查内容 that matched no item (with close matches); "" once picked.
    pending_item: str = ""

    @property
    def is_joint(self) -> bool:
        """部门联合抽查: inspectors of several departments in one visit."""
        return len(self.departments) >= 2


@dataclass(frozen=True)
class PlanSpec:
    code: str
    year: int
    title: str
    kind: PlanKind
    lead_department: str
    # 参与部门 codes; the lead department is added when missing.
    departments: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class TaskRow:
    code: str
    title: str
    state: PlanState
    is_joint: bool
    departments: tuple[str, ...]
    planned_start: date
    planned_end: date


@dataclass(frozen=True)
class PlanRow:
    code: str
    year: int
    title: str
    kind: PlanKind
    state: PlanState
    version_no: int
    lead_department: str
    tasks: tuple[TaskRow, ...] = ()


@dataclass(frozen=True)
class TaskDetail:
    spec: TaskSpec
    state: PlanState
    row_version: int = 0  # what the task editor passes back as `version`


@dataclass(frozen=True)
class PlanDetail:
    spec: PlanSpec
    state: PlanState
    version_no: int
    filed_at: datetime | None
    published_at: datetime | None
    tasks: tuple[TaskDetail, ...]
    row_version: int = 0  # what the plan editor passes back as `version`

    def task(self, code: str) -> TaskDetail:
        return next(t for t in self.tasks if t.spec.code == code)


@dataclass(frozen=True)
class VersionRow:
    version_no: int
    reason: str
    created_at: datetime
    snapshot_hash: str


@dataclass(frozen=True)
class DiffRow:
    """One line of the side-by-side comparison of two versions."""

    label: str
    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left != self.right


@dataclass(frozen=True)
class Outcome:
    """What a filing, publishing or adjustment did, with the warnings to show."""

    message: str
    warnings: tuple[Problem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DepartmentRef:
    code: str
    name: str


@dataclass(frozen=True)
class ItemRef:
    code: str
    name: str
    department: str
    is_key: bool
    ratio_cap_bp: int | None
    joint_allowed: bool = True
