"""A task's scope as SQL over the target registry: one place for preview and manifest.

Every condition is a plain predicate on `targets` columns, so two scopes
intersect by AND-ing their predicates in SQL (overlap counts) and nothing is
ever loaded into Python sets. `matches_key` and `carries_tag` are the same
tests in Python, for the preview's in-memory summary (pool_histogram).

Speed over a million targets (SQLite): counting goes through the covering
index `ix_targets_pool` (app.models.plans: risk class first, then every scope column except
tags), which answers a GROUP BY risk_class without touching the table. On
SQLite the single-column indexes are kept out of that query (`unindexed`):
without ANALYZE statistics the planner would otherwise pick, say, the
reg_status index and then fetch 800,000 rows one by one and sort them for
the GROUP BY — five times slower. Tags live in a JSON column that no index
covers, so a scope with tags is left to the planner.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, String, Table, and_, cast, false, or_, true
from sqlalchemy.sql.elements import ColumnClause

from app.domain.registry import ACTIVE_REG_STATUSES
from app.models.registry import Target
from app.services.plans.values import Scope

TARGETS: Table = Target.__table__  # type: ignore[assignment]
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def unindexed(col: ColumnClause[Any], sqlite: bool) -> ColumnElement[Any]:
    # `col || ''` has the same value but no index: SQLite's planner then scans
    # the covering index instead of seeking a single-column one.
    return col.concat("") if sqlite else col


def _prefix_range(col: ColumnElement[Any], prefix: str) -> ColumnElement[bool]:
    """col starts with prefix, as a range an index can answer (ASCII codes)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(col >= prefix, col < upper)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def tag_literals(tag: str) -> tuple[str, ...]:
    """The JSON string literals of `tag` a stored tag list may contain.

    Escaped or not, depending on who wrote the row ("\\u98df…" or "食…").
    The preview's in-memory summary tests tag texts with the same literals,
    so both paths agree on every row.
    """
    return tuple(sorted({json.dumps(tag), json.dumps(tag, ensure_ascii=False)}))


def tag_condition(tags: tuple[str, ...]) -> ColumnElement[bool]:
    """Any of `tags` in the JSON list column, on SQLite and PostgreSQL alike.

    The stored text is a JSON array; a tag is present when one of its JSON
    string literals (`tag_literals`) occurs in it.
    """
    text_col = cast(TARGETS.c.tags, String)
    likes = []
    for tag in tags:
        for literal in tag_literals(tag):
            likes.append(text_col.like(f"%{_like_escape(literal)}%", escape="\\"))
    return or_(*likes)


def carries_tag(text: str, tag: str, fold_ascii: bool) -> bool:
    """`tag_condition` on one stored tag text, in Python (the preview's summary).

    `fold_ascii`: SQLite's LIKE ignores the case of ASCII letters, so this
    does too there, to match exactly the rows SQL matches.
    """
    literals = tag_literals(tag)
    if fold_ascii:
        text = text.translate(_ASCII_LOWER)
        literals = tuple(x.translate(_ASCII_LOWER) for x in literals)
    return any(x in text for x in literals)


def matches_key(scope: Scope, division: str, entity_type: str, industry: str) -> bool:
    """`scope_condition` without tags and date, in Python, on a target's key columns."""
    return (
        (not scope.divisions or division in scope.divisions)
        and (not scope.entity_types or entity_type in scope.entity_types)
        and (not scope.industries or industry.startswith(scope.industries))
    )


def active_condition(sqlite: bool = False) -> ColumnElement[bool]:
    """登记状态 under which a target may be drawn (存续/在业/开业)."""
    return unindexed(TARGETS.c.reg_status, sqlite).in_(sorted(ACTIVE_REG_STATUSES))


def scope_condition(scope: Scope, sqlite: bool = False) -> ColumnElement[bool]:
    """The scope's fields AND-ed; each list field matches any of its values."""
    t = TARGETS.c
    parts: list[ColumnElement[bool]] = []
    if scope.divisions:
        parts.append(unindexed(t.division_code, sqlite).in_(sorted(scope.divisions)))
    if scope.entity_types:
        parts.append(unindexed(t.entity_type, sqlite).in_(sorted(scope.entity_types)))
    if scope.industries:
        col = unindexed(t.industry_code, sqlite)
        parts.append(or_(*(_prefix_range(col, p) for p in sorted(scope.industries))))
    if scope.tags:
        parts.append(tag_condition(scope.tags))
    if scope.registered_before is not None:
        parts.append(t.founded_on < scope.registered_before)
    return and_(true(), *parts)


def intersect(a: Scope, b: Scope) -> Scope | None:
    """The scope of targets in both, or None when it is certainly empty.

    List fields intersect (empty = all); tags cannot be merged that way (any
    of a's AND any of b's), so callers AND both predicates when tags are set.
    """

    def both(x: tuple[str, ...], y: tuple[str, ...]) -> tuple[str, ...] | None:
        if not x:
            return y
        if not y:
            return x
        common = tuple(sorted(set(x) & set(y)))
        return common or None

    divisions = both(a.divisions, b.divisions)
    entity_types = both(a.entity_types, b.entity_types)
    if divisions is None or entity_types is None:
        return None
    if a.industries and b.industries:
        # Prefixes overlap when one starts with the other.
        industries = tuple(
            sorted(
                {
                    max(p, q, key=len)
                    for p in a.industries
                    for q in b.industries
                    if p.startswith(q) or q.startswith(p)
                }
            )
        )
        if not industries:
            return None
    else:
        industries = a.industries or b.industries
    dates = [d for d in (a.registered_before, b.registered_before) if d is not None]
    return Scope(
        divisions=divisions,
        entity_types=entity_types,
        industries=industries,
        tags=(),
        registered_before=min(dates) if dates else None,
    )


def overlap_condition(a: Scope, b: Scope, sqlite: bool = False) -> ColumnElement[bool]:
    """Targets in both scopes (tags of each kept as their own predicate)."""
    merged = intersect(a, b)
    if merged is None:
        return false()
    parts = [scope_condition(merged, sqlite)]
    for tags in (a.tags, b.tags):
        if tags:
            parts.append(tag_condition(tags))
    return and_(*parts)
