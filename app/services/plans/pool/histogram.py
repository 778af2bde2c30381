"""Active targets summarised in memory: the pool preview's exact fast path.

A scope is a predicate on a target's risk class, division, entity type,
industry, tags and founding date; an overlap of two tasks AND-s two. The
summary groups active targets by (stratum, division, entity type, industry)
— a few thousand keys over a million targets — and keeps every target's
founding date, sorted within its group, in one array of `group * SPAN +
YYYYMMDD`; a second array does the same per (group, tag text), the JSON in
`tags`, of which a registry has few distinct ones. A count sums the groups
whose key and tag text satisfy every scope: their sizes, or under a date
bound one binary search each. Any tag set and date answer without SQL and
exactly: tags are tested as SQL tests them (`task_scope.carries_tag`),
dates in SQL's order.

Loading on SQLite reads twice and never sorts (~0.7 s for a million targets):
the covering index `ix_targets_pool` streamed in its own column order,
GROUP_CONCAT-ing each group's ids and founding dates, then the table in
rowid order for the tag texts of tagged targets; numpy joins the two by id.
One GROUP BY over tags and dates would make SQLite sort a million rows
(~3 s), and fetching tags in index order visits the table at random (~2 s).

A summary is kept for a few minutes per database and reloaded as soon as a
target is added (the highest id changes), so a planner's edits never read
the registry. A change to an existing target's class, status, tags or date
shows up once the summary is older than `MAX_AGE_S` (or at once after
`forget`, e.g. from an import). The manifest of a draw never uses the
summary; it reads the rows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import ColumnElement, String, case, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from app.domain.registry import ACTIVE_REG_STATUSES
from app.domain.risk import UNCLASSIFIED
from app.services.plans.pool.task_scope import TARGETS, carries_tag, matches_key
from app.services.plans.values import Scope

_T = TypeVar("_T")

MAX_AGE_S = 300.0
MAX_ENTRIES = 4  # databases, one summary each
MAX_MEMO = 256  # scopes, tag sets and date bounds whose answers a summary remembers
SPAN = 100_000_000  # dates are YYYYMMDD below it; group * SPAN + date sorts by group, then date
NEVER = SPAN - 1  # the date of a target founded on no date (or on one that is not YYYY-MM-DD)
# Separates tag texts in one aggregated string: a control character never
# occurs raw in JSON text (a mismatch falls back to reading rows).
_SEP = "\x1f"
Key = tuple[str, str, str, str]  # stratum, division, entity type, industry code


def _yyyymmdd(day: date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


@dataclass(frozen=True, eq=False)
class Dated:
    """Founding dates of the targets of n groups: `keyed` = group * SPAN + date, sorted."""

    keyed: np.ndarray
    starts: np.ndarray  # n + 1 offsets into `keyed`

    @staticmethod
    def of(group: np.ndarray, dates: np.ndarray, n: int) -> Dated:
        keyed = np.sort(group * SPAN + dates, kind="stable")  # runs come presorted
        return Dated(keyed, np.searchsorted(keyed, np.arange(n + 1) * SPAN))

    def sizes(self) -> np.ndarray:
        return np.diff(self.starts)

    def before(self, day: int) -> np.ndarray:
        """Per group, the targets founded before `day` (YYYYMMDD)."""
        probes = np.arange(len(self.starts) - 1) * SPAN + day
        found: np.ndarray = np.searchsorted(self.keyed, probes) - self.starts[:-1]
        return found


@dataclass(frozen=True, eq=False)
class PoolHistogram:
    keys: tuple[Key, ...]
    strata: tuple[str, ...]
    stratum: np.ndarray  # per group, its index in `strata`
    dated: Dated  # per group, all its active targets
    pair_group: np.ndarray  # per (group, tag text) pair with targets: the group …
    pair_code: np.ndarray  # … and the text's index in `tag_texts`
    tagged: Dated  # per pair, its targets
    tag_texts: tuple[str, ...]  # index 0 is "[]": targets without tags are in no pair
    # Dates that are not YYYY-MM-DD text (only SQLite stores such): (group,
    # tag code, text), kept at NEVER in the arrays and compared here as SQL does.
    odd: tuple[tuple[int, int, str], ...]
    fold_ascii: bool
    fingerprint: int
    loaded_at: float
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def counts(self, *scopes: Scope) -> dict[str, int]:
        """Active targets per stratum in every one of `scopes` (zeros left out, like SQL)."""
        bounds = [x.registered_before for x in scopes if x.registered_before is not None]
        bound = min(bounds) if bounds else None
        mask = np.ones(len(self.keys), dtype=bool)
        for x in {Scope(x.divisions, x.entity_types, x.industries) for x in scopes} - {Scope()}:
            mask &= self._key_mask(x)
        tag_sets = [x.tags for x in scopes if x.tags]
        codes = frozenset.intersection(*map(self._codes, tag_sets)) if tag_sets else None
        group_of: slice | np.ndarray
        if codes is None:
            chosen, group_of, dated = mask, slice(None), self.dated
        else:
            allowed = np.zeros(len(self.tag_texts), dtype=bool)
            allowed[list(codes)] = True
            chosen = mask[self.pair_group] & allowed[self.pair_code]
            group_of, dated = self.pair_group, self.tagged
        n = dated.sizes() if bound is None else self._before(dated, bound)
        totals = np.bincount(
            self.stratum[group_of][chosen], weights=n[chosen], minlength=len(self.strata)
        )
        out = {s: int(v) for s, v in zip(self.strata, totals, strict=True)}
        if bound is not None:
            iso = bound.isoformat()
            for g, code, text in self.odd:
                if mask[g] and (codes is None or code in codes) and text < iso:
                    out[self.strata[self.stratum[g]]] += 1
        return {s: v for s, v in out.items() if v}

    def _remember(self, key: Any, make: Callable[[], _T]) -> _T:
        found: _T | None = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MAX_MEMO:
                self._memo.clear()
            found = self._memo[key] = make()
        return found

    def _key_mask(self, scope: Scope) -> np.ndarray:
        return self._remember(
            ("keys", scope),
            lambda: np.fromiter(
                (matches_key(scope, *k[1:]) for k in self.keys), bool, len(self.keys)
            ),
        )

    def _codes(self, tags: tuple[str, ...]) -> frozenset[int]:
        return self._remember(
            ("tags", tags),
            lambda: frozenset(
                code
                for code, text in enumerate(self.tag_texts)
                if code and any(carries_tag(text, tag, self.fold_ascii) for tag in tags)
            ),
        )

    def _before(self, dated: Dated, bound: date) -> np.ndarray:
        return self._remember(("before", id(dated), bound), lambda: dated.before(_yyyymmdd(bound)))


def fingerprint(s: Session) -> int:
    """The highest target id: one index seek, changes with every new target.

    Targets are never deleted (deregistering is a status change), so new rows
    are what this catches; changed rows are picked up within MAX_AGE_S.
    """
    return int(s.scalar(select(func.max(TARGETS.c.id))) or 0)


class _Misaligned(Exception):
    """Aggregated values that cannot be split back, or odd dates (`_read_targets`)."""


def _as_text(col: Any, sqlite: bool) -> Any:
    # SQLite aggregates ids, dates (ISO text there) and JSON text as they are,
    # no CAST per row; other databases aggregate strings only.
    return type_coerce(col, String) if sqlite else cast(col, String)


def _parse_dates(text: str, n: int, nulls: int) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """n comma-separated founding dates as YYYYMMDD (NEVER for none), and the odd ones.

    Odd: not YYYY-MM-DD, returned as (position, text) to be compared as text.
    Empty entries are the `nulls` NULLs (an empty text would be one more).
    Column by column over the bytes, in numpy: a million dates in ~30 ms.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64), []
    raw = np.frombuffer(text.encode() + b",", dtype=np.uint8)
    if len(raw) == 11 * n and (raw[10::11] == ord(",")).all():
        # Every date 10 characters long (no NULLs): a strided view, no copies.
        table = raw.reshape(n, 11)
        starts, lengths = np.arange(n) * 11, np.full(n, 10)
        ten = np.arange(n)

        def column(offset: int) -> np.ndarray:
            return table[:, offset]
    else:
        ends = np.flatnonzero(raw == ord(","))
        if len(ends) != n:
            raise _Misaligned
        starts = np.concatenate(([0], ends[:-1] + 1))
        lengths = ends - starts
        ten = np.flatnonzero(lengths == 10)

        def column(offset: int) -> np.ndarray:
            return raw[starts[ten] + offset]

    value = np.zeros(len(ten), dtype=np.int64)
    iso = (column(4) == ord("-")) & (column(7) == ord("-"))
    for offset in (0, 1, 2, 3, 5, 6, 8, 9):
        digit = column(offset).astype(np.int64) - ord("0")
        iso &= (digit >= 0) & (digit <= 9)
        value = value * 10 + digit
    dates = np.full(n, NEVER, dtype=np.int64)
    dates[ten[iso]] = value[iso]
    odd = lengths != 0
    if n - int(odd.sum()) != nulls:  # some text is "", which SQL does not take for NULL
        raise _Misaligned
    odd[ten[iso]] = False
    return dates, [
        (int(i), raw[starts[i] : starts[i] + lengths[i]].tobytes().decode())
        for i in np.flatnonzero(odd)
    ]


