"""审计日志: record summary entries, verify the hash chain, list entries for the GUI.

ORM changes are recorded without any call (see app/models/auditing.py).
A service that writes with bulk Core statements (an import, the demo data,
a draw's result rows) appends one summary entry itself, in its transaction:

    audit.record(s, "import", "targets", None, None, {"rows": 12000, "file": name})

and a bulk UPDATE of existing rows records each row's before and after with
`record_many` (the target import does).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from app.models.audit import AuditEntry
from app.models.auditing import (
    GENESIS_HASH,
    Change,
    actor,
    append,
    canonical,
    chain_hash,
    current_actor,
    set_process_actor,
)
from app.models.db import Database

__all__ = [
    "ENTITY_LABELS",
    "GENESIS_HASH",
    "AuditFilter",
    "AuditRow",
    "ChainBreak",
    "ChainReport",
    "acting_as",
    "actor",
    "check_chain",
    "current_actor",
    "entity_label",
    "list_entities",
    "list_entries",
    "record",
    "record_many",
    "set_process_actor",
    "verify_chain",
]

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
    "users": "用户",
    "app_settings": "系统设置",
    "database": "数据库",
}
ACTION_LABELS: dict[str, str] = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "login": "登录",
    "import": "导入",
    "restore": "恢复备份",
}


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


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


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Entries written inside the block name `name` as the actor."""
    token = current_actor.set(name[:64])
    try:
        yield
    finally:
        current_actor.reset(token)


# --- verification ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.seq} 条" + (f"（id {self.id}）" if self.id is not None else "")
        return f"审计日志{where}：{self.reason}"


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_hash: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _load_json(raw: str | None) -> Any:
    return None if raw is None else json.loads(raw)


def check_chain(db: Database) -> ChainReport:
    """Walk the log in seq order; stop at the first entry that does not fit."""
    t = AuditEntry.__table__
    query = select(
        t.c.id,
        t.c.seq,
        t.c.at,
        t.c.actor,
        t.c.action,
        t.c.entity,
        t.c.entity_id,
        cast(t.c.before, Text),
        cast(t.c.after, Text),
        t.c.prev_hash,
        t.c.entry_hash,
    ).order_by(t.c.seq)
    expected, prev, count = 1, GENESIS_HASH, 0
    with (
        db.engine.connect() as conn,
        closing(conn.execution_options(yield_per=2000).execute(query)) as rows,
    ):
        for row in rows:
            (ident, seq, at, who, action, entity, entity_id, raw_b, raw_a, prev_hash, digest) = row
            if seq != expected:
                missing = (
                    f"第 {expected} 条" if seq == expected + 1 else f"第 {expected}–{seq - 1} 条"
                )
                return ChainReport(
                    count,
                    prev,
                    ChainBreak(seq, ident, f"序号不连续，缺少{missing}（条目被删除）。"),
                )
            if prev_hash != prev:
                return ChainReport(
                    count,
                    prev,
                    ChainBreak(
                        seq,
                        ident,
                        f"prev_hash 与上一条的 entry_hash 不符（应为 {prev[:12]}…，"
                        f"实为 {prev_hash[:12]}…）：上一条被改写后重算了哈希，或本条被改动。",
                    ),
                )
            try:
                before, after = _load_json(raw_b), _load_json(raw_a)
            except ValueError:
                return ChainReport(
                    count,
                    prev,
                    ChainBreak(seq, ident, "before/after 不是有效的 JSON（被直接改动）。"),
                )
            text = canonical(
                seq=seq,
                at=at,
                actor=who,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=before,
                after=after,
            )
            if chain_hash(prev, text) != digest:
                return ChainReport(
                    count,
                    prev,
                    ChainBreak(
                        seq,
                        ident,
                        f"内容与 entry_hash 不符：时间、操作人、操作、对象或前后值"
                        f"（{entity_label(entity)} {entity_id or ''}）在写入后被改动。",
                    ),
                )
            prev, expected, count = digest, expected + 1, count + 1
    return ChainReport(count, prev, None)


def verify_chain(db: Database) -> ChainBreak | None:
    """The first broken entry, or None when the whole chain is intact."""
    return check_chain(db).broken


# --- listing for the GUI --------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    actor: str | None = None  # substring
    date_from: date | None = None  # local dates, inclusive
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    seq: int
    at: datetime  # local time, aware
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any

    @property
    def action_text(self) -> str:
        return action_label(self.action)

    @property
    def entity_text(self) -> str:
        return entity_label(self.entity)


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _as_local(at: datetime) -> datetime:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone()


def list_entries(
    db: Database, filt: AuditFilter, *, before_seq: int | None = None, limit: int = 200
) -> list[AuditRow]:
    """Newest first, `limit` at a time; pass the last row's seq to get the next page."""
    from app.domain.auth import Permission
    from app.services.access.auth import require

    require(Permission.VIEW_AUDIT)
    t = AuditEntry.__table__
    q = select(t).order_by(t.c.seq.desc()).limit(limit)
    if before_seq is not None:
        q = q.where(t.c.seq < before_seq)
    if filt.entity:
        q = q.where(t.c.entity == filt.entity)
    if filt.actor:
        q = q.where(t.c.actor.contains(filt.actor, autoescape=True))
    if filt.date_from:
        q = q.where(t.c.at >= _local_midnight_utc(filt.date_from))
    if filt.date_to:
        q = q.where(t.c.at < _local_midnight_utc(filt.date_to + timedelta(days=1)))
    with db.engine.connect() as conn:
        return [
            AuditRow(
                r.id,
                r.seq,
                _as_local(r.at),
                r.actor,
                r.action,
                r.entity,
                r.entity_id,
                r.before,
                r.after,
            )
            for r in conn.execute(q)
        ]


def list_entities(db: Database) -> list[str]:
    t = AuditEntry.__table__
    with db.engine.connect() as conn:
        return sorted(conn.execute(select(t.c.entity).distinct()).scalars())
