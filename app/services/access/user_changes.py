"""用户表变更记录: changes to `users` that the audit log does not describe.

On PostgreSQL a trigger journals every row written to `users` in
`user_changes`, whoever wrote it (revision 0018). A change the program made
went through the ORM, so the audit hook appended an entry for the same user
in the same transaction: same action, every journaled column that changed
among the entry's values (the password only as <已隐藏>), the same new
values. A journal row with no such entry was written around the program —
psql with the application role's password from an office PC — and is a
finding of `dualrandom audit verify` and of the settings page's check.

The entry's time is the writing PC's clock, the journal's the server's, so
the pairing does not lean on time: each entry answers for one journal row at
most and must carry the row's content, which alone makes a direct change
show (see MATCH_WINDOW). Rows are taken oldest first, each with the nearest
unused entry that describes it.

An administrator who has looked into a finding acknowledges it with a reason
(`acknowledge_user_change`): an audit entry `acknowledge` on `user_changes`,
entity id the journal row's id, is the acknowledgement — the log already is
append-only and hash-chained, so no table of its own. An acknowledged row no
longer fails the check; verify still lists it, with who and why. It takes no
part in the pairing, so a later legitimate change nearby keeps its entry.
SQLite keeps no journal (whoever can write the file owns everything).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.domain.auth import Permission
from app.domain.errors import InvalidInput
from app.models.audit import AuditEntry
from app.models.auditing import record
from app.models.db import Database
from app.models.users import JOURNALED_COLUMNS, UserChange
from app.services.access.auth import require

__all__ = [
    "ACK_ACTION",
    "ACK_ENTITY",
    "MATCH_WINDOW",
    "AcknowledgedChange",
    "Acknowledgement",
    "JournalRow",
    "UserChangeReport",
    "acknowledge_user_change",
    "acknowledged_user_change_notes",
    "unrecorded_user_changes",
    "user_change_findings",
    "user_change_report",
]

# How far an entry's time may be from its journal row's. The window is not
# what catches a direct change: every change the program makes writes one
# journal row and one entry, each entry pairs with one row only and must
# carry the row's content, so a change made around the program always leaves
# one row without a partner, however wide the window. It only has to hold
# the office PC's clock error: a clock set wrong by hours, or a PC on the
# wrong time zone (8 hours off UTC+8), must not turn every legitimate user
# change from it into a finding. A day covers both; an entry a day away from
# any row of its content is no longer believed to be that row's.
MATCH_WINDOW = timedelta(hours=24)

# The audit entry that acknowledges a finding: action, entity (id = the row's id).
ACK_ACTION = "acknowledge"
ACK_ENTITY = "user_changes"

LABELS: dict[str, str] = {
    "id": "编号",
    "username": "用户名",
    "display_name": "姓名",
    "department_id": "所属部门编号",
    "inspector_id": "对应检查人员编号",
    "roles": "角色",
    "password_hash": "密码",
    "must_change_password": "须修改密码",
    "failed_attempts": "连续登录失败次数",
    "locked_until": "锁定至",
    "active": "状态",
}

# What a new or deleted user is summed up by (the username is named anyway).
SUMMARY = ["roles", "active"]


@dataclass(frozen=True)
class JournalRow:
    """One row of `user_changes`; `at` is aware."""

    id: int
    at: datetime
    db_role: str
    client_addr: str | None
    operation: str
    user_id: int | None
    username: str | None
    before: dict[str, Any]
    after: dict[str, Any]

    @property
    def values(self) -> dict[str, Any]:
        """The values the row left behind (a deleted user's last ones)."""
        return self.before if self.operation == "delete" else self.after

    @property
    def label(self) -> str:
        """The journal id as a finding shows it: what `audit acknowledge --change` takes."""
        return f"［变更 {self.id}］"

    @property
    def summary(self) -> str:
        """When, as whom, from where, which user and what changed."""
        at = _local(self.at).strftime("%Y-%m-%d %H:%M:%S")
        where = f"（来自 {self.client_addr}）" if self.client_addr else ""
        who = f"，用户 {self.username}" if self.username else ""
        return f"{at}，数据库角色 {self.db_role}{where}{who}，{_what(self)}"

    def __str__(self) -> str:
        return f"{self.label}用户表在应用之外被修改：{self.summary}（审计日志中无对应记录）"


@dataclass(frozen=True)
class Acknowledgement:
    """An administrator's word that a journal row was looked into; `at` is aware."""

    change_id: int
    seq: int
    at: datetime
    actor: str
    reason: str


@dataclass(frozen=True)
class AcknowledgedChange:
    row: JournalRow
    ack: Acknowledgement

    def __str__(self) -> str:
        when = _local(self.ack.at).strftime("%Y-%m-%d %H:%M")
        return (
            f"{self.row.label}已核实的用户表直接修改：{self.row.summary}；"
            f"核实人 {self.ack.actor}（{when}），理由 {self.ack.reason}"
        )


@dataclass(frozen=True)
class UserChangeReport:
    """Open findings (verify fails on them) and acknowledged ones (listed for the record)."""

    findings: list[JournalRow]
    acknowledged: list[AcknowledgedChange]


def _local(at: datetime) -> datetime:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone()


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _text(key: str, value: Any) -> str:
    if value is None:
        return "无"
    if key == "roles" and isinstance(value, list):
        return "、".join(str(v) for v in value) or "无"
    if key == "active":
        return "启用" if value else "停用"
    if isinstance(value, bool):
        return "是" if value else "否"
    at = _moment(value) if key == "locked_until" else None
    if at is not None:
        return _local(at).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _fields(keys: list[str], values: dict[str, Any]) -> str:
    return "，".join(
        f"{LABELS.get(k, k)} {_text(k, values.get(k))}" for k in keys if k != "password_hash"
    )


def _what(row: JournalRow) -> str:
    if row.operation == "truncate":
        return "清空了用户表"
    if row.operation == "insert":
        return f"新增该用户（{_fields(SUMMARY, row.after)}）"
    if row.operation == "delete":
        return f"删除该用户（{_fields(SUMMARY, row.before)}）"
    keys = [k for k in JOURNALED_COLUMNS if k in row.values]
    parts = []
    for k in keys:
        if k == "password_hash":
            parts.append("密码哈希被改写")
        else:
            old, new = _text(k, row.before.get(k)), _text(k, row.after.get(k))
            parts.append(f"{LABELS.get(k, k)} {old}→{new}")
    return "，".join(parts)


def _same(logged: Any, journaled: Any) -> bool:
    if logged == journaled:
        return True
    a, b = _moment(logged), _moment(journaled)
    return a is not None and a == b


@dataclass(frozen=True)
class _Entry:
    id: int
    at: datetime
    values: dict[str, Any]


def _describes(entry: _Entry, row: JournalRow) -> bool:
    for key, value in row.values.items():
        if key not in entry.values:
            # A new object leaves nullable columns it never set out of its entry.
            if row.operation == "insert" and value is None:
                continue
            return False
        # The log hides the hash; that it changed is all it can say.
        if key != "password_hash" and not _same(entry.values[key], value):
            return False
    return True


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _journal(db: Database) -> list[JournalRow]:
    t = UserChange.__table__
    with db.engine.connect() as conn:
        return [
            JournalRow(
                r.id,
                _aware(r.at),
                r.db_role,
                r.client_addr,
                r.operation,
                r.user_id,
                r.username,
                r.before or {},
                r.after or {},
            )
            for r in conn.execute(select(t).order_by(t.c.at, t.c.id))
        ]


def _entries(db: Database, start: datetime, end: datetime) -> dict[tuple[str, str], list[_Entry]]:
    t = AuditEntry.__table__
    q = (
        select(t.c.id, t.c.at, t.c.action, t.c.entity_id, t.c.before, t.c.after)
        .where(t.c.entity == "users", t.c.action.in_(("insert", "update", "delete")))
        .where(t.c.at >= start - MATCH_WINDOW, t.c.at <= end + MATCH_WINDOW)
        .order_by(t.c.seq)
    )
    found: dict[tuple[str, str], list[_Entry]] = {}
    with db.engine.connect() as conn:
        for r in conn.execute(q):
            values = (r.before if r.action == "delete" else r.after) or {}
            key = (r.entity_id or "", r.action)
            found.setdefault(key, []).append(_Entry(r.id, _aware(r.at), values))
    return found


def _acknowledgements(db: Database) -> dict[int, Acknowledgement]:
    """Each journal row's first acknowledgement in the log (a second one changes nothing)."""
    t = AuditEntry.__table__
    q = (
        select(t.c.seq, t.c.at, t.c.actor, t.c.entity_id, t.c.after)
        .where(t.c.entity == ACK_ENTITY, t.c.action == ACK_ACTION)
        .order_by(t.c.seq)
    )
    found: dict[int, Acknowledgement] = {}
    with db.engine.connect() as conn:
        for r in conn.execute(q):
            try:
                change_id = int(r.entity_id or "")
            except ValueError:
                continue
            reason = (r.after or {}).get("reason") if isinstance(r.after, dict) else None
            found.setdefault(
                change_id,
                Acknowledgement(change_id, r.seq, _aware(r.at), r.actor, str(reason or "")),
            )
    return found


def _unpaired(rows: list[JournalRow], db: Database) -> list[JournalRow]:
    """The rows no entry answers for: oldest row first, each with its nearest unused entry."""
    if not rows:
        return []
    entries = _entries(db, rows[0].at, rows[-1].at)
    # Each list in time order: a row looks only at the entries within the window.
    for found in entries.values():
        found.sort(key=lambda e: e.at)
    times = {key: [e.at for e in found] for key, found in entries.items()}
    used: set[int] = set()
    unmatched = []
    for row in rows:
        if row.operation == "truncate" or row.user_id is None:
            unmatched.append(row)
            continue
        key = (str(row.user_id), row.operation)
        candidates = entries.get(key, [])
        first = bisect_left(times.get(key, []), row.at - MATCH_WINDOW)
        last = bisect_right(times.get(key, []), row.at + MATCH_WINDOW)
        best: _Entry | None = None
        for entry in candidates[first:last]:
            gap = abs(entry.at - row.at)
            if entry.id in used or not _describes(entry, row):
                continue
            if best is None or gap < abs(best.at - row.at):
                best = entry
        if best is None:
            unmatched.append(row)
        else:
            used.add(best.id)
    return unmatched


def user_change_report(db: Database) -> UserChangeReport:
    """The journal against the log: open findings and acknowledged rows, oldest first."""
    require(Permission.VIEW_AUDIT)
    if db.engine.dialect.name != "postgresql":
        return UserChangeReport([], [])
    rows = _journal(db)
    acks = _acknowledgements(db)
    pending = [r for r in rows if r.id not in acks]
    done = [AcknowledgedChange(r, acks[r.id]) for r in rows if r.id in acks]
    return UserChangeReport(_unpaired(pending, db), done)


def unrecorded_user_changes(db: Database) -> list[JournalRow]:
    """Journal rows no audit entry of the program describes and nobody has acknowledged,
    oldest first; none on SQLite."""
    return user_change_report(db).findings


def user_change_findings(db: Database) -> list[str]:
    """The open findings as the sentences verify prints (verify fails on them)."""
    return [str(row) for row in unrecorded_user_changes(db)]


def acknowledged_user_change_notes(db: Database) -> list[str]:
    """The acknowledged findings as verify lists them, for information."""
    return [str(a) for a in user_change_report(db).acknowledged]


def _journal_has(db: Database, change_id: int) -> bool:
    if db.engine.dialect.name != "postgresql":
        return False
    t = UserChange.__table__
    with db.engine.connect() as conn:
        return conn.scalar(select(t.c.id).where(t.c.id == change_id)) is not None


def acknowledge_user_change(db: Database, change_id: int, reason: str) -> AcknowledgedChange:
    """Record that an administrator looked into finding `change_id`, and why it may rest.

    Refused (in Chinese) without the right to manage users, without a reason,
    and for a row that does not exist, is no finding or is acknowledged already.
    """
    require(Permission.MANAGE_USERS)
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(
            f"核实变更 {change_id} 须写明理由（查明的经过，例如“信息科某某用 psql 手工解锁账户”），"
            "未作记录。"
        )
    report = user_change_report(db)
    done = {a.row.id: a for a in report.acknowledged}
    if change_id in done:
        a = done[change_id]
        when = _local(a.ack.at).strftime("%Y-%m-%d %H:%M")
        raise InvalidInput(
            f"变更 {change_id} 已由 {a.ack.actor} 于 {when} 核实（理由 {a.ack.reason}），"
            "不能重复核实。"
        )
    row = next((r for r in report.findings if r.id == change_id), None)
    if row is None:
        if _journal_has(db, change_id):
            raise InvalidInput(
                f"变更 {change_id} 在审计日志中有对应记录，是程序所做的修改，不是需要核实的问题。"
            )
        raise InvalidInput(f"没有这条用户表变更记录（变更 {change_id}），请核对编号。")
    with db.session() as s:
        record(
            s,
            ACK_ACTION,
            ACK_ENTITY,
            row.id,
            None,
            {"reason": reason, "change": f"{row.label}{row.summary}"},
        )
    return AcknowledgedChange(row, _acknowledgements(db)[row.id])
