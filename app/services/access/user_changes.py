"""用户表变更记录: changes to `users` that the audit log does not describe.

On PostgreSQL a trigger journals every row written to `users` in
`user_changes`, whoever wrote it (revision 0018). A change the program made
went through the ORM, so the audit hook appended an entry for the same user
in the same transaction: same action, every journaled column that changed
among the entry's values (the password only as <已隐藏>), the same new
values. A journal row with no such entry was written around the program —
psql with the application role's password from an office PC — and is a
finding of `dualrandom audit verify` and of the settings page's check.

The entry's time is the writing PC's clock, the journal's the server's:
they are paired within MATCH_WINDOW, each entry with one journal row at most,
so a direct change cannot hide behind a legitimate change of the same user.
SQLite keeps no journal (whoever can write the file owns everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.domain.auth import Permission
from app.models.audit import AuditEntry
from app.models.db import Database
from app.models.users import JOURNALED_COLUMNS, UserChange
from app.services.access.auth import require

__all__ = ["MATCH_WINDOW", "JournalRow", "unrecorded_user_changes", "user_change_findings"]

# Office PCs' clocks may be a few minutes off the server's.
MATCH_WINDOW = timedelta(minutes=10)

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

    def __str__(self) -> str:
        at = _local(self.at).strftime("%Y-%m-%d %H:%M:%S")
        where = f"（来自 {self.client_addr}）" if self.client_addr else ""
        who = f"，用户 {self.username}" if self.username else ""
        return (
            f"用户表在应用之外被修改：{at}，数据库角色 {self.db_role}{where}{who}，"
            f"{_what(self)}（审计日志中无对应记录）"
        )


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


def unrecorded_user_changes(db: Database) -> list[JournalRow]:
    """Journal rows no audit entry of the program describes, oldest first; none on SQLite."""
    require(Permission.VIEW_AUDIT)
    if db.engine.dialect.name != "postgresql":
        return []
    rows = _journal(db)
    if not rows:
        return []
    entries = _entries(db, rows[0].at, rows[-1].at)
    used: set[int] = set()
    unmatched = []
    for row in rows:
        if row.operation == "truncate" or row.user_id is None:
            unmatched.append(row)
            continue
        best: _Entry | None = None
        for entry in entries.get((str(row.user_id), row.operation), []):
            gap = abs(entry.at - row.at)
            if entry.id in used or gap > MATCH_WINDOW or not _describes(entry, row):
                continue
            if best is None or gap < abs(best.at - row.at):
                best = entry
        if best is None:
            unmatched.append(row)
        else:
            used.add(best.id)
    return unmatched


def user_change_findings(db: Database) -> list[str]:
    """The unrecorded changes as the sentences verify prints."""
    return [str(row) for row in unrecorded_user_changes(db)]
