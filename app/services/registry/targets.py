"""检查对象: read one for the edit form, check and save it, change its 登记状态.

A target is never deleted here: plans, draws and results refer to it, so
deregistering is a status change (注销/吊销), which makes it undrawable.
Saves use the row's `version` (optimistic locking): a form saved after
someone else's save is refused with ConcurrentEditError, whose message lists
what the other person changed, instead of overwriting it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import uscc as uscc_rules
from app.domain.registry import REG_STATUSES
from app.domain.risk import UnknownRiskClass, parse_risk_class
from app.models import Department, Inspector, Recusal, Target
from app.models.db import Database
from app.services.access.auth import Permission, require
from app.services.common.concurrency import deleted_error, ensure_version, flush_or_explain
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

# Statuses a clerk may set to take an entity out of the drawable registry.
DEREGISTER_STATUSES: tuple[str, ...] = ("注销", "吊销")


@dataclass
class TargetForm:
    """The edit form's fields as typed; `id`/`version` are None for a new target."""

    id: int | None = None
    version: int | None = None
    uscc: str = ""
    name: str = ""
    legal_rep: str = ""
    address: str = ""
    division_code: str = ""
    entity_type: str = ""
    industry_code: str = ""
    industry_name: str = ""
    reg_status: str = "存续"
    risk_class: str = ""
    founded_on: str = ""
    phone: str = ""
    tags: str = ""
    last_inspected_on: str = ""  # shown, filled by inspection results, not edited


@dataclass(frozen=True)
class RecusalRow:
    """回避 as shown on either side: the inspector and the target, reason and date."""

    id: int
    inspector_id: int
    inspector_name: str
    badge_no: str
    department: str
    target_id: int
    target_uscc: str
    target_name: str
    reason: str
    recorded_on: date


@dataclass
class SavedTarget:
    id: int
    version: int
    warnings: list[str] = field(default_factory=list)


def get_target(db: Database, target_id: int) -> TargetForm:
    with db.session() as s:
        t = s.get(Target, target_id)
        if t is None:
            raise StaleRecord(STALE_MESSAGE.format(what=f"检查对象 #{target_id} 已不存在"))
        return TargetForm(
            id=t.id,
            version=t.version,
            uscc=t.uscc,
            name=t.name,
            legal_rep=t.legal_rep or "",
            address=t.address or "",
            division_code=t.division_code,
            entity_type=t.entity_type or "",
            industry_code=t.industry_code or "",
            industry_name=t.industry_name or "",
            reg_status=t.reg_status,
            risk_class=t.risk_class or "",
            founded_on=format_date(t.founded_on),
            phone=t.phone or "",
            tags="、".join(t.tags or []),
            last_inspected_on=format_date(t.last_inspected_on),
        )


def _validate(s: Session, form: TargetForm, today: date) -> tuple[dict[str, object], list[str]]:
    errors: dict[str, str] = {}
    warnings: list[str] = []
    values: dict[str, object] = {}
    try:
        code = uscc_rules.validate(form.uscc)
        values["uscc"] = code
        other = s.execute(
            select(Target.id, Target.name).where(Target.uscc == code, Target.id != (form.id or 0))
        ).first()
        if other is not None:
            errors["uscc"] = f"统一社会信用代码 {code} 已登记在检查对象“{other.name}”名下"
    except uscc_rules.InvalidUSCC as exc:
        errors["uscc"] = str(exc)
    name = clean(form.name)
    if not name:
        errors["name"] = "名称不能为空"
    values["name"] = name
    try:
        values["division_code"] = parse_division(form.division_code)
    except ValueError as exc:
        errors["division_code"] = str(exc)
    if "uscc" in values and "division_code" in values:
        embedded = uscc_rules.division_of(str(values["uscc"]))
        if embedded != values["division_code"]:
            warnings.append(
                f"行政区划代码 {values['division_code']} 与统一社会信用代码中的 {embedded} 不同"
                "（迁移的主体可能如此，请核对）"
            )
    status = clean(form.reg_status)
    if status not in REG_STATUSES:
        errors["reg_status"] = f"登记状态“{status}”无效，应为：{'、'.join(REG_STATUSES)}"
    values["reg_status"] = status
    try:
        values["risk_class"] = parse_risk_class(narrow(form.risk_class))
    except UnknownRiskClass as exc:
        errors["risk_class"] = str(exc)
    try:
        founded = parse_date(form.founded_on, "成立日期")
        if founded and founded > today:
            errors["founded_on"] = f"成立日期 {founded.isoformat()} 晚于今天"
        values["founded_on"] = founded
    except ValueError as exc:
        errors["founded_on"] = str(exc)
    for key, label, limit in (
        ("legal_rep", "法定代表人（负责人）", 64),
        ("address", "住所（经营场所）", 300),
        ("entity_type", "市场主体类型", 32),
        ("industry_code", "行业代码", 8),
        ("industry_name", "行业名称", 100),
        ("phone", "联系电话", 40),
    ):
        raw = getattr(form, key)
        values[key] = optional(narrow(raw) if key in ("industry_code", "phone") else raw)
        check_length(errors, key, label, values[key], limit)  # type: ignore[arg-type]
    check_length(errors, "name", "名称", name, 200)
    if values["industry_code"]:
        values["industry_code"] = str(values["industry_code"]).upper()
    values["tags"] = split_tags(form.tags)
    if errors:
        raise ValidationFailed(errors)
    return values, warnings


