"""Anchors of the audit chain kept outside the database, and a log that lost its tail.

The hash chain shows an entry changed in place, but not a log cut short or
rewritten from some entry on with fresh hashes: the rest still chains. So the
chain head (entry number and hash) at a moment is written where the database
cannot reach it: every draw record PDF, verification bundle README and backup
records it, and the settings page shows it for the paper ledger.
`dualrandom audit verify --anchor N:HASH` then checks the log still holds
entry N with that very hash.

Without an anchor, a log that is empty or shorter than the data it should
describe is still caught where it can be: a table holding rows that the log
never mentions, or a record written through the application (a draw attempt,
a task, a plan, a user) whose creation entry is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.domain.errors import InvalidInput
from app.models.audit import AuditEntry
from app.models.auditing import chain_head as _chain_head
from app.models.db import Database

__all__ = ["Anchor", "chain_head", "check_anchors", "head_text", "unlogged_data"]

_ANCHOR = re.compile(r"^\s*(\d+)\s*[:：]\s*([0-9a-fA-F]{64})\s*$")

# Tables whose rows the log must mention (their rows are written by the application only).
LOGGED_TABLES = (
    "departments",
    "inspection_items",
    "targets",
    "inspectors",
    "annual_plans",
    "sampling_tasks",
    "draw_attempts",
    "users",
)
# Tables only ever written row by row through the ORM: the newest row's insert is logged.
ORM_TABLES = ("annual_plans", "sampling_tasks", "draw_attempts", "users")


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        m = _ANCHOR.match("".join(text.split()))  # as copied from paper, in groups
        if not m:
            raise InvalidInput(
                f"锚点“{text}”格式不对：应为“条目序号:64 位十六进制哈希”，"
                "如 1234:3fa2…（共 64 位）。"
            )
        return cls(int(m.group(1)), m.group(2).lower())

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def chain_head(db: Database) -> tuple[int, str]:
    """(entry number, entry hash) of the newest audit entry; (0, 64 zeros) for an empty log."""
    with db.engine.connect() as conn:
        return _chain_head(conn)


def chain_head_in(session: Session) -> tuple[int, str]:
    """The same head, read inside the caller's unit of work."""
    return _chain_head(session.connection())


def head_text(head: tuple[int, str]) -> str:
    """How the head is printed on paper: 第 N 条 HASH, and the anchor to type back."""
    seq, digest = head
    return f"第 {seq} 条，哈希 {digest}（核对锚点 {seq}:{digest}）"


def check_anchors(db: Database, anchors: list[Anchor]) -> list[str]:
    """What no longer holds: for each anchor, its entry must still exist with that hash."""
    t = AuditEntry.__table__
    problems = []
    with db.engine.connect() as conn:
        last = conn.scalar(select(func.max(t.c.seq))) or 0
        for a in anchors:
            digest = conn.scalar(select(t.c.entry_hash).where(t.c.seq == a.seq))
            if digest is None:
                problems.append(
                    f"锚点 {a.seq}:{a.hash[:12]}… 不成立：审计日志已没有第 {a.seq} 条"
                    f"（现仅到第 {last} 条），日志被截短或清空。"
                )
            elif digest != a.hash:
                problems.append(
                    f"锚点 {a.seq}:{a.hash[:12]}… 不成立：第 {a.seq} 条的哈希现为 {digest[:12]}…，"
                    "日志在此之前被改写后重算了哈希。"
                )
    return problems


def _table(name: str) -> Table | None:
    from app.models.base import Base

    table = Base.metadata.tables.get(name)
    return table if isinstance(table, Table) else None


def unlogged_data(db: Database) -> list[str]:
    """Data the log should describe but does not: an emptied or shortened log."""
    log = AuditEntry.__table__
    problems = []
    with db.engine.connect() as conn:
        entries = conn.scalar(select(func.count()).select_from(log)) or 0
        for name in LOGGED_TABLES:
            table = _table(name)
            if table is None:
                continue
            rows = conn.scalar(select(func.count()).select_from(table)) or 0
            if not rows:
                continue
            mentioned = conn.scalar(select(log.c.id).where(log.c.entity == name).limit(1))
            if mentioned is None:
                what = "审计日志为空" if not entries else "审计日志中没有任何关于它的记录"
                problems.append(f"表 {name} 有 {rows} 行，但{what}：日志被清空或截短。")
                continue
            if name in ORM_TABLES and "id" in table.c:
                newest = conn.scalar(select(func.max(table.c.id)))
                logged = conn.scalar(
                    select(log.c.id)
                    .where(log.c.entity == name, log.c.entity_id == str(newest))
                    .where(log.c.action == "insert")
                    .limit(1)
                )
                if logged is None:
                    problems.append(
                        f"表 {name} 最新的一行（id {newest}）在审计日志中没有新增记录："
                        "日志末尾的条目可能被删除。"
                    )
    return problems
