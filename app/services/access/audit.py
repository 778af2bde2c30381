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
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, cast, select

from app.domain.acting import acting_as
from app.models.audit import AuditEntry
from app.models.auditing import (
    ENTITY_LABELS,
    GENESIS_HASH,
    actor,
    canonical,
    chain_hash,
    entity_label,
    record,
    record_many,
)
from app.models.db import Database

if TYPE_CHECKING:
    from collections.abc import Sequence

    from app.services.access.anchors import Anchor

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
    "entity_label",
    "list_entities",
    "list_entries",
    "log_notes",
    "log_problems",
    "record",
    "record_many",
    "verify_chain",
]

ACTION_LABELS: dict[str, str] = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "login": "登录",
    "login_failed": "登录失败",
    "recovery": "恢复管理员",
    "import": "导入",
    "restore": "恢复备份",
    "acknowledge": "核实",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


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


def log_problems(db: Database, anchors: Sequence[Anchor] = ()) -> list[str]:
    """What verify reports besides a broken chain, in words: anchors that no longer
    hold, data the log does not describe, changes to users made around the program."""
    from app.services.access.anchors import check_anchors, unlogged_data
    from app.services.access.user_changes import user_change_findings

    return check_anchors(db, list(anchors)) + unlogged_data(db) + user_change_findings(db)


def log_notes(db: Database) -> list[str]:
    """What verify lists for information without failing: findings about users an
    administrator has looked into and acknowledged, with who and why."""
    from app.services.access.user_changes import acknowledged_user_change_notes

    return acknowledged_user_change_notes(db)


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
    # The entry in words (audit_text): 任务 LC-LH-2026-003 的抽查比例 3% → 5%.
    summary: str = ""

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
    from app.services.access.audit_text import describe_entries

    with db.engine.connect() as conn:
        rows = [
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
    with db.session() as s:
        words = describe_entries(s, rows)
    return [replace(r, summary=w) for r, w in zip(rows, words, strict=True)]


def list_entities(db: Database) -> list[str]:
    t = AuditEntry.__table__
    with db.engine.connect() as conn:
        return sorted(conn.execute(select(t.c.entity).distinct()).scalars())
