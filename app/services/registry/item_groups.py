"""联席会议成员单位 and 联合抽查事项 (joint item groups).

A joint item group names items of several departments that are checked
together in one visit (进一次门、查多项事); a joint task is planned from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.models import Department, InspectionItem, JointItemGroup
from app.models.db import Database
from app.services.access.auth import Permission, PermissionDenied, require
from app.services.common.concurrency import deleted_error, ensure_version, flush_or_explain, touch
from app.services.registry.forms import (
    ValidationFailed,
    check_length,
    clean,
    narrow,
    when_busy,
)


@dataclass(frozen=True)
class GroupMember:
    id: int
    code: str
    name: str
    department: str


@dataclass(frozen=True)
class JointGroupRow:
    id: int
    code: str
    name: str
    members: list[GroupMember]
    version: int = 0

    @property
    def departments(self) -> list[str]:
        return list(dict.fromkeys(m.department for m in self.members))


@dataclass
class JointGroupForm:
    id: int | None = None
    code: str = ""
    name: str = ""
    item_ids: list[int] = field(default_factory=list)
    version: int | None = None  # as loaded; None skips the check (scripts)


@dataclass
class DepartmentForm:
    id: int | None = None
    code: str = ""
    name: str = ""
    sort_order: int = 0
    version: int | None = None  # as loaded; None skips the check (scripts)


def list_joint_groups(db: Database) -> list[JointGroupRow]:
    with db.session() as s:
        groups = s.execute(
            select(JointItemGroup)
            .options(selectinload(JointItemGroup.items).selectinload(InspectionItem.department))
            .order_by(JointItemGroup.code)
        ).scalars()
        return [
            JointGroupRow(
                g.id,
                g.code,
                g.name,
                [
                    GroupMember(i.id, i.code, i.name, i.department.name)
                    for i in sorted(
                        g.items, key=lambda i: (i.department.sort_order, i.department.code, i.code)
                    )
                ],
                g.version,
            )
            for g in groups
        ]


@when_busy
def save_joint_group(db: Database, form: JointGroupForm) -> int:
    errors: dict[str, str] = {}
    code = narrow(form.code).upper()
    name = clean(form.name)
    if not code:
        errors["code"] = "联合事项编码不能为空"
    check_length(errors, "code", "联合事项编码", code, 40)
    if not name:
        errors["name"] = "联合事项名称不能为空"
    check_length(errors, "name", "联合事项名称", name, 200)
    with db.session() as s:
        if code:
            other = s.execute(
                select(JointItemGroup.name).where(
                    JointItemGroup.code == code, JointItemGroup.id != (form.id or 0)
                )
            ).scalar()
            if other is not None:
                errors["code"] = f"联合事项编码 {code} 已用于“{other}”"
        items = list(
            s.execute(
                select(InspectionItem)
                .options(selectinload(InspectionItem.department))
                .where(InspectionItem.id.in_(form.item_ids))
            ).scalars()
        )
        departments = {i.department_id for i in items}
        # A joint group is every member department's business.
        require(Permission.EDIT_REGISTRIES, department_ids=departments)
        closed = [i for i in items if not i.joint_allowed]
        if closed:
            errors["items"] = "以下事项不可联合抽查：" + "、".join(
                f"{i.code}{i.name}" for i in closed
            )
        elif len(departments) < 2:
            errors["items"] = "联合抽查事项须包含至少两个部门的事项"
        if errors:
            raise ValidationFailed(errors)
        if form.id is None:
            group = JointItemGroup(code=code, name=name)
            s.add(group)
        else:
            found = s.get(JointItemGroup, form.id)
            if found is None:
                raise deleted_error(db.engine, JointItemGroup.__tablename__, form.id)
            require(
                Permission.EDIT_REGISTRIES, department_ids={i.department_id for i in found.items}
            )
            if form.version is not None:
                ensure_version(found, form.version, mine={"code": code, "name": name})
            group = found
            group.code, group.name = code, name
        if {i.id for i in group.items} != {i.id for i in items}:
            group.items = sorted(items, key=lambda i: i.id)
            if form.id is not None and (group.code, group.name) == (code, name):
                touch(group)
        flush_or_explain(s)
        return group.id


@when_busy
def delete_joint_group(db: Database, group_id: int) -> None:
    with db.session() as s:
        group = s.get(JointItemGroup, group_id)
        if group is not None:
            require(
                Permission.EDIT_REGISTRIES, department_ids={i.department_id for i in group.items}
            )
            s.delete(group)


@when_busy
def save_department(db: Database, form: DepartmentForm) -> int:
    """Add or rename a member department (联席会议成员单位).

    A new department is the whole city's business: a user tied to one
    department may rename only their own.
    """
    who = require(Permission.EDIT_REGISTRIES, department_id=form.id)
    if form.id is None and not who.unrestricted:
        raise PermissionDenied(
            f"“{who.label}”只能维护本部门的信息；新增联席会议成员单位须由"
            "不限部门的管理人员办理，操作未执行。"
        )
    errors: dict[str, str] = {}
    code = narrow(form.code).upper()
    name = clean(form.name)
    if not code:
        errors["code"] = "部门简码不能为空"
    check_length(errors, "code", "部门简码", code, 16)
    if not name:
        errors["name"] = "部门名称不能为空"
    check_length(errors, "name", "部门名称", name, 64)
    with db.session() as s:
        for key, col, value in (("code", Department.code, code), ("name", Department.name, name)):
            if (
                value
                and s.execute(
                    select(Department.id).where(col == value, Department.id != (form.id or 0))
                ).first()
            ):
                errors[key] = f"已有部门使用“{value}”"
        if errors:
            raise ValidationFailed(errors)
        if form.id is None:
            dept = Department(code=code, name=name, sort_order=form.sort_order)
            s.add(dept)
        else:
            found = s.get(Department, form.id)
            if found is None:
                raise deleted_error(db.engine, Department.__tablename__, form.id)
            if form.version is not None:
                mine = {"code": code, "name": name, "sort_order": form.sort_order}
                ensure_version(found, form.version, mine=mine)
            dept = found
            dept.code, dept.name, dept.sort_order = code, name, form.sort_order
        flush_or_explain(s)
        return dept.id
