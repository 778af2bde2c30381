"""执法检查人员名录库: the list with its filters, the edit form, qualifications.

The registry holds hundreds to a few thousand people, so the list loads whole.
Recusals (回避) are recorded through app.services.registry.targets, which shows them on
both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain.registry import InspectorStatus, is_badge_expired, is_drawable_inspector
from app.models import Department, InspectionItem, Inspector
from app.models.db import Database
from app.models.registry import inspector_qualifications
from app.services.access.auth import Permission, require
from app.services.common.concurrency import deleted_error, ensure_version, flush_or_explain, touch
from app.services.registry.forms import (
    STALE_MESSAGE,
    StaleRecord,
    ValidationFailed,
    check_length,
    clean,
    format_date,
    narrow,
    optional,
    parse_date,
    parse_division,
    split_tags,
    when_busy,
)


@dataclass(frozen=True)
class DepartmentChoice:
    id: int
    code: str
    name: str
    sort_order: int = 0
    version: int = 0  # what the departments dialog passes back


@dataclass(frozen=True)
class ItemChoice:
    """An item offered as a qualification: its code, name and category label."""

    id: int
    code: str
    name: str
    category_label: str


@dataclass(frozen=True)
class InspectorRow:
    id: int
    name: str
    department_id: int
    department: str
    badge_no: str
    badge_expires_on: date | None
    badge_expired: bool  # on the day the list was read (domain.registry.is_badge_expired)
    status: str
    district_code: str | None
    phone: str | None
    expertise: str
    qualification_count: int
    drawable: bool


@dataclass(frozen=True)
class InspectorQuery:
    department_id: int | None = None
    status: str | None = None
    drawable_only: bool = False
    text: str = ""  # name or 执法证号 substring


@dataclass
class InspectorForm:
    id: int | None = None
    version: int | None = None
    name: str = ""
    department_id: int | None = None
    badge_no: str = ""
    badge_expires_on: str = ""
    status: str = InspectorStatus.ACTIVE.value
    district_code: str = ""
    phone: str = ""
    expertise: str = ""
    qualification_ids: list[int] = field(default_factory=list)


def list_departments(db: Database) -> list[DepartmentChoice]:
    with db.session() as s:
        rows = s.execute(
            select(
                Department.id,
                Department.code,
                Department.name,
                Department.sort_order,
                Department.version,
            ).order_by(Department.sort_order, Department.code)
        )
        return [DepartmentChoice(*r) for r in rows]


def department_items(db: Database, department_id: int) -> list[ItemChoice]:
    """The items an inspector of this department may be qualified for."""
    with db.session() as s:
        items = s.execute(
            select(InspectionItem)
            .where(InspectionItem.department_id == department_id)
            .order_by(InspectionItem.category.desc(), InspectionItem.code)
        ).scalars()
        return [ItemChoice(i.id, i.code, i.name, i.category.label) for i in items]


def list_inspectors(
    db: Database, q: InspectorQuery, today: date | None = None
) -> list[InspectorRow]:
    today = today or date.today()
    quals = (
        select(
            inspector_qualifications.c.inspector_id,
            func.count().label("n"),
        )
        .group_by(inspector_qualifications.c.inspector_id)
        .subquery()
    )
    stmt = (
        select(Inspector, Department.name, func.coalesce(quals.c.n, 0))
        .join(Department, Inspector.department_id == Department.id)
        .outerjoin(quals, quals.c.inspector_id == Inspector.id)
        .order_by(Department.sort_order, Department.code, Inspector.name, Inspector.id)
    )
    if q.department_id is not None:
        stmt = stmt.where(Inspector.department_id == q.department_id)
    if q.status:
        stmt = stmt.where(Inspector.status == q.status)
    if q.drawable_only:
        stmt = stmt.where(
            Inspector.status == InspectorStatus.ACTIVE,
            Inspector.badge_expires_on >= today,
        )
    text = clean(q.text)
    if text:
        stmt = stmt.where(
            Inspector.name.contains(text, autoescape=True)
            | Inspector.badge_no.contains(text, autoescape=True)
        )
    with db.session() as s:
        return [
            InspectorRow(
                id=i.id,
                name=i.name,
                department_id=i.department_id,
                department=dept,
                badge_no=i.badge_no,
                badge_expires_on=i.badge_expires_on,
                badge_expired=is_badge_expired(i.badge_expires_on, today),
                status=i.status.value,
                district_code=i.district_code,
                phone=i.phone,
                expertise="、".join(i.expertise or []),
                qualification_count=int(n),
                drawable=is_drawable_inspector(i.status, i.badge_expires_on, today),
            )
            for i, dept, n in s.execute(stmt)
        ]


def get_inspector(db: Database, inspector_id: int) -> InspectorForm:
    with db.session() as s:
        i = s.get(Inspector, inspector_id, options=[selectinload(Inspector.qualifications)])
        if i is None:
            raise StaleRecord(STALE_MESSAGE.format(what=f"执法检查人员 #{inspector_id} 已不存在"))
        return InspectorForm(
            id=i.id,
            version=i.version,
            name=i.name,
            department_id=i.department_id,
            badge_no=i.badge_no,
            badge_expires_on=format_date(i.badge_expires_on),
            status=i.status.value,
            district_code=i.district_code or "",
            phone=i.phone or "",
            expertise="、".join(i.expertise or []),
            qualification_ids=sorted(q.id for q in i.qualifications),
        )


@when_busy
def save_inspector(db: Database, form: InspectorForm) -> int:
    """Insert or update; returns the id.

    ValidationFailed per field; ConcurrentEditError when someone saved it meanwhile.
    """
    require(Permission.EDIT_REGISTRIES, department_id=form.department_id)
    errors: dict[str, str] = {}
    name = clean(form.name)
    if not name:
        errors["name"] = "姓名不能为空"
    check_length(errors, "name", "姓名", name, 64)
    badge = narrow(form.badge_no).upper()
    if not badge:
        errors["badge_no"] = "执法证号不能为空"
    check_length(errors, "badge_no", "执法证号", badge, 40)
    try:
        expires = parse_date(form.badge_expires_on, "执法证有效期")
    except ValueError as exc:
        errors["badge_expires_on"] = str(exc)
        expires = None
    try:
        status = InspectorStatus(clean(form.status))
    except ValueError:
        errors["status"] = (
            f"状态“{form.status}”无效，应为：{'、'.join(s.value for s in InspectorStatus)}"
        )
        status = InspectorStatus.ACTIVE
    district: str | None = None
    if clean(form.district_code):
        try:
            district = parse_division(form.district_code, "所属区划")
        except ValueError as exc:
            errors["district_code"] = str(exc)
    phone = optional(form.phone)
    check_length(errors, "phone", "联系电话", phone, 40)
    with db.session() as s:
        dept = s.get(Department, form.department_id) if form.department_id else None
        if dept is None:
            errors["department_id"] = "请选择所属部门"
        if badge:
            other = s.execute(
                select(Inspector.name).where(
                    Inspector.badge_no == badge, Inspector.id != (form.id or 0)
                )
            ).scalar()
            if other is not None:
                errors["badge_no"] = f"执法证号 {badge} 已属于“{other}”，执法证号不能重复"
        items = list(
            s.execute(
                select(InspectionItem).where(InspectionItem.id.in_(form.qualification_ids))
            ).scalars()
        )
        if len(items) != len(set(form.qualification_ids)):
            errors["qualification_ids"] = "所选执法资质中有事项已被删除，请重新选择"
        if errors:
            raise ValidationFailed(errors)
        changes = {
            "name": name,
            "department_id": form.department_id,
            "badge_no": badge,
            "badge_expires_on": expires,
            "status": status,
            "district_code": district,
            "phone": phone,
            "expertise": split_tags(form.expertise),
        }
        if form.id is None:
            i = Inspector(badge_no=badge)
            s.add(i)
        else:
            found = s.get(Inspector, form.id)
            if found is None:
                raise deleted_error(db.engine, Inspector.__tablename__, form.id)
            require(Permission.EDIT_REGISTRIES, department_id=found.department_id)
            ensure_version(found, form.version or 0, mine=changes)
            i = found
        for key, value in changes.items():
            if getattr(i, key) != value:
                setattr(i, key, value)
        if {q.id for q in i.qualifications} != {x.id for x in items}:
            i.qualifications = sorted(items, key=lambda x: x.id)
            if form.id is not None:
                touch(i)  # the version covers the qualifications
        flush_or_explain(s)
        return i.id
