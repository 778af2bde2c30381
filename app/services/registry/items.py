"""抽查事项清单 and 抽查细则: items with their guide and ordered checkpoints.

Also the member departments the items belong to and the joint item groups
(联合抽查事项: items of several departments checked in one visit). The list
is small (hundreds of items) and loads whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.domain.registry import InspectionMethod, ItemCategory
from app.models import Checkpoint, Department, InspectionGuide, InspectionItem
from app.models.db import Database
from app.models.registry import inspector_qualifications, joint_item_group_members
from app.services.access.auth import Permission, require
from app.services.common.concurrency import deleted_error, ensure_version, flush_or_explain, touch
from app.services.registry.forms import (
    STALE_MESSAGE,
    NotAllowed,
    StaleRecord,
    ValidationFailed,
    check_length,
    clean,
    format_percent,
    narrow,
    parse_percent_bp,
    when_busy,
)

METHOD_ORDER: tuple[str, ...] = tuple(m.value for m in InspectionMethod)


@dataclass(frozen=True)
class ItemRow:
    id: int
    code: str
    name: str
    department_id: int
    department: str
    category: str  # ItemCategory value
    category_label: str
    ratio_cap_bp: int | None
    methods: str
    target_type: str
    joint_allowed: bool
    legal_basis: str
    checkpoint_count: int


@dataclass
class CheckpointForm:
    text: str = ""
    basis: str = ""


@dataclass
class ItemForm:
    id: int | None = None
    version: int | None = None
    code: str = ""
    name: str = ""
    department_id: int | None = None
    category: str = ItemCategory.GENERAL.value
    ratio_cap: str = ""  # percent, two decimals; ignored for key items
    legal_basis: str = ""
    methods: list[str] = field(default_factory=list)
    target_type: str = ""
    joint_allowed: bool = True
    procedure: str = ""
    checkpoints: list[CheckpointForm] = field(default_factory=list)


def ratio_cap_text(category: str, bp: int | None) -> str:
    """How the list prints the cap: 不设上限 for key items, 5.00% for general ones."""
    if category == ItemCategory.KEY:
        return "不设上限"
    return "—" if bp is None else f"{format_percent(bp)}%"


def list_items(
    db: Database, department_id: int | None = None, category: str | None = None, text: str = ""
) -> list[ItemRow]:
    counts = (
        select(InspectionGuide.item_id, func.count(Checkpoint.id).label("n"))
        .join(Checkpoint, Checkpoint.guide_id == InspectionGuide.id)
        .group_by(InspectionGuide.item_id)
        .subquery()
    )
    stmt = (
        select(InspectionItem, Department.name, func.coalesce(counts.c.n, 0))
        .join(Department, InspectionItem.department_id == Department.id)
        .outerjoin(counts, counts.c.item_id == InspectionItem.id)
        .order_by(
            Department.sort_order,
            Department.code,
            InspectionItem.category.desc(),  # KEY before GENERAL
            InspectionItem.code,
        )
    )
    if department_id is not None:
        stmt = stmt.where(InspectionItem.department_id == department_id)
    if category:
        stmt = stmt.where(InspectionItem.category == ItemCategory(category))
    needle = clean(text)
    if needle:
        stmt = stmt.where(
            InspectionItem.name.contains(needle, autoescape=True)
            | InspectionItem.code.contains(needle, autoescape=True)
        )
    with db.session() as s:
        return [
            ItemRow(
                id=i.id,
                code=i.code,
                name=i.name,
                department_id=i.department_id,
                department=dept,
                category=i.category.value,
                category_label=i.category.label,
                ratio_cap_bp=i.ratio_cap_bp,
                methods="、".join(i.methods or []),
                target_type=i.target_type,
                joint_allowed=i.joint_allowed,
                legal_basis=i.legal_basis,
                checkpoint_count=int(n),
            )
            for i, dept, n in s.execute(stmt)
        ]


def get_item(db: Database, item_id: int) -> ItemForm:
    with db.session() as s:
        i = s.get(
            InspectionItem,
            item_id,
            options=[selectinload(InspectionItem.guide).selectinload(InspectionGuide.checkpoints)],
        )
        if i is None:
            raise StaleRecord(STALE_MESSAGE.format(what=f"抽查事项 #{item_id} 已不存在"))
        guide = i.guide
        return ItemForm(
            id=i.id,
            version=i.version,
            code=i.code,
            name=i.name,
            department_id=i.department_id,
            category=i.category.value,
            ratio_cap=format_percent(i.ratio_cap_bp),
            legal_basis=i.legal_basis,
            methods=list(i.methods or []),
            target_type=i.target_type,
            joint_allowed=i.joint_allowed,
            procedure=guide.procedure if guide else "",
            checkpoints=[CheckpointForm(c.text, c.basis) for c in guide.checkpoints]
            if guide
            else [],
        )


def _checked(s: Session, form: ItemForm) -> dict[str, object]:
    errors: dict[str, str] = {}
    code = narrow(form.code).upper()
    if not code:
        errors["code"] = "事项编码不能为空"
    else:
        other = s.execute(
            select(InspectionItem.name).where(
                InspectionItem.code == code, InspectionItem.id != (form.id or 0)
            )
        ).scalar()
        if other is not None:
            errors["code"] = f"事项编码 {code} 已用于“{other}”"
    check_length(errors, "code", "事项编码", code, 40)
    name = clean(form.name)
    if not name:
        errors["name"] = "事项名称不能为空"
    check_length(errors, "name", "事项名称", name, 200)
    if form.department_id is None or s.get(Department, form.department_id) is None:
        errors["department_id"] = "请选择所属部门"
    try:
        category = ItemCategory(form.category)
    except ValueError:
        errors["category"] = "请选择事项类别（重点检查事项或一般检查事项）"
        category = ItemCategory.GENERAL
    cap: int | None = None
    if category == ItemCategory.GENERAL:
        if not clean(form.ratio_cap):
            errors["ratio_cap"] = "一般检查事项须填写比例上限（百分数，如 5.00）"
        else:
            try:
                cap = parse_percent_bp(form.ratio_cap)
            except ValueError as exc:
                errors["ratio_cap"] = str(exc)
    unknown = [m for m in form.methods if m not in METHOD_ORDER]
    if unknown:
        errors["methods"] = f"未知的检查方式：{'、'.join(unknown)}"
    elif not form.methods:
        errors["methods"] = "请至少选择一种检查方式"
    target_type = clean(form.target_type)
    check_length(errors, "target_type", "检查对象", target_type, 64)
    checkpoints: list[CheckpointForm] = []
    for n, cp in enumerate(form.checkpoints, start=1):
        text, basis = clean(cp.text), clean(cp.basis)
        if not text and not basis:
            continue  # an empty line left in the editor
        if not text:
            errors["checkpoints"] = f"第 {n} 条检查要点只有依据、没有内容"
            break
        checkpoints.append(CheckpointForm(text, basis))
    if errors:
        raise ValidationFailed(errors)
    return {
        "code": code,
        "name": name,
        "department_id": form.department_id,
        "category": category,
        "ratio_cap_bp": cap,
        "legal_basis": clean(form.legal_basis),
        "methods": [m for m in METHOD_ORDER if m in form.methods],
        "target_type": target_type,
        "joint_allowed": bool(form.joint_allowed),
        "checkpoints": checkpoints,
    }


def _write_guide(
    s: Session, item: InspectionItem, procedure: str, cps: list[CheckpointForm]
) -> bool:
    """Bring the guide in line with the form; True when anything changed."""
    guide = item.guide
    if guide is None:
        if not procedure and not cps:
            return False
        guide = InspectionGuide(procedure="")
        item.guide = guide
    changed = guide.procedure != procedure
    guide.procedure = procedure
    existing = list(guide.checkpoints)
    # Rewrite in place by position, so the (guide, position) key never collides.
    for pos, cp in enumerate(cps, start=1):
        if pos <= len(existing):
            row = existing[pos - 1]
            if (row.text, row.basis) != (cp.text, cp.basis):
                row.text, row.basis = cp.text, cp.basis
                changed = True
        else:
            guide.checkpoints.append(Checkpoint(position=pos, text=cp.text, basis=cp.basis))
            changed = True
    for row in existing[len(cps) :]:
        guide.checkpoints.remove(row)
        changed = True
    return changed


@when_busy
def save_item(db: Database, form: ItemForm) -> int:
    """Insert or update an item with its guide; returns the id.

    ValidationFailed per field; ConcurrentEditError when someone saved it meanwhile.
    """
    require(Permission.EDIT_REGISTRIES, department_id=form.department_id)
    with db.session() as s:
        values = _checked(s, form)
        checkpoints: list[CheckpointForm] = values.pop("checkpoints")  # type: ignore[assignment]
        if form.id is None:
            item = InspectionItem(**values)
            s.add(item)
        else:
            found = s.get(
                InspectionItem,
                form.id,
                options=[
                    selectinload(InspectionItem.guide).selectinload(InspectionGuide.checkpoints)
                ],
            )
            if found is None:
                raise deleted_error(db.engine, InspectionItem.__tablename__, form.id)
            require(Permission.EDIT_REGISTRIES, department_id=found.department_id)
            ensure_version(found, form.version or 0, mine=values)
            item = found
            for key, value in values.items():
                if getattr(item, key) != value:
                    setattr(item, key, value)
        if _write_guide(s, item, clean(form.procedure), checkpoints) and form.id is not None:
            touch(item)  # the item's version covers its guide
        flush_or_explain(s)
        return item.id


@when_busy
def delete_item(db: Database, item_id: int) -> None:
    """Remove an item nobody refers to yet; otherwise NotAllowed says who does."""
    with db.session() as s:
        item = s.get(InspectionItem, item_id)
        if item is None:
            return
        require(Permission.EDIT_REGISTRIES, department_id=item.department_id)
        quals = s.execute(
            select(func.count()).where(inspector_qualifications.c.item_id == item_id)
        ).scalar_one()
        groups = s.execute(
            select(func.count()).where(joint_item_group_members.c.item_id == item_id)
        ).scalar_one()
        if quals or groups:
            parts = []
            if quals:
                parts.append(f"{quals} 名执法人员的执法资质")
            if groups:
                parts.append(f"{groups} 个联合抽查事项组")
            raise NotAllowed(f"事项 {item.code}“{item.name}”已被{'和'.join(parts)}引用，不能删除")
        s.delete(item)
        try:
            s.flush()
        except IntegrityError:
            raise NotAllowed(
                f"事项 {item.code}“{item.name}”已被抽查计划或结果引用，不能删除"
            ) from None
