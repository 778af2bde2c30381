"""The audit chain and the flush hook that feeds it.

Every ORM insert, update and delete of a mapped class (all but AuditEntry
itself) appends one entry to `audit_log`, in the same transaction as the
change, so nothing is changed without a record and no record survives a
rolled-back change. Bulk Core statements bypass the ORM: their services call
`app.services.access.audit.record()` for one summary entry.

Chain: entry_hash = SHA-256(prev_hash + canonical(entry)), where canonical is
the compact, key-sorted JSON of seq, at (UTC ISO), actor, action, entity,
entity_id, before, after; the first entry's prev_hash is 64 zeros.

Gap-free `seq` under concurrent writers:
- PostgreSQL: a transaction-level advisory lock (pg_advisory_xact_lock) is
  taken before the last entry is read; it is held until commit or rollback,
  so the next writer reads the committed entry (READ COMMITTED).
- SQLite: a no-op UPDATE of audit_log takes the database write lock before
  the read (the flush's own writes usually hold it already). The pysqlite
  driver begins transactions lazily, so a transaction that only read before
  may find its snapshot stale when it asks for the lock: SQLite then answers
  SQLITE_BUSY ("database is locked") at once and the whole unit of work must
  be retried; it can never append on a stale chain head. The unique
  constraint on seq is the last guard on both backends.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, event, insert, inspect, select, text, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.state import InstanceState

from app.domain.acting import current_principal
from app.models.audit import AuditEntry
from app.models.base import table_of

GENESIS_HASH = "0" * 64
# "DRAUDIT" as an int8: the key of the advisory lock that serialises appends.
PG_AUDIT_LOCK_KEY = 0x4452_4155_4449_54
REDACTED = "<已隐藏>"

# Table names as the users know them; others show as the table name.
ENTITY_LABELS: dict[str, str] = {
    "departments": "部门",
    "inspection_items": "抽查事项",
    "inspection_guides": "抽查细则",
    "checkpoints": "检查要点",
    "joint_item_groups": "联合抽查事项",
    "targets": "检查对象",
    "inspectors": "执法检查人员",
    "recusals": "回避",
    "annual_plans": "年度抽查计划",
    "sampling_tasks": "抽查任务",
    "plan_versions": "计划版本",
    "task_departments": "任务参与部门",
    "task_sampling_rules": "任务抽取规则",
    "draws": "随机抽取",
    "results": "检查结果",
    "inspections": "检查",
    "inspection_members": "检查组成员",
    "inspection_results": "检查结果",
    "inspection_reviews": "结果审核",
    "holidays": "节假日与调休",
    "risk_suggestions": "风险分类建议",
    "publications": "公示记录",
    "publication_files": "公示文件",
    "follow_ups": "后续处置",
    "exemptions": "免罚清单",
    "users": "用户",
    "user_changes": "用户表变更记录",
    "app_settings": "系统设置",
    "database": "数据库",
}


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


def actor() -> str:
    """The name audit entries record: whoever app.domain.acting says is acting."""
    return current_principal().username[:64]


def json_safe(value: Any) -> Any:
    """A value as plain JSON: dates ISO, enums by value, Decimals as strings."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((json_safe(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return str(value)


def utc_iso(at: datetime) -> str:
    """`at` as stored and read back on either backend: naive UTC, microseconds."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def canonical(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None,
    before: Any,
    after: Any,
) -> str:
    payload = {
        "seq": seq,
        "at": utc_iso(at),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chain_hash(prev_hash: str, canonical_entry: str) -> str:
    return hashlib.sha256((prev_hash + canonical_entry).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    """One change to append: what and which, the values before and after."""

    action: str
    entity: str
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def lock_chain(conn: Connection) -> None:
    """Serialise appenders until this transaction ends (see the module docstring)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_AUDIT_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        table = table_of(AuditEntry)
        conn.execute(update(table).where(text("0")).values(seq=table.c.seq))