@when_busy
def save_target(db: Database, form: TargetForm, today: date | None = None) -> SavedTarget:
    """Insert or update; ValidationFailed per field, ConcurrentEditError when the lock was lost."""
    require(Permission.EDIT_REGISTRIES)
    today = today or date.today()
    with db.session() as s:
        values, warnings = _validate(s, form, today)
        if form.id is None:
            t = Target(**values)
            s.add(t)
        else:
            found = s.get(Target, form.id)
            if found is None:
                raise deleted_error(db.engine, Target.__tablename__, form.id)
            ensure_version(found, form.version or 0, mine=values)
            t = found
            for key, value in values.items():
                if getattr(t, key) != value:
                    setattr(t, key, value)
        flush_or_explain(s)
        return SavedTarget(t.id, t.version, warnings)


@when_busy
def set_target_status(db: Database, target_id: int, version: int, status: str) -> int:
    """注销/吊销 (or back to 存续): a status change, never a delete; returns the new version."""
    require(Permission.EDIT_REGISTRIES)
    if status not in REG_STATUSES:
        raise ValidationFailed({"reg_status": f"登记状态“{status}”无效"})
    with db.session() as s:
        t = s.get(Target, target_id)
        if t is None:
            raise deleted_error(db.engine, Target.__tablename__, target_id)
        ensure_version(t, version, mine={"reg_status": status})
        if t.reg_status != status:
            t.reg_status = status
            flush_or_explain(s)
        return t.version


def _require_for_inspector(db: Database, inspector_id: int) -> None:
    """回避 is kept by the inspector's department."""
    with db.session() as s:
        department = s.execute(
            select(Inspector.department_id).where(Inspector.id == inspector_id)
        ).scalar()
    require(Permission.EDIT_REGISTRIES, department_id=department)


def _recusal_rows(s: Session, where: object) -> list[RecusalRow]:
    stmt = (
        select(Recusal, Inspector, Target, Department.name)
        .join(Inspector, Recusal.inspector_id == Inspector.id)
        .join(Department, Inspector.department_id == Department.id)
        .join(Target, Recusal.target_id == Target.id)
        .where(where)  # type: ignore[arg-type]
        .order_by(Recusal.recorded_on.desc(), Recusal.id.desc())
    )
    return [
        RecusalRow(
            id=r.id,
            inspector_id=i.id,
            inspector_name=i.name,
            badge_no=i.badge_no,
            department=dept,
            target_id=t.id,
            target_uscc=t.uscc,
            target_name=t.name,
            reason=r.reason,
            recorded_on=r.recorded_on,
        )
        for r, i, t, dept in s.execute(stmt)
    ]


def target_recusals(db: Database, target_id: int) -> list[RecusalRow]:
    with db.session() as s:
        return _recusal_rows(s, Recusal.target_id == target_id)


def inspector_recusals(db: Database, inspector_id: int) -> list[RecusalRow]:
    with db.session() as s:
        return _recusal_rows(s, Recusal.inspector_id == inspector_id)


@when_busy
def add_recusal(
    db: Database, inspector_id: int, target_code: str, reason: str, recorded_on: str
) -> RecusalRow:
    """Record 回避 of an inspector for the target with this 统一社会信用代码."""
    _require_for_inspector(db, inspector_id)
    errors: dict[str, str] = {}
    code = uscc_rules.normalize(target_code)
    reason_text = clean(reason)
    if not reason_text:
        errors["reason"] = "请填写回避原因（如：亲属关系、曾任职）"
    check_length(errors, "reason", "回避原因", reason_text, 200)
    day: date | None = None
    try:
        day = parse_date(recorded_on, "登记日期") or date.today()
    except ValueError as exc:
        errors["recorded_on"] = str(exc)
    with db.session() as s:
        target = s.execute(select(Target).where(Target.uscc == code)).scalar_one_or_none()
        if target is None:
            errors["target"] = f"检查对象库中没有统一社会信用代码为“{code}”的主体"
        elif s.execute(
            select(Recusal.id).where(
                Recusal.inspector_id == inspector_id, Recusal.target_id == target.id
            )
        ).first():
            errors["target"] = f"该人员对“{target.name}”已登记回避"
        if errors:
            raise ValidationFailed(errors)
        assert target is not None and day is not None
        r = Recusal(
            inspector_id=inspector_id, target_id=target.id, reason=reason_text, recorded_on=day
        )
        s.add(r)
        s.flush()
        return _recusal_rows(s, Recusal.id == r.id)[0]


@when_busy
def remove_recusal(db: Database, recusal_id: int) -> None:
    with db.session() as s:
        r = s.get(Recusal, recusal_id)
        if r is not None:
            _require_for_inspector(db, r.inspector_id)
            s.delete(r)
