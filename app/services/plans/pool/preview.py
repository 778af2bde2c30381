"""抽查对象预览: what a task would draw from, computed live while a planner edits.

The counts are candidates per risk class in the task's scope and, for every
other task of the same period, the targets in both scopes. In SQL that is
`GROUP BY risk_class` over the scope's predicates, with one
`SUM(CASE WHEN <other scope> …)` column per other task — the intersection
of the two scopes' predicates (`_sql_counts`, `sql_scope_counts`).

Over a million targets a scan per edit is too slow once a few other tasks
are counted, so the counts come from an in-memory summary of the registry
(app.services.plans.pool.histogram): the same predicates, tags and founding
dates included, evaluated on a few thousand groups of targets. An edit
never reads the registry; the summary is loaded once per database (in the
background when the plans page opens) and again when targets are added.
Tests check both paths against each other and against a recount.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.planning import (
    STRATA,
    DistrictRule,
    PlanState,
    Problem,
    SamplingRule,
    Severity,
    check_capacity,
    check_team,
    expected_both,
    sample_size,
)
from app.domain.risk import UNCLASSIFIED
from app.models.db import Database
from app.models.plans import AnnualPlan, SamplingTask
from app.models.registry import InspectionItem
from app.services.plans import tasks as plan_tasks
from app.services.plans.pool import histogram as pool_histogram
from app.services.plans.pool.inspectors import InspectorPool, inspector_pool
from app.services.plans.pool.task_scope import (
    TARGETS,
    active_condition,
    overlap_condition,
    scope_condition,
)
from app.services.plans.values import ItemRef, Scope, TaskSpec


@dataclass(frozen=True)
class StratumCount:
    stratum: str
    candidates: int
    rule: SamplingRule | None
    expected: int  # DRAW-1 n for this stratum (0 without a rule)


@dataclass(frozen=True)
class DepartmentCount:
    code: str
    name: str
    minimum: int
    eligible: int
    excluded: dict[str, int]


@dataclass(frozen=True)
class Overlap:
    """Another task of the same period whose scope shares targets with this one."""

    task_code: str
    task_title: str
    plan_code: str
    departments: tuple[str, ...]
    shared: int  # targets in both pools
    expected_both: float  # of them, expected to be drawn by both tasks


@dataclass(frozen=True)
class PoolPreview:
    strata: tuple[StratumCount, ...]
    departments: tuple[DepartmentCount, ...]
    overlaps: tuple[Overlap, ...]
    problems: tuple[Problem, ...]
    seconds: float

    @property
    def candidates(self) -> int:
        return sum(s.candidates for s in self.strata if s.rule is not None)

    @property
    def expected(self) -> int:
        return sum(s.expected for s in self.strata)

    @property
    def blocks_filing(self) -> bool:
        return any(p.severity is Severity.BLOCKS_FILING for p in self.problems)

    @property
    def blocks_draw(self) -> bool:
        return any(p.severity is not Severity.WARNING for p in self.problems)

    def counts(self) -> dict[str, int]:
        return {s.stratum: s.candidates for s in self.strata}


def _stratum_of(risk_class: str | None) -> str:
    return risk_class or UNCLASSIFIED


def _probabilities(rules: tuple[SamplingRule, ...], counts: dict[str, int]) -> dict[str, float]:
    """Per stratum, the chance n/N that a candidate is drawn."""
    out: dict[str, float] = {}
    for rule in rules:
        population = counts.get(rule.stratum, 0)
        if population:
            out[rule.stratum] = sample_size(population, rule) / population
    return out


def _other_tasks(s: Session, spec: TaskSpec, exclude: str | None) -> list[SamplingTask]:
    stmt = (
        select(SamplingTask)
        .join(AnnualPlan, SamplingTask.plan_id == AnnualPlan.id)
        .where(
            SamplingTask.planned_start <= spec.planned_end,
            SamplingTask.planned_end >= spec.planned_start,
            SamplingTask.state != PlanState.DONE,
            SamplingTask.code.not_in([c for c in (spec.code, exclude) if c]),
        )
        .options(
            selectinload(SamplingTask.plan),
            selectinload(SamplingTask.rules),
            selectinload(SamplingTask.items),
            selectinload(SamplingTask.departments),
        )
        .order_by(SamplingTask.planned_start, SamplingTask.code)
    )
    return list(s.scalars(stmt))


def _grouped(sqlite: bool, scope: Scope, extra: Sequence[ColumnElement[Any]]) -> Select[Any]:
    return (
        select(TARGETS.c.risk_class, func.count(), *extra)
        .where(active_condition(sqlite), scope_condition(scope, sqlite))
        .group_by(TARGETS.c.risk_class)
    )


def _db_key(s: Session) -> str:
    bind = s.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return engine.url.render_as_string(hide_password=True)


def sql_scope_counts(s: Session, *scopes: Scope) -> dict[str, int]:
    """Active targets per stratum in all of `scopes`: the SQL intersection of their predicates."""
    where = [active_condition()]
    if len(scopes) == 1:
        where.append(scope_condition(scopes[0]))
    elif scopes:
        where.append(overlap_condition(scopes[0], scopes[1]))
        where += [scope_condition(x) for x in scopes[2:]]
    stmt = select(TARGETS.c.risk_class, func.count()).where(*where).group_by(TARGETS.c.risk_class)
    return {_stratum_of(rc): int(n) for rc, n in s.execute(stmt)}


def scope_counts(s: Session, scope: Scope) -> dict[str, int]:
    """Active targets of a scope per stratum (A…D, 未分类)."""
    if USE_HISTOGRAM:
        return pool_histogram.counts(s, _db_key(s), scope)
    return sql_scope_counts(s, scope)


def task_population(db: Database, spec: TaskSpec) -> dict[str, int]:
    """Candidates per stratum of a task's scope (filing checks fixed counts against caps)."""
    with db.session() as s:
        return scope_counts(s, spec.scope)


Others = list[tuple[SamplingTask, TaskSpec]]
# The summary path; False counts everything with SQL (the reference, for benchmarks).
USE_HISTOGRAM = True


def _sql_counts(
    s: Session, scope: Scope, others: Others
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """One grouped query: the strata of `scope` and a SUM(CASE …) column per other task."""
    sqlite = s.get_bind().dialect.name == "sqlite"
    columns = [func.sum(case((overlap_condition(scope, o.scope), 1), else_=0)) for _, o in others]
    shared: dict[str, dict[str, int]] = {t.code: {} for t, _ in others}
    counts: dict[str, int] = {}
    for row in s.execute(_grouped(sqlite and not scope.tags, scope, columns)):
        stratum = _stratum_of(row[0])
        counts[stratum] = int(row[1])
        for (t, _), value in zip(others, row[2:], strict=True):
            shared[t.code][stratum] = int(value or 0)
    return counts, shared


def _counts(
    s: Session, scope: Scope, others: Others
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """The task's strata and its overlap with each other task of the period."""
    if not USE_HISTOGRAM:
        return _sql_counts(s, scope, others)
    key, now = _db_key(s), pool_histogram.fingerprint(s)
    counts = pool_histogram.counts(s, key, scope, current=now)
    shared = {t.code: pool_histogram.counts(s, key, scope, o.scope, current=now) for t, o in others}
    return counts, shared


def warm_histograms(db: Database) -> int:
    """Load the registry summary the previews count from; return its number of groups.

    Called in the background when the plans page opens, so that the first
    preview in a task editor does not pay for reading the registry.
    """
    with db.session() as s:
        return len(pool_histogram.histogram_for(s, _db_key(s)).keys)


def preview_pool(
    db: Database,
    spec: TaskSpec,
    *,
    year: int,
    exclude_code: str | None = None,
    on: date | None = None,
) -> PoolPreview:
    """The pool of `spec` as edited (not yet saved); `exclude_code` is its stored code."""
    started = time.perf_counter()
    today = on or date.today()
    draw_day = max(today, spec.planned_start)
    with db.session() as s:
        others = [(t, plan_tasks.task_spec(t)) for t in _other_tasks(s, spec, exclude_code)]
        counts, shared = _counts(s, spec.scope, others)
        overlaps = _overlaps(s, spec, counts, others, shared)
        pool = inspector_pool(s, spec, draw_day)
        items = _items(s, spec)

    rules = {r.stratum: r for r in spec.rules}
    strata = tuple(
        StratumCount(
            st,
            counts.get(st, 0),
            rules.get(st),
            sample_size(counts.get(st, 0), rules[st]) if st in rules else 0,
        )
        for st in STRATA
    )
    eligible = pool.eligible_by_department()
    departments = tuple(
        DepartmentCount(
            code,
            pool.department_names.get(code, code),
            minimum,
            eligible.get(code, 0),
            dict(pool.excluded_by_department.get(code, {})),
        )
        for code, minimum in spec.departments.items()
    )
    problems = plan_tasks.task_problems(spec, items, year, counts)
    minimums = {d: n for d, n in spec.departments.items() if n > 0}
    team = check_team(spec.code, spec.team_size, minimums, eligible, pool.department_names)
    problems += [p for p in team if p.severity is Severity.BLOCKS_DRAW]
    selected = sum(x.expected for x in strata)
    problems += check_capacity(
        spec.code, selected, spec.team_size, len(pool.members), spec.max_load
    )
    problems += _district_warnings(spec, pool)
    problems += [_overlap_problem(spec, o) for o in overlaps if o.expected_both >= 1]
    return PoolPreview(
        strata=strata,
        departments=departments,
        overlaps=tuple(overlaps),
        problems=tuple(problems),
        seconds=time.perf_counter() - started,
    )


def _items(s: Session, spec: TaskSpec) -> dict[str, ItemRef]:
    rows = s.scalars(
        select(InspectionItem)
        .where(InspectionItem.code.in_(list(spec.item_codes)))
        .options(selectinload(InspectionItem.department))
    )
    return {i.code: plan_tasks.item_ref(i) for i in rows}


def _overlaps(
    s: Session,
    spec: TaskSpec,
    counts: dict[str, int],
    others: list[tuple[SamplingTask, TaskSpec]],
    shared: dict[str, dict[str, int]],
) -> list[Overlap]:
    mine = _probabilities(spec.rules, counts)
    out: list[Overlap] = []
    for task, other in others:
        both = shared.get(task.code, {})
        total = sum(both.values())
        if total == 0:
            continue
        needs_population = [
            r.stratum for r in other.rules if r.count is not None and both.get(r.stratum)
        ]
        theirs_counts = scope_counts(s, other.scope) if needs_population else {}
        theirs = {
            r.stratum: (r.ratio_bp / 10000 if r.ratio_bp is not None else 0.0) for r in other.rules
        }
        theirs.update(
            {
                k: v
                for k, v in _probabilities(other.rules, theirs_counts).items()
                if k in needs_population
            }
        )
        out.append(
            Overlap(
                task_code=task.code,
                task_title=task.title,
                plan_code=task.plan.code,
                departments=tuple(other.departments),
                shared=total,
                expected_both=expected_both(both, mine, theirs),
            )
        )
    return out


def _overlap_problem(spec: TaskSpec, o: Overlap) -> Problem:
    return Problem(
        Severity.WARNING,
        f"任务 {spec.code} 与计划 {o.plan_code} 的任务 {o.task_code}“{o.task_title}”"
        f"检查时间重叠、检查对象范围重叠 {o.shared:,} 户，预计约 {o.expected_both:,.0f} 户"
        "会被两项任务分别检查。建议合并为部门联合抽查（进一次门、查多项事），"
        "防止检查过多、多头检查。",
    )


def _district_warnings(spec: TaskSpec, pool: InspectorPool) -> list[Problem]:
    """With "same", every scoped district needs each department's minimum locally."""
    if spec.district_rule is not DistrictRule.SAME or not spec.scope.divisions:
        return []
    problems: list[Problem] = []
    for division in sorted(spec.scope.divisions):
        for dept, minimum in spec.departments.items():
            have = sum(1 for m in pool.members if m.department == dept and m.district == division)
            if have < max(minimum, 1 if len(spec.departments) == 1 else 0):
                name = pool.department_names.get(dept, dept)
                problems.append(
                    Problem(
                        Severity.WARNING,
                        f"任务 {spec.code}：区划 {division} 只有 {name} 符合条件的人员 {have} 人，"
                        f"按“本区划人员”规则每组需 {minimum} 人，抽取时可能缺员",
                    )
                )
    return problems