# Keys; per active target its key's index, id and founding date; odd dates.
Targets = tuple[list[Key], np.ndarray, np.ndarray, np.ndarray, list[tuple[int, str]]]


def _read_targets(s: Session, sqlite: bool, careful: bool = False) -> Targets:
    """Keys; per active target its key's index, id and date (`_parse_dates`); odd dates.

    SQLite may hold founding dates that are not YYYY-MM-DD text (written by
    hand). Then they are read again `careful`ly, each replaced by a text that
    orders against every ISO date as SQL orders the original, so a target is
    counted as SQL counts it: "" and numbers (before all text) become " ",
    blobs (after it) "~", and "," inside a text "+" (both sort before "-"
    and digits), since "," separates the aggregated dates.
    """
    t = TARGETS.c
    founded: ColumnElement[Any] = func.coalesce(_as_text(t.founded_on, sqlite), "")
    if careful:
        text = func.replace(_as_text(t.founded_on, sqlite), ",", "+")
        kind = func.typeof(t.founded_on)
        founded = case(
            (t.founded_on.is_(None), ""),
            (kind.in_(["integer", "real"]) | (text == ""), " "),
            (kind == "blob", "~"),
            else_=text,
        )
    cols = (t.risk_class, t.reg_status, t.division_code, t.entity_type, t.industry_code)
    # Grouped in the covering index's column order: SQLite streams the index
    # and never sorts. Both aggregates see the rows of a group in the same
    # order, so the n-th id and the n-th date are one target's. Inactive
    # statuses are dropped here rather than in SQL: a WHERE on every row
    # costs more than aggregating the few inactive groups.
    stmt = select(
        *cols,
        func.count(),
        func.count(t.founded_on),
        func.aggregate_strings(_as_text(t.id, sqlite), ","),
        func.aggregate_strings(founded, ","),
    ).group_by(*cols)
    index: dict[Key, int] = {}
    groups: list[int] = []
    sizes: list[int] = []
    ids: list[str] = []
    dates: list[str] = []
    nulls = 0
    for risk, status, division, etype, industry, n, n_dated, id_text, date_text in s.execute(stmt):
        if status not in ACTIVE_REG_STATUSES:
            continue
        nulls += n - n_dated
        key = (risk or UNCLASSIFIED, division or "", etype or "", industry or "")
        groups.append(index.setdefault(key, len(index)))
        sizes.append(n)
        ids.append(id_text)
        dates.append(date_text)
    group = np.repeat(np.array(groups, dtype=np.int64), sizes)
    target_ids = _int_array(",".join(ids), len(group))
    days, odd = _parse_dates(",".join(dates), len(group), nulls)
    if odd and sqlite and not careful:
        raise _Misaligned
    return list(index), group, target_ids, days, odd


