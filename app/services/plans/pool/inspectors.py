"""Who may be drawn for a task (the DRAW-1 pool), and why the others may not.

Eligible: an inspector of one of the task's departments who is 在岗, holds a
badge valid on the draw day, and is qualified for *every* item of the task
that belongs to their own department. A joint task is one visit checking all
its items; each department's share of the items must be covered by whichever
of its inspectors the deck deals, so "any one item" would not do, and nobody
is asked to hold another department's qualifications.

With district rule "same" or "different" an inspector needs a district; with
"any" the district plays no part in the draw and an inspector without one is
listed under `NO_DISTRICT` ("000000", not a real 行政区划代码).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.planning import DistrictRule
from app.domain.registry import InspectorStatus
from app.draw.protocol import DISTRICT_RE, ID_RE
from app.models.registry import Department, InspectionItem, Inspector, inspector_qualifications
from app.services.plans.values import TaskSpec

INACTIVE = "人员非在岗"
BADGE_EXPIRED = "执法证过期"
UNQUALIFIED = "无资质"
NO_DISTRICT_REASON = "无所属区划"
NO_DISTRICT = "000000"


@dataclass(frozen=True)
class PoolMember:
    inspector_id: int
    draw_id: str  # the id in the manifest: the badge number when it fits DRAW-1's characters
    name: str
    department: str
    district: str


@dataclass
class InspectorPool:
    members: list[PoolMember] = field(default_factory=list)
    excluded: Counter[str] = field(default_factory=Counter)
    excluded_by_department: dict[str, Counter[str]] = field(default_factory=dict)
    department_names: dict[str, str] = field(default_factory=dict)

    def eligible_by_department(self) -> dict[str, int]:
        counts = dict.fromkeys(self.department_names, 0)
        for m in self.members:
            counts[m.department] = counts.get(m.department, 0) + 1
        return counts


def draw_id(inspector_id: int, badge_no: str) -> str:
    """执法证号 when it is a valid DRAW-1 id, else a stable "INSP-<key>"."""
    badge = badge_no.strip()
    return badge if ID_RE.fullmatch(badge) else f"INSP-{inspector_id}"


def inspector_pool(s: Session, spec: TaskSpec, on: date) -> InspectorPool:
    """Every inspector of the task's departments, sorted into the pool or a reason."""
    depts = {
        d.code: d
        for d in s.scalars(select(Department).where(Department.code.in_(list(spec.departments))))
    }
    pool = InspectorPool(
        department_names={c: depts[c].name for c in spec.departments if c in depts}
    )
    dept_items: dict[str, set[int]] = {c: set() for c in depts}
    for item_id, dept_code in s.execute(
        select(InspectionItem.id, Department.code)
        .join(Department, InspectionItem.department_id == Department.id)
        .where(InspectionItem.code.in_(list(spec.item_codes)))
    ):
        dept_items.setdefault(dept_code, set()).add(item_id)
    dept_of_id = {d.id: code for code, d in depts.items()}
    rows = s.execute(
        select(
            Inspector.id,
            Inspector.name,
            Inspector.badge_no,
            Inspector.badge_expires_on,
            Inspector.district_code,
            Inspector.status,
            Inspector.department_id,
        )
        .where(Inspector.department_id.in_(list(dept_of_id)))
        .order_by(Inspector.id)
    ).all()
    quals: dict[int, set[int]] = {}
    all_items = set().union(*dept_items.values()) if dept_items else set()
    if rows and all_items:
        q = inspector_qualifications.c
        for inspector_id, item_id in s.execute(
            select(q.inspector_id, q.item_id).where(
                q.inspector_id.in_([r.id for r in rows]), q.item_id.in_(sorted(all_items))
            )
        ):
            quals.setdefault(inspector_id, set()).add(item_id)
    needs_district = spec.district_rule is not DistrictRule.ANY
    for r in rows:
        dept = dept_of_id[r.department_id]
        district = (
            r.district_code if r.district_code and DISTRICT_RE.fullmatch(r.district_code) else None
        )
        if r.status != InspectorStatus.ACTIVE:
            reason: str | None = INACTIVE
        elif r.badge_expires_on is None or r.badge_expires_on < on:
            reason = BADGE_EXPIRED
        elif not dept_items.get(dept, set()) <= quals.get(r.id, set()):
            reason = UNQUALIFIED
        elif needs_district and district is None:
            reason = NO_DISTRICT_REASON
        else:
            reason = None
        if reason is not None:
            pool.excluded[reason] += 1
            pool.excluded_by_department.setdefault(dept, Counter())[reason] += 1
            continue
        pool.members.append(
            PoolMember(r.id, draw_id(r.id, r.badge_no), r.name, dept, district or NO_DISTRICT)
        )
    return pool
