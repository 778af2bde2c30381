"""检查对象名录库 queries: keyset pages, SQL sorting, filters, search, counts.

The registry may hold a million rows, so nothing here loads it whole. A page
is the next `limit` rows after the last row the caller already has, in the
order (sort column, id); the database walks an index to find them.

Search matches a substring of the name or of the 统一社会信用代码:
- SQLite with the `targets_fts` trigram table: FTS5 MATCH for ≥ 3 characters;
- shorter text, or no FTS table: LIKE, restricted by the other filters;
- PostgreSQL: ILIKE, which the pg_trgm GIN indexes answer.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    and_,
    column,
    func,
    inspect,
    literal_column,
    or_,
    select,
    table,
    tuple_,
)

from app.domain.registry import ACTIVE_REG_STATUSES
from app.domain.risk import UNCLASSIFIED
from app.models import Target
from app.models.db import Database

PAGE_SIZE = 200
# 登记状态 filter value that means "any drawable status" (存续/在业/开业).
ACTIVE_STATUSES = "可抽取"
FTS_TABLE = "targets_fts"
FTS_MIN_CHARS = 3


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One line of the registry table."""

    id: int
    uscc: str
    name: str
    legal_rep: str | None
    division_code: str
    entity_type: str | None
    industry_code: str | None
    industry_name: str | None
    reg_status: str
    risk_class: str | None
    founded_on: date | None
    last_inspected_on: date | None
    address: str | None
    phone: str | None


# Sortable columns: key (also the TargetRow attribute holding the key value) → column.
SORT_COLUMNS: dict[str, Any] = {
    "id": Target.id,
    "uscc": Target.uscc,
    "name": Target.name,
    "legal_rep": Target.legal_rep,
    "division_code": Target.division_code,
    "entity_type": Target.entity_type,
    "industry_code": Target.industry_code,
    "reg_status": Target.reg_status,
    "risk_class": Target.risk_class,
    "founded_on": Target.founded_on,
    "last_inspected_on": Target.last_inspected_on,
    "address": Target.address,
    "phone": Target.phone,
}

_ROW_COLUMNS = (
    Target.id,
    Target.uscc,
    Target.name,
    Target.legal_rep,
    Target.division_code,
    Target.entity_type,
    Target.industry_code,
    Target.industry_name,
    Target.reg_status,
    Target.risk_class,
    Target.founded_on,
    Target.last_inspected_on,
    Target.address,
    Target.phone,
)


@dataclass(frozen=True)
class TargetQuery:
    """What the table shows: filters, search text and sort order."""

    text: str = ""
    division_code: str | None = None
    risk_class: str | None = None  # 'A'…'D' or UNCLASSIFIED
    reg_status: str | None = None  # a status or ACTIVE_STATUSES
    entity_type: str | None = None
    industry_code: str | None = None
    sort_key: str = "id"
    descending: bool = False

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.text.strip()
            or self.division_code
            or self.risk_class
            or self.reg_status
            or self.entity_type
            or self.industry_code
        )


@dataclass(frozen=True)
class Facets:
    """Choices for the filter bar, from what the registry holds."""

    divisions: list[str]
    entity_types: list[str]
    industries: list[tuple[str, str]]  # (code, name)


_fts_cache: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def has_fts(db: Database) -> bool:
    """Whether the trigram table of migration 0002 exists (SQLite only)."""
    if db.engine.dialect.name != "sqlite":
        return False
    known = _fts_cache.get(db.engine)
    if known is None:
        known = inspect(db.engine).has_table(FTS_TABLE)
        _fts_cache[db.engine] = known
    return known


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _search_clause(db: Database, text: str) -> ColumnElement[bool]:
    text = text.strip()
    if db.engine.dialect.name == "postgresql":
        return or_(
            Target.name.icontains(text, autoescape=True),
            Target.uscc.icontains(text, autoescape=True),
        )
    if len(text) >= FTS_MIN_CHARS and has_fts(db):
        fts = table(FTS_TABLE, column("rowid"))
        matches = select(fts.c.rowid).where(
            literal_column(FTS_TABLE).op("MATCH")(_fts_phrase(text))
        )
        return Target.id.in_(matches)
    # SQLite LIKE is case-insensitive for ASCII, as a code search should be.
    return or_(
        Target.name.contains(text, autoescape=True),
        Target.uscc.contains(text, autoescape=True),
    )