def _int_array(text: str, n: int) -> np.ndarray:
    """n comma-separated integers, parsed in C (a million in ~30 ms)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    out = np.fromstring(text, dtype=np.int64, sep=",")
    if len(out) != n:
        raise _Misaligned
    return out


def _read_tags(s: Session, sqlite: bool) -> tuple[np.ndarray, list[str]]:
    """Ids and tag texts of the targets whose tag text is not "[]"."""
    text = _as_text(TARGETS.c.tags, sqlite)
    where = text != "[]"
    id_text, texts = s.execute(
        select(
            func.aggregate_strings(_as_text(TARGETS.c.id, sqlite), ","),
            func.aggregate_strings(text, _SEP),
        ).where(where)
    ).one()
    if id_text is None:
        return np.zeros(0, dtype=np.int64), []
    text_list = texts.split(_SEP)
    try:
        return _int_array(id_text, len(text_list)), text_list
    except _Misaligned:  # a separator inside a text: read rows instead
        rows = s.execute(select(TARGETS.c.id, text).where(where)).all()
        return np.array([r[0] for r in rows], dtype=np.int64), [r[1] for r in rows]


def load_histogram(s: Session, current: int | None = None) -> PoolHistogram:
    sqlite = s.get_bind().dialect.name == "sqlite"
    top = fingerprint(s) if current is None else current
    try:
        keys, group, ids, dates, odd_dates = _read_targets(s, sqlite)
    except _Misaligned:
        keys, group, ids, dates, odd_dates = _read_targets(s, sqlite, careful=sqlite)
    tag_ids, tag_texts = _read_tags(s, sqlite)

    code_of_text = {"[]": 0}
    for text in dict.fromkeys(tag_texts):
        code_of_text.setdefault(text, len(code_of_text))
    # Ids are read at two moments: size the table for the highest of both.
    size = max(top, int(ids.max(initial=0)), int(tag_ids.max(initial=0))) + 1
    code_of_id = np.zeros(size, dtype=np.int64)
    code_of_id[tag_ids] = np.fromiter(map(code_of_text.__getitem__, tag_texts), int, len(tag_ids))
    codes = code_of_id[ids]

    n_codes = len(code_of_text)
    has_tags = codes != 0
    pair = group[has_tags] * n_codes + codes[has_tags]
    pairs = np.unique(pair)
    pair_index = np.searchsorted(pairs, pair)
    strata = tuple(sorted({k[0] for k in keys}))
    return PoolHistogram(
        keys=tuple(keys),
        strata=strata,
        stratum=np.array([strata.index(k[0]) for k in keys], dtype=np.int64),
        dated=Dated.of(group, dates, len(keys)),
        pair_group=pairs // n_codes,
        pair_code=pairs % n_codes,
        tagged=Dated.of(pair_index, dates[has_tags], len(pairs)),
        tag_texts=tuple(code_of_text),
        odd=tuple((int(group[i]), int(codes[i]), text) for i, text in odd_dates),
        fold_ascii=sqlite,
        fingerprint=top,
        loaded_at=time.monotonic(),
    )


class HistogramCache:
    """The registry summaries of the databases this process opened, by database URL.

    Lives as long as the process (one instance below); an entry is reloaded when
    the registry's fingerprint changed or it is older than MAX_AGE_S, at most
    MAX_ENTRIES databases are kept, and `forget` drops one or all.
    """

    def __init__(self) -> None:
        self._entries: dict[str, PoolHistogram] = {}
        self._lock = threading.Lock()
        # One load at a time: a preview asking while the plans page's warm-up loads
        # waits for that summary instead of reading the registry a second time.
        self._loading = threading.Lock()

    def _fresh(self, db_key: str, current: int) -> PoolHistogram | None:
        with self._lock:
            hist = self._entries.get(db_key)
        if hist and hist.fingerprint == current and time.monotonic() - hist.loaded_at < MAX_AGE_S:
            return hist
        return None

    def get(self, s: Session, db_key: str, current: int | None = None) -> PoolHistogram:
        if current is None:
            current = fingerprint(s)
        hist = self._fresh(db_key, current)
        if hist is not None:
            return hist
        with self._loading:
            hist = self._fresh(db_key, current)
            if hist is None:
                hist = load_histogram(s, current)
                with self._lock:
                    self._entries.pop(db_key, None)
                    self._entries[db_key] = hist
                    while len(self._entries) > MAX_ENTRIES:
                        del self._entries[next(iter(self._entries))]
        return hist

    def forget(self, db_key: str | None = None) -> None:
        with self._lock:
            if db_key is None:
                self._entries.clear()
            else:
                self._entries.pop(db_key, None)


summaries = HistogramCache()


def histogram_for(s: Session, db_key: str, current: int | None = None) -> PoolHistogram:
    """The summary of database `db_key` (its URL), loaded again when stale.

    `current` is the registry's fingerprint when the caller already read it.
    """
    return summaries.get(s, db_key, current)


def counts(s: Session, db_key: str, *scopes: Scope, current: int | None = None) -> dict[str, int]:
    """Active targets per stratum in all of `scopes`, from the database's summary."""
    return histogram_for(s, db_key, current).counts(*scopes)


def forget(db_key: str | None = None) -> None:
    """Drop the cached summary of one database (or all): the next preview reads the registry."""
    summaries.forget(db_key)
