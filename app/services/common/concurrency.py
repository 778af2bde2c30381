"""Two clerks, one record: the second save is refused and told what the other changed.

Versioned models (`version_id_col = version`) make the UPDATE match only the
version that was loaded. Two ways a service meets a concurrent change:

- within one unit of work (loaded, changed, flushed): end it with
  `flush_or_explain(s)` instead of a bare flush/commit;
- across units of work (a form loaded earlier, saved later): call
  `ensure_version(obj, form_version, shown_values)` after loading the row
  again, before applying the form's values.

Both raise `ConcurrentEditError`, whose str() is a Chinese message naming the
record, who changed it and when (from the audit log), and each field as it
was, as the other person left it, and as this user wanted it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.errors import UserError
from app.models.audit import AuditEntry
from app.models.auditing import entity_label, json_safe

# Column names as the users read them; others show as the column name.
FIELD_LABELS: dict[str, str] = {
    "name": "名称",
    "code": "编码",
    "uscc": "统一社会信用代码",
    "legal_rep": "法定代表人",
    "address": "地址",
    "division_code": "行政区划",
    "entity_type": "主体类型",
    "industry_code": "行业代码",
    "industry_name": "行业",
    "reg_status": "登记状态",
    "risk_class": "信用风险分类",
    "founded_on": "成立日期",
    "phone": "联系电话",
    "tags": "标签",
    "badge_no": "执法证号",
    "badge_expires_on": "执法证有效期",
    "expertise": "业务专长",
    "district_code": "所在区县",
    "status": "状态",
    "department_id": "部门",
    "title": "标题",
    "state": "状态",
    "display_name": "姓名",
    "roles": "角色",
    "active": "启用",
    "version": "版本",
    "row_version": "版本",
    "year": "年度",
    "kind": "类型",
    "note": "备注",
    "lead_department_id": "牵头部门",
    "version_no": "计划版本号",
    "filed_at": "备案时间",
    "published_at": "公开时间",
    "planned_start": "计划开始日期",
    "planned_end": "计划结束日期",
    "team_size": "每组人数",
    "batches": "批次数",
    "max_load": "每人最多检查户数",
    "district_rule": "异地交叉规则",
    "initiator_level": "发起层级",
    "is_joint": "联合抽查",
    "scope_divisions": "行政区划范围",
    "scope_entity_types": "主体类型范围",
    "scope_industries": "行业范围",
    "scope_tags": "标签范围",
    "registered_before": "成立日期早于",
    "recent_window_months": "近期检查回避月数",
    "qualifications": "执法资质",
    "items": "抽查事项",
    "departments": "部门",
    "category": "事项类别",
    "ratio_cap_bp": "比例上限",
    "legal_basis": "设定依据",
    "methods": "检查方式",
    "target_type": "检查对象",
    "joint_allowed": "可联合抽查",
    "last_inspected_on": "最近检查日期",
}
_SKIP = {"updated_at", "created_at", "password_hash"}


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


@dataclass(frozen=True)
class FieldChange:
    field: str
    original: Any  # what this user loaded
    theirs: Any  # what is stored now (None when the row was deleted)
    mine: Any  # what this user wanted to save (None: not changed by this user)
    mine_changed: bool


class ConcurrentEditError(UserError):
    """The row changed (or vanished) since this user loaded it; nothing was saved."""

    def __init__(
        self,
        entity: str,
        entity_id: str,
        changes: list[FieldChange],
        *,
        deleted: bool = False,
        by: str | None = None,
        at: datetime | None = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.changes = changes
        self.deleted = deleted
        self.by = by
        self.at = at
        super().__init__(self._message())

    def _message(self) -> str:
        what = f"{entity_label(self.entity)}（编号 {self.entity_id}）"
        who = f"“{self.by}”" if self.by else "其他用户"
        when = f"于 {self.at.astimezone().strftime('%Y-%m-%d %H:%M')} " if self.at else ""
        if self.deleted:
            return f"保存失败：{what}已被{who}{when}删除。您的修改未保存。"
        lines = [f"保存失败：{what}在您打开之后已被{who}{when}修改，您的修改未保存。"]
        theirs = [c for c in self.changes if c.original != c.theirs and c.field != "version"]
        if theirs:
            lines.append("对方的修改：")
            lines += [
                f"  {field_label(c.field)}：{_show(c.original)} → {_show(c.theirs)}"
                + (f"（您改为 {_show(c.mine)}）" if c.mine_changed else "")
                for c in theirs
            ]
        lines.append("请刷新后在最新内容上重新修改。")
        return "\n".join(lines)


def _show(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（空）"
    return str(value)


@dataclass
class _Pending:
    cls: type
    entity: str
    pk: tuple[Any, ...]
    original: dict[str, Any]
    mine: dict[str, Any]


def _pending(obj: object) -> _Pending | None:
    state = inspect(obj)
    mapper = state.mapper
    if mapper.version_id_col is None or not state.has_identity:
        return None
    original: dict[str, Any] = {}
    mine: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        key = attr.key
        if key in _SKIP:
            continue
        hist = state.attrs[key].history
        if hist.deleted:
            original[key] = json_safe(hist.deleted[0])
            mine[key] = json_safe(hist.added[0]) if hist.added else None
        elif hist.unchanged:
            original[key] = json_safe(hist.unchanged[0])
        elif key in state.dict:
            original[key] = json_safe(state.dict[key])
    return _Pending(mapper.class_, mapper.local_table.name, tuple(state.identity), original, mine)


def _last_change(engine: Engine, entity: str, entity_id: str) -> tuple[str | None, datetime | None]:
    t = AuditEntry.__table__
    q = (
        select(t.c.actor, t.c.at)
        .where(t.c.entity == entity, t.c.entity_id == entity_id)
        .order_by(t.c.seq.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None:
        return None, None
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return row.actor, at


def _current_values(engine: Engine, p: _Pending) -> dict[str, Any] | None:
    with Session(engine) as s:
        obj = s.get(p.cls, p.pk)
        if obj is None:
            return None
        state = inspect(obj)
        return {
            a.key: json_safe(state.dict.get(a.key))
            for a in state.mapper.column_attrs
            if a.key not in _SKIP
        }


def explain(engine: Engine, p: _Pending) -> ConcurrentEditError | None:
    """The conflict on this row, or None when it is as this user loaded it."""
    current = _current_values(engine, p)
    entity_id = ",".join(str(v) for v in p.pk)
    by, at = _last_change(engine, p.entity, entity_id)
    if current is None:
        return ConcurrentEditError(p.entity, entity_id, [], deleted=True, by=by, at=at)
    if all(current.get(k) == v for k, v in p.original.items()):
        return None
    changes = [
        FieldChange(k, p.original.get(k), current.get(k), p.mine.get(k), k in p.mine)
        for k in current
        if current.get(k) != p.original.get(k)
    ]
    return ConcurrentEditError(p.entity, entity_id, changes, by=by, at=at)


def flush_or_explain(session: Session) -> None:
    """Flush; on a stale version roll back and raise ConcurrentEditError."""
    pending = [p for obj in (*session.dirty, *session.deleted) if (p := _pending(obj))]
    try:
        session.flush()
    except StaleDataError:
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        session.rollback()
        for p in pending:
            err = explain(engine, p)
            if err is not None:
                raise err from None
        raise ConcurrentEditError("database", "?", []) from None


def ensure_version(
    obj: object,
    expected_version: int,
    shown: Mapping[str, Any] | None = None,
    mine: Mapping[str, Any] | None = None,
) -> None:
    """Refuse a form's save when the freshly loaded `obj` is newer than the form.

    `shown` holds the values the form displayed (column key → value); without
    it the other person's changes are read from the audit log (every change
    since `expected_version`). `mine` holds what this user wants to save, so
    the message can say where the two collide.
    """
    state = inspect(obj)
    mapper = state.mapper
    vcol = mapper.version_id_col
    if vcol is None:
        raise TypeError(f"{mapper.class_.__name__} has no version column")
    vkey = mapper.get_property_by_column(vcol).key
    current = state.dict.get(vkey)
    if current == expected_version:
        return
    entity = mapper.local_table.name
    entity_id = ",".join(str(v) for v in mapper.primary_key_from_instance(obj))
    engine = object_engine(obj)
    now = _values_now(obj)
    if shown is None and engine is not None:
        history = _loaded_values(engine, entity, entity_id, vkey, expected_version)
        shown = {k: v for k, v in history.items() if k in now}
    shown = {k: json_safe(v) for k, v in (shown or {}).items()}
    wanted = {k: json_safe(v) for k, v in (mine or {}).items()}
    changes = [
        FieldChange(k, v, now.get(k), wanted.get(k), k in wanted and wanted[k] != v)
        for k, v in shown.items()
        if now.get(k) != v
    ]
    changes.append(FieldChange(vkey, expected_version, current, None, False))
    by, at = _last_change(engine, entity, entity_id) if engine is not None else (None, None)
    raise ConcurrentEditError(entity, entity_id, changes, by=by, at=at)


def _values_now(obj: object) -> dict[str, Any]:
    """Loaded columns as JSON values, and many-to-many links as sorted ids (as audited)."""
    state = inspect(obj)
    values = {
        a.key: json_safe(state.dict[a.key])
        for a in state.mapper.column_attrs
        if a.key in state.dict and a.key not in _SKIP
    }
    for rel in state.mapper.relationships:
        if rel.secondary is not None and rel.key in state.dict:
            ids = [inspect(o).mapper.primary_key_from_instance(o)[0] for o in state.dict[rel.key]]
            values[rel.key] = sorted((json_safe(i) for i in ids), key=str)
    return values


def touch(obj: object) -> None:
    """Move a versioned row's version when only its child rows or links changed.

    Link tables (qualifications, task items, group members) and child rows
    (checkpoints, sampling rules) carry no version of their own: setting the
    owner's next version makes its UPDATE check the loaded one (WHERE version
    = loaded) and store the next, so the optimistic lock covers them, and the
    audit entry records a true before and after.
    """
    state = inspect(obj)
    mapper = state.mapper
    if mapper.version_id_col is None:
        raise TypeError(f"{mapper.class_.__name__} has no version column")
    vkey = mapper.get_property_by_column(mapper.version_id_col).key
    if vkey not in state.committed_state:  # not already moved in this unit of work
        setattr(obj, vkey, state.dict[vkey] + 1)


# Audit entries read back to find what the other person changed since a version.
_HISTORY_LIMIT = 200


def _loaded_values(
    engine: Engine, entity: str, entity_id: str, vkey: str, version: int
) -> dict[str, Any]:
    """Field → value as it stood at `version`, for each field changed since (from the audit log).

    Each update entry's `after` carries the row's new version; walking back
    from the newest, the `before` of the oldest entry past `version` is what
    the form showed.
    """
    t = AuditEntry.__table__
    q = (
        select(t.c.before, t.c.after)
        .where(t.c.entity == entity, t.c.entity_id == entity_id, t.c.action == "update")
        .order_by(t.c.seq.desc())
        .limit(_HISTORY_LIMIT)
    )
    values: dict[str, Any] = {}
    with engine.connect() as conn:
        for before, after in conn.execute(q):
            new_version = (after or {}).get(vkey)
            if isinstance(new_version, int) and new_version <= version:
                break
            for key, value in (before or {}).items():
                if key != vkey and key not in _SKIP:
                    values[key] = value
    return values


def deleted_error(engine: Engine, entity: str, entity_id: object) -> ConcurrentEditError:
    """The refusal for saving a row that someone deleted meanwhile."""
    ident = str(entity_id)
    by, at = _last_change(engine, entity, ident)
    return ConcurrentEditError(entity, ident, [], deleted=True, by=by, at=at)


def object_engine(obj: object) -> Engine | None:
    session = inspect(obj).session
    if session is None:
        return None
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine
