"""The preview's in-memory summary against SQL and a recount of raw rows.

Registries here are irregular on purpose: tag lists written escaped and not,
in either order, "null" and "[ ]", tags that differ in ASCII case or are
prefixes of others, founding dates on and around year boundaries, missing
dates and (SQLite) date texts that are not YYYY-MM-DD. Every count must be
what the SQL predicates count, scope by scope and for pairs of scopes.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from planning_data import joint_plan, joint_task, seed_registry, single_task
from sqlalchemy import String, insert, select, text, type_coerce

from app.domain.planning import SamplingRule
from app.models.db import Database
from app.models.registry import Target
from app.services.plans import planning
from app.services.plans.pool import histogram as pool_histogram
from app.services.plans.pool import preview as pool_preview
from app.services.plans.pool.preview import preview_pool, sql_scope_counts
from app.services.plans.pool.task_scope import tag_literals
from app.services.plans.values import Scope

ON = date(2026, 1, 10)
DIVISIONS = ("371502", "371503", "371521")
ENTITY_TYPES = ("企业", "个体工商户", None)
INDUSTRIES = ("F5211", "F5223", "H6210", "C1391", None)
RISKS = ("A", "B", "C", "D", None)
STATUSES = ("存续", "在业", "开业", "注销", "吊销")
TAG_TEXTS = (
    "[]",
    "[ ]",
    "null",
    json.dumps(["食品经营"]),
    json.dumps(["食品经营"], ensure_ascii=False),
    json.dumps(["食品经营", "公共场所"], ensure_ascii=False),
    json.dumps(["公共场所", "食品经营"]),
    json.dumps(["特种设备使用单位", "食品经营"], separators=(",", ":")),
    json.dumps(["食品"]),
    json.dumps(["ABC"]),
    json.dumps(["abc", "公共场所"]),
    json.dumps(['quo"te']),
    json.dumps(["50%_off"]),
)
TAGS = ("食品经营", "公共场所", "特种设备使用单位", "食品", "ABC", "abc", 'quo"te', "50%_off", "无")
EDGES = (date(2014, 12, 31), date(2015, 1, 1), date(2015, 1, 2), date(2016, 2, 29))
BOUNDS = (*EDGES, date(2015, 12, 31), date(2016, 1, 1), date(2016, 3, 1), date(2013, 6, 1))
# Founding-date texts only SQLite can hold, compared with a bound as text (or as a number).
ODD_DATES = ("2015-01-02 08:00:00", "2015/06/01", "", "2015-1-5", "2015,06,01", "99", 20150102)


@dataclass(frozen=True)
class Raw:
    """A target as SQL sees it: status, key columns, founding date and tags as stored."""

    status: str
    risk: str | None
    division: str
    entity_type: str | None
    industry: str | None
    founded: Any  # date text (SQLite), date (PostgreSQL), a number or None
    tags: str


def _sqlite(db: Database) -> bool:
    return db.engine.dialect.name == "sqlite"


def _raw_rows(db: Database) -> list[Raw]:
    t = Target.__table__.c
    raw = type_coerce if _sqlite(db) else lambda c, _: c
    with db.session() as s:
        rows = s.execute(
            select(
                t.reg_status,
                t.risk_class,
                t.division_code,
                t.entity_type,
                t.industry_code,
                raw(t.founded_on, String),
                type_coerce(t.tags, String) if _sqlite(db) else t.tags.cast(String),
            )
        ).all()
    return [Raw(*r) for r in rows]


def _carries(text: str, tags: tuple[str, ...], sqlite: bool) -> bool:
    # SQLite's LIKE ignores the case of ASCII letters, the only cased ones here.
    fold = str.lower if sqlite else str
    return any(fold(lit) in fold(text) for tag in tags for lit in tag_literals(tag))


def _before(founded: Any, bound: date) -> bool:
    if founded is None:
        return False
    if isinstance(founded, int | float):  # SQLite: numbers sort before every text
        return True
    if isinstance(founded, date):
        return founded < bound
    return founded < bound.isoformat()


def _in(r: Raw, x: Scope, sqlite: bool) -> bool:
    return (
        (not x.divisions or r.division in x.divisions)
        and (not x.entity_types or r.entity_type in x.entity_types)
        and (not x.industries or (r.industry or "").startswith(x.industries))
        and (not x.tags or _carries(r.tags, x.tags, sqlite))
        and (x.registered_before is None or _before(r.founded, x.registered_before))
    )


def _recount(rows: list[Raw], sqlite: bool, *scopes: Scope) -> dict[str, int]:
    active = [r for r in rows if r.status in ("存续", "在业", "开业")]
    got = Counter(r.risk or "未分类" for r in active if all(_in(r, x, sqlite) for x in scopes))
    return dict(got)


def _random_registry(db: Database, seed: int, n: int = 600) -> None:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        roll = rng.random()
        founded = (
            None
            if roll < 0.08
            else rng.choice(EDGES)
            if roll < 0.4
            else date(2013, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        )
        rows.append(
            {
                "uscc": f"91371500R{seed:02d}{i:06d}X",
                "name": f"随机主体{seed}-{i}",
                "division_code": rng.choice(DIVISIONS),
                "entity_type": rng.choice(ENTITY_TYPES),
                "industry_code": rng.choice(INDUSTRIES),
                "reg_status": rng.choice(STATUSES),
                "risk_class": rng.choice(RISKS),
                "founded_on": founded,
                "tags": [],
                "version": 1,
            }
        )
    value = ":t" if _sqlite(db) else "CAST(:t AS JSON)"
    with db.session() as s:
        s.execute(insert(Target), rows)
        ids = s.scalars(select(Target.id).order_by(Target.id)).all()
        for target_id in ids:
            s.execute(
                text(f"UPDATE targets SET tags = {value} WHERE id = :id"),
                {"t": rng.choice(TAG_TEXTS), "id": target_id},
            )
        if _sqlite(db):
            for target_id, odd in zip(rng.sample(ids, len(ODD_DATES)), ODD_DATES, strict=True):
                s.execute(
                    text("UPDATE targets SET founded_on = :d WHERE id = :id"),
                    {"d": odd, "id": target_id},
                )


def _random_scopes(seed: int, n: int) -> list[Scope]:
    rng = random.Random(seed)

    def some(values: tuple[Any, ...], k: int) -> tuple[Any, ...]:
        return tuple(sorted(rng.sample([v for v in values if v], rng.randint(0, k))))

    return [
        Scope(
            divisions=some(DIVISIONS, 2),
            entity_types=some(ENTITY_TYPES, 1),
            industries=some(("F52", "F5211", "H", "C1"), 2),
            tags=some(TAGS, 2),
            registered_before=rng.choice((None, None, *BOUNDS)),
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_counts_what_sql_counts(db: Database, seed: int) -> None:
    _random_registry(db, seed)
    rows, sqlite = _raw_rows(db), _sqlite(db)
    scopes = _random_scopes(seed, 40)
    pairs = [(a, b) for a in scopes[:12] for b in scopes[:12]]
    with db.session() as s:
        for scope in scopes:
            expected = _recount(rows, sqlite, scope)
            assert sql_scope_counts(s, scope) == expected, scope
            assert pool_histogram.counts(s, db.url, scope) == expected, scope
        for a, b in pairs:
            expected = _recount(rows, sqlite, a, b)
            assert sql_scope_counts(s, a, b) == expected, (a, b)
            assert pool_histogram.counts(s, db.url, a, b) == expected, (a, b)


def test_preview_overlaps_with_tags_and_dates_match_the_sql_path(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_registry(db)
    _random_registry(db, 7, n=300)
    planning.create_plan(db, joint_plan())
    others = [
        Scope(tags=("食品经营",), registered_before=date(2015, 1, 1)),
        Scope(divisions=("371502",), tags=("公共场所", "ABC")),
        Scope(entity_types=("企业",), registered_before=date(2016, 2, 29)),
    ]
    for i, scope in enumerate(others, start=1):
        rules = (SamplingRule("A", ratio_bp=500), SamplingRule("D", count=2))
        task = single_task(code=f"LC-SCJGJ-2026-{i:03d}", scope=scope, rules=rules)
        planning.save_task(db, "LC-LH-2026", task)
    mine = [
        Scope(tags=("食品经营", "特种设备使用单位"), registered_before=date(2015, 1, 2)),
        Scope(industries=("F52",), tags=("abc",), registered_before=date(2014, 12, 31)),
        Scope(registered_before=date(2016, 1, 1)),
        Scope(),
    ]
    shared = 0
    for scope in mine:
        task = joint_task(scope=scope, rules=(SamplingRule("A", ratio_bp=10000),))
        fast = preview_pool(db, task, year=2026, on=ON)
        monkeypatch.setattr(pool_preview, "USE_HISTOGRAM", False)
        exact = preview_pool(db, task, year=2026, on=ON)
        monkeypatch.setattr(pool_preview, "USE_HISTOGRAM", True)
        assert fast.counts() == exact.counts()
        assert [(o.task_code, o.shared) for o in fast.overlaps] == [
            (o.task_code, o.shared) for o in exact.overlaps
        ]
        assert [o.expected_both for o in fast.overlaps] == pytest.approx(
            [o.expected_both for o in exact.overlaps]
        )
        shared += sum(o.shared for o in fast.overlaps)
    assert shared > 0


def test_separators_inside_stored_values_fall_back_to_exact_reads(db: Database) -> None:
    if not _sqlite(db):
        pytest.skip("PostgreSQL's json refuses raw control characters")
    _random_registry(db, 5, n=120)
    with db.session() as s:
        weird = '["食品经营\x1f公共场所", "ABC"]'  # raw, as a hand-written row may hold it
        s.execute(text("UPDATE targets SET tags = :t WHERE id % 7 = 0"), {"t": weird})
    rows, sqlite = _raw_rows(db), _sqlite(db)
    with db.session() as s:
        for scope in _random_scopes(5, 20):
            assert pool_histogram.counts(s, db.url, scope) == _recount(rows, sqlite, scope)


def test_status_change_shows_after_forget_or_age(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _random_registry(db, 9, n=200)
    scope = Scope(tags=("食品经营",), registered_before=date(2015, 1, 2))
    with db.session() as s:
        before = sum(pool_histogram.counts(s, db.url, scope).values())
        s.execute(text("UPDATE targets SET reg_status = '注销'"))
    with db.session() as s:
        # Same highest id: the cached summary still answers …
        assert sum(pool_histogram.counts(s, db.url, scope).values()) == before > 0
        monkeypatch.setattr(pool_histogram, "MAX_AGE_S", 0.0)
        assert pool_histogram.counts(s, db.url, scope) == {}  # … until it is too old
        monkeypatch.setattr(pool_histogram, "MAX_AGE_S", 300.0)
        s.execute(text("UPDATE targets SET reg_status = '存续'"))
    with db.session() as s:
        assert pool_histogram.counts(s, db.url, scope) == {}
        pool_histogram.forget(db.url)  # or forgotten, e.g. after an import
        assert sum(pool_histogram.counts(s, db.url, scope).values()) > before


def test_concurrent_first_previews_load_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    _random_registry(db, 11, n=200)
    pool_histogram.forget()
    loads = []
    real = pool_histogram.load_histogram
    monkeypatch.setattr(
        pool_histogram, "load_histogram", lambda *a, **k: loads.append(1) or real(*a, **k)
    )
    results: list[dict[str, int]] = []

    def count() -> None:
        with db.session() as s:
            results.append(pool_histogram.counts(s, db.url, Scope(tags=("食品经营",))))

    threads = [threading.Thread(target=count) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and len(results) == 4 and all(r == results[0] for r in results)


def test_empty_registry(db: Database) -> None:
    with db.session() as s:
        assert pool_histogram.counts(s, db.url, Scope(tags=("食品经营",))) == {}
        assert pool_histogram.counts(s, db.url, Scope(registered_before=date(2020, 1, 1))) == {}
