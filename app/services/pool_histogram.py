"""Active targets counted by (risk class, division, entity type, industry): the preview's fast path.

A task's scope and the intersection of two scopes are predicates on these
four columns, plus tags and a founding date. One GROUP BY over those columns
(over the covering index `ix_targets_pool`, in the index's own column order,
so SQLite streams it without sorting) yields a few thousand groups; every
count a preview needs — the task's strata and its overlap with each other
task of the period — is then a sum over the groups whose keys satisfy the
same predicates. Tags and the founding date are not keys: they are applied
in SQL while a histogram is built (`Extra`), and each combination of them
gets its own histogram, cached like the plain one.

Histograms are kept for a few minutes per database and reloaded as soon as
a target is added (the highest id changes), so a planner's edits are
answered without scanning the registry again. A change to an existing
target's class or status shows up once the histogram is older than
`MAX_AGE_S` (or at once after `forget`, e.g. from an import); the manifest
of a draw never uses histograms, it reads the rows.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.registry import ACTIVE_REG_STATUSES
from app.domain.risk import UNCLASSIFIED
from app.services.plan_types import Scope
from app.services.task_scope import TARGETS, tag_condition, unindexed

MAX_AGE_S = 300.0
MAX_ENTRIES = 32
Key = tuple[str, str, str, str]  # stratum, division, entity type, industry code


def supports(scope: Scope) -> bool:
    """Scopes answered from the whole-registry histogram alone (no tags, no founding date)."""
    return not scope.tags and scope.registered_before is None


@dataclass(frozen=True)
class Extra:
    """The predicates a histogram cannot evaluate on its keys, applied while it is built.

    `tag_sets`: each a tuple of tags, the target carrying any of them; all sets
    must hold. `registered_before`: the founding date bound.
    """

    tag_sets: tuple[tuple[str, ...], ...] = ()
    registered_before: date | None = None

    @staticmethod
    def of(*scopes: Scope) -> Extra:
        tag_sets = tuple(sorted({tuple(sorted(s.tags)) for s in scopes if s.tags}))
        dates = [s.registered_before for s in scopes if s.registered_before is not None]
        return Extra(tag_sets, min(dates) if dates else None)

    def conditions(self) -> list[Any]:
        out = [tag_condition(tags) for tags in self.tag_sets]
        if self.registered_before is not None:
            out.append(TARGETS.c.founded_on < self.registered_before)
        return out


def simple(scope: Scope) -> Scope:
    """The scope's histogram-key part (divisions, entity types, industries)."""
    return Scope(scope.divisions, scope.entity_types, scope.industries)


def _matches(scope: Scope, division: str, entity_type: str, industry: str) -> bool:
    return (
        (not scope.divisions or division in scope.divisions)
        and (not scope.entity_types or entity_type in scope.entity_types)
        and (not scope.industries or industry.startswith(scope.industries))
    )


@dataclass(frozen=True)
class PoolHistogram:
    groups: dict[Key, int]
    fingerprint: int
    loaded_at: float

    def counts(self, *scopes: Scope) -> dict[str, int]:
        """Active targets per stratum in every one of `scopes` (all must be supported)."""
        out: dict[str, int] = defaultdict(int)
        for (stratum, division, etype, industry), n in self.groups.items():
            if all(_matches(s, division, etype, industry) for s in scopes):
                out[stratum] += n
        return dict(out)


def fingerprint(s: Session) -> int:
    """The highest target id: one index seek, changes with every new target.

    Targets are never deleted (deregistering is a status change), so new rows
    are what this catches; changed rows are picked up within MAX_AGE_S.
    """
    return int(s.scalar(select(func.max(TARGETS.c.id))) or 0)


def load_histogram(s: Session, extra: Extra = Extra()) -> PoolHistogram:
    t = TARGETS.c
    # Tags need the table anyway: read it in order rather than row by row
    # through the covering index (on SQLite, grouping by `col || ''` does that).
    scan = extra.tag_sets and s.get_bind().dialect.name == "sqlite"
    keys = [
        unindexed(c, bool(scan))
        for c in (t.risk_class, t.reg_status, t.division_code, t.entity_type, t.industry_code)
    ]
    stmt = select(*keys, func.count()).where(*extra.conditions()).group_by(*keys)
    groups: dict[Key, int] = defaultdict(int)
    for risk, status, division, etype, industry, n in s.execute(stmt):
        if status in ACTIVE_REG_STATUSES:
            groups[(risk or UNCLASSIFIED, division or "", etype or "", industry or "")] += n
    return PoolHistogram(dict(groups), fingerprint(s), time.monotonic())


_cache: OrderedDict[tuple[str, Extra], PoolHistogram] = OrderedDict()
_lock = threading.Lock()


def histogram_for(
    s: Session, db_key: str, extra: Extra = Extra(), current: int | None = None
) -> PoolHistogram:
    """The cached histogram of database `db_key` (its URL) under `extra`, reloaded when stale.

    `current` is the registry's fingerprint when the caller already read it.
    """
    if current is None:
        current = fingerprint(s)
    key = (db_key, extra)
    with _lock:
        cached = _cache.get(key)
        if (
            cached is not None
            and cached.fingerprint == current
            and time.monotonic() - cached.loaded_at < MAX_AGE_S
        ):
            _cache.move_to_end(key)
            return cached
    fresh = load_histogram(s, extra)
    with _lock:
        _cache[key] = fresh
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return fresh


def counts(s: Session, db_key: str, *scopes: Scope, current: int | None = None) -> dict[str, int]:
    """Active targets per stratum in all of `scopes`, from the matching histogram."""
    hist = histogram_for(s, db_key, Extra.of(*scopes), current)
    return hist.counts(*(simple(x) for x in scopes))


def forget(db_key: str | None = None) -> None:
    """Drop the cached histograms of one database (or all): the next preview rescans."""
    with _lock:
        for key in [k for k in _cache if db_key is None or k[0] == db_key]:
            del _cache[key]