def _filters(db: Database, q: TargetQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if q.division_code:
        where.append(Target.division_code == q.division_code)
    if q.risk_class == UNCLASSIFIED:
        where.append(Target.risk_class.is_(None))
    elif q.risk_class:
        where.append(Target.risk_class == q.risk_class)
    if q.reg_status == ACTIVE_STATUSES:
        where.append(Target.reg_status.in_(sorted(ACTIVE_REG_STATUSES)))
    elif q.reg_status:
        where.append(Target.reg_status == q.reg_status)
    if q.entity_type:
        where.append(Target.entity_type == q.entity_type)
    if q.industry_code:
        where.append(Target.industry_code == q.industry_code)
    if q.text.strip():
        where.append(_search_clause(db, q.text))
    return where


def _nulls_largest(db: Database) -> bool:
    # Each backend's natural NULL order, so that its indexes serve the ORDER BY:
    # PostgreSQL sorts NULL after every value, SQLite before.
    return db.engine.dialect.name == "postgresql"


def _after(db: Database, q: TargetQuery, last: TargetRow) -> ColumnElement[bool]:
    """Rows that come after `last` in the order (sort column, id)."""
    col = SORT_COLUMNS[q.sort_key]
    last_id = last.id
    if q.sort_key == "id":
        return Target.id < last_id if q.descending else Target.id > last_id
    value = getattr(last, q.sort_key)
    nullable = bool(col.nullable)
    # Where do NULLs sit in this walk: at its end or at its start?
    nulls_at_end = _nulls_largest(db) != q.descending
    id_after = Target.id < last_id if q.descending else Target.id > last_id
    if value is None:
        same_null = and_(col.is_(None), id_after)
        return same_null if nulls_at_end else or_(same_null, col.is_not(None))
    if q.descending:
        cond: ColumnElement[bool] = tuple_(col, Target.id) < tuple_(value, last_id)
    else:
        cond = tuple_(col, Target.id) > tuple_(value, last_id)
    if nullable and nulls_at_end:
        cond = or_(cond, col.is_(None))
    return cond


def _ordered(q: TargetQuery, stmt: Select[Any]) -> Select[Any]:
    col = SORT_COLUMNS[q.sort_key]
    if q.sort_key == "id":
        return stmt.order_by(Target.id.desc() if q.descending else Target.id.asc())
    if q.descending:
        return stmt.order_by(col.desc(), Target.id.desc())
    return stmt.order_by(col.asc(), Target.id.asc())


def fetch_targets(
    db: Database, q: TargetQuery, after: TargetRow | None = None, limit: int = PAGE_SIZE
) -> list[TargetRow]:
    """The next `limit` rows of the query after row `after` (None = from the start)."""
    if q.sort_key not in SORT_COLUMNS:
        raise ValueError(f"不能按“{q.sort_key}”排序")
    where = _filters(db, q)
    if after is not None:
        where.append(_after(db, q, after))
    stmt = _ordered(q, select(*_ROW_COLUMNS).where(*where)).limit(limit)
    with db.engine.connect() as conn:
        return [TargetRow(*r) for r in conn.execute(stmt)]


def count_targets(db: Database, q: TargetQuery) -> int:
    """How many rows the query has (0.1–0.2 s on a million: run it off the GUI thread)."""
    stmt = select(func.count()).select_from(Target).where(*_filters(db, q))
    with db.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def load_facets(db: Database) -> Facets:
    """Distinct divisions, entity types and industries, each read from its index."""
    with db.engine.connect() as conn:
        divisions = list(
            conn.execute(select(Target.division_code).distinct().order_by(Target.division_code))
            .scalars()
            .all()
        )
        types = [
            t
            for t in conn.execute(
                select(Target.entity_type).distinct().order_by(Target.entity_type)
            )
            .scalars()
            .all()
            if t
        ]
        codes: Sequence[str | None] = (
            conn.execute(select(Target.industry_code).distinct().order_by(Target.industry_code))
            .scalars()
            .all()
        )
        industries: list[tuple[str, str]] = []
        for code in codes:
            if not code:
                continue
            # One indexed look-up per code: far cheaper than grouping a million rows.
            name = conn.execute(
                select(Target.industry_name)
                .where(Target.industry_code == code, Target.industry_name.is_not(None))
                .limit(1)
            ).scalar()
            industries.append((code, name or ""))
    return Facets(divisions, types, industries)


def fetch_target_row(db: Database, target_id: int) -> TargetRow | None:
    """One row as the table shows it (to refresh a line after an edit)."""
    with db.engine.connect() as conn:
        r = conn.execute(select(*_ROW_COLUMNS).where(Target.id == target_id)).first()
    return TargetRow(*r) if r is not None else None
