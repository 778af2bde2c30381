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

import unicodedata
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Integer,
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
from app.services.registry.bulk_load import FTS_TABLE

PAGE_SIZE = 200
# 登记状态 filter value that means "any drawable status" (存续/在业/开业).
ACTIVE_STATUSES = "可抽取"
FTS_MIN_CHARS = 3
# A search text found in this many rows or more counts as common (see _search_plan).
COMMON_MATCHES = 2_000


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

# Columns without an index of their own: a sort on them reads the whole table.
_UNINDEXED_SORTS = frozenset({"legal_rep", "founded_on", "last_inspected_on", "address", "phone"})

# Typed loosely: a SELECT of all fourteen is handled as Select[Any] like the others.
_ROW_COLUMNS: tuple[Any, ...] = (
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


def clean_search_text(text: str) -> str:
    """Search text without control characters and lone surrogates.

    A NUL byte is refused by PostgreSQL and SQLite's FTS; a lone surrogate
    (pasted from a broken source) cannot be encoded for either. Neither can be
    part of a name or a code, so they are dropped rather than reported.
    """
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_search_text(self.text))

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


_FTS = table(FTS_TABLE, column("rowid", Integer))


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _uses_fts(db: Database, q: TargetQuery) -> bool:
    return len(q.text.strip()) >= FTS_MIN_CHARS and has_fts(db)


def _match(text: str) -> ColumnElement[bool]:
    return literal_column(FTS_TABLE).op("MATCH")(_fts_phrase(text.strip()))


def _is_common(db: Database, text: str) -> bool:
    """Does the text occur in at least 1 row in 500 (probed with a LIMIT, a few ms)?"""
    probe = select(_FTS.c.rowid).where(_match(text)).limit(COMMON_MATCHES).subquery()
    with db.engine.connect() as conn:
        found = conn.execute(select(func.count()).select_from(probe)).scalar_one()
    return int(found) >= COMMON_MATCHES


def _search_plan(db: Database, q: TargetQuery) -> bool:
    """True: drive the query from the trigram table; False: LIKE (if any text).

    A word that most names contain, sorted by an indexed column, is found
    faster by walking that index and testing each name with LIKE: the page
    fills after a few hundred rows, where the trigram join would first
    collect and sort every one of half a million matches.
    """
    if not _uses_fts(db, q):
        return False
    if q.sort_key == "id" or q.sort_key in _UNINDEXED_SORTS:
        return True
    return not _is_common(db, q.text)


def _like_clause(db: Database, text: str) -> ColumnElement[bool]:
    if db.engine.dialect.name == "postgresql":
        # ILIKE is what the pg_trgm GIN indexes of migration 0002 answer.
        return or_(
            Target.name.icontains(text, autoescape=True),
            Target.uscc.icontains(text, autoescape=True),
        )
    # SQLite LIKE is case-insensitive for ASCII, as a code search should be.
    return or_(
        Target.name.contains(text, autoescape=True),
        Target.uscc.contains(text, autoescape=True),
    )


def _filters(db: Database, q: TargetQuery, fts: bool) -> list[ColumnElement[bool]]:
    """Every condition but a trigram MATCH (fts=True), which `_select` puts in the join."""
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
    text = q.text.strip()
    if text and not fts:
        where.append(_like_clause(db, text))
    return where


def _select(db: Database, q: TargetQuery, fts: bool, *columns: Any) -> Select[Any]:
    """SELECT columns with the query's conditions.

    A trigram search drives the query from the FTS table, joined to targets:
    SQLite then walks the matches in rowid order and stops at the page's end
    instead of collecting every match first (10 ms instead of 240 ms for a
    word that half a million names contain).
    """
    where = _filters(db, q, fts)
    if fts:
        # "rowid + 0" keeps the join from being pushed into the FTS table, so
        # SQLite cannot loop over targets (say, by a division's index) and run
        # the MATCH once per row: that plan took a minute where this takes 0.3 s.
        joined = _FTS.join(Target, Target.id == _FTS.c.rowid + 0)
        return select(*columns).select_from(joined).where(_match(q.text), *where)
    return select(*columns).where(*where)


def _id_column(fts: bool) -> Any:
    # In a trigram search the FTS rowid is the id; ordering on it lets FTS5 stop early.
    return _FTS.c.rowid if fts else Target.id


def _nulls_largest(db: Database) -> bool:
    # Each backend's natural NULL order, so that its indexes serve the ORDER BY:
    # PostgreSQL sorts NULL after every value, SQLite before.
    return db.engine.dialect.name == "postgresql"


def _after(db: Database, q: TargetQuery, fts: bool, last: TargetRow) -> ColumnElement[bool]:
    """Rows that come after `last` in the order (sort column, id)."""
    last_id = last.id
    if q.sort_key == "id":
        id_col = _id_column(fts)
        beyond: ColumnElement[bool] = id_col < last_id if q.descending else id_col > last_id
        return beyond
    col = SORT_COLUMNS[q.sort_key]
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


def _ordered(q: TargetQuery, fts: bool, stmt: Select[Any]) -> Select[Any]:
    if q.sort_key == "id":
        id_col = _id_column(fts)
        return stmt.order_by(id_col.desc() if q.descending else id_col.asc())
    col = SORT_COLUMNS[q.sort_key]
    if q.descending:
        return stmt.order_by(col.desc(), Target.id.desc())
    return stmt.order_by(col.asc(), Target.id.asc())


def fetch_targets(
    db: Database, q: TargetQuery, after: TargetRow | None = None, limit: int = PAGE_SIZE
) -> list[TargetRow]:
    """The next `limit` rows of the query after row `after` (None = from the start)."""
    if q.sort_key not in SORT_COLUMNS:
        raise ValueError(f"不能按“{q.sort_key}”排序")
    fts = _search_plan(db, q)
    if q.sort_key in _UNINDEXED_SORTS:
        # No index to walk: sort only (key, id) pairs, then read the page's rows.
        ids = _select(db, q, fts, Target.id)
        if after is not None:
            ids = ids.where(_after(db, q, fts, after))
        ids = _ordered(q, fts, ids).limit(limit)
        stmt = _ordered(q, False, select(*_ROW_COLUMNS).where(Target.id.in_(ids)))
    else:
        stmt = _select(db, q, fts, *_ROW_COLUMNS)
        if after is not None:
            stmt = stmt.where(_after(db, q, fts, after))
        stmt = _ordered(q, fts, stmt).limit(limit)
    with db.engine.connect() as conn:
        return [TargetRow(*r) for r in conn.execute(stmt)]


def count_targets(db: Database, q: TargetQuery) -> int:
    """How many rows the query has (up to ~0.5 s on a million: run it off the GUI thread)."""
    fts = _uses_fts(db, q)
    if fts and not _filters(db, q, fts):
        stmt = select(func.count()).select_from(_FTS).where(_match(q.text))
    elif fts:
        stmt = _select(db, q, fts, func.count())
    else:
        stmt = select(func.count()).select_from(Target).where(*_filters(db, q, fts))
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
    return TargetRow(*tuple(r)) if r is not None else None