def chain_head(conn: Connection) -> tuple[int, str]:
    """(last seq, last entry_hash); (0, genesis) for an empty log."""
    t = AuditEntry.__table__
    row = conn.execute(select(t.c.seq, t.c.entry_hash).order_by(t.c.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def append(conn: Connection, changes: Iterable[Change], who: str | None = None) -> int:
    """Append entries in order on `conn`'s transaction; return how many."""
    changes = list(changes)
    if not changes:
        return 0
    lock_chain(conn)
    seq, prev = chain_head(conn)
    at = datetime.now(UTC)
    name = (who or actor())[:64]
    rows = []
    for ch in changes:
        seq += 1
        before, after = json_safe(ch.before), json_safe(ch.after)
        digest = chain_hash(
            prev,
            canonical(
                seq=seq,
                at=at,
                actor=name,
                action=ch.action,
                entity=ch.entity,
                entity_id=ch.entity_id,
                before=before,
                after=after,
            ),
        )
        rows.append(
            {
                "at": at,
                "actor": name,
                "action": ch.action[:32],
                "entity": ch.entity[:64],
                "entity_id": ch.entity_id,
                "before": before,
                "after": after,
                "seq": seq,
                "prev_hash": prev,
                "entry_hash": digest,
            }
        )
        prev = digest
    conn.execute(insert(table_of(AuditEntry)), rows)
    return len(rows)


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one entry in `session`'s transaction (pending ORM changes are flushed first)."""
    session.flush()
    ident = None if entity_id is None else str(entity_id)
    append(session.connection(), [Change(action, entity, ident, before, after)])


def record_many(session: Session, changes: Iterable[Change]) -> int:
    """Append one entry per change (rows a bulk statement wrote) in `session`'s transaction."""
    session.flush()
    return append(session.connection(), changes)


# --- the flush hook -------------------------------------------------------------------


def _pk(obj: object) -> list[Any]:
    # Read from the instance: during after_flush new objects have no identity key yet.
    state = inspect(obj)
    return list(state.mapper.primary_key_from_instance(obj))


def _entity_id(state: InstanceState[Any]) -> str | None:
    ident = _pk(state.obj())
    if not ident or all(v is None for v in ident):
        return None
    return ",".join(str(v) for v in ident)[:64]


def _redact(state: InstanceState[Any]) -> frozenset[str]:
    return getattr(state.class_, "__audit_redact__", frozenset())


def _columns(state: InstanceState[Any]) -> list[str]:
    return [p.key for p in state.mapper.column_attrs]


def _related_ids(objs: Iterable[Any]) -> list[Any]:
    ids = []
    for obj in objs:
        ident = _pk(obj)
        ids.append(json_safe(ident[0] if len(ident) == 1 else ident))
    return sorted(ids, key=str)


def _snapshot(state: InstanceState[Any]) -> dict[str, Any]:
    """The loaded values (server-generated ones not yet read are left out)."""
    hidden = _redact(state)
    values = state.dict
    snap = {
        key: (REDACTED if key in hidden else json_safe(values[key]))
        for key in _columns(state)
        if key in values
    }
    for rel in state.mapper.relationships:
        if rel.secondary is not None and rel.key in values:
            snap[rel.key] = _related_ids(values[rel.key] or ())
    return snap


def _diff(state: InstanceState[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    hidden = _redact(state)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _columns(state):
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if key in hidden:
            before[key], after[key] = REDACTED, REDACTED
        else:
            before[key], after[key] = json_safe(old), json_safe(new)
    # Many-to-many collections (qualifications, task items …) live in link tables.
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        hist = state.attrs[rel.key].history
        if not (hist.added or hist.deleted):
            continue
        unchanged = list(hist.unchanged or ())
        before[rel.key] = _related_ids([*unchanged, *(hist.deleted or ())])
        after[rel.key] = _related_ids([*unchanged, *(hist.added or ())])
    # The row version this change produced (optimistic locking), for the record.
    vcol = state.mapper.version_id_col
    if (before or after) and vcol is not None:
        vkey = state.mapper.get_property_by_column(vcol).key
        if vkey not in after and vkey in state.dict:
            after[vkey] = json_safe(state.dict[vkey])
    return before, after


def _audited(obj: object) -> bool:
    return not isinstance(obj, AuditEntry)


def _before_flush(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry):
            raise RuntimeError("审计日志只能追加，不能修改或删除。")
    for obj in session.new:
        if isinstance(obj, AuditEntry):
            raise RuntimeError("审计日志条目只能由 app.services.access.audit.record() 追加。")
    # A deleted row is recorded with all its values: load any that are expired.
    for obj in session.deleted:
        state = inspect(obj)
        for key in state.unloaded & set(_columns(state)):
            getattr(obj, key)


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    changes: list[Change] = []
    for obj in session.new:
        if _audited(obj):
            state = inspect(obj)
            changes.append(
                Change(
                    "insert",
                    state.mapper.local_table.name,
                    _entity_id(state),
                    None,
                    _snapshot(state),
                )
            )
    for obj in session.dirty:
        if not _audited(obj) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        before, after = _diff(state)
        if before or after:
            changes.append(
                Change("update", state.mapper.local_table.name, _entity_id(state), before, after)
            )
    for obj in session.deleted:
        if _audited(obj):
            state = inspect(obj)
            changes.append(
                Change(
                    "delete",
                    state.mapper.local_table.name,
                    _entity_id(state),
                    _snapshot(state),
                    None,
                )
            )
    if changes:
        append(session.connection(), changes)


def install(target: Any = Session) -> None:
    """Listen on every Session (the default) or on one sessionmaker / Session class."""
    if not event.contains(target, "after_flush", _after_flush):
        event.listen(target, "before_flush", _before_flush)
        event.listen(target, "after_flush", _after_flush)


install()
