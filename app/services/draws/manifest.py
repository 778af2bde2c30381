"""The DRAW-1 manifest a task would be drawn with right now, and why others are left out.

Candidates: active targets in the task's scope whose risk class has a
sampling rule, as `[统一社会信用代码 (upper case), stratum, 行政区划代码]`;
strata in the order A, B, C, D, 未分类 for the classes the task has rules
for (DRAW-1 allows any stratum name; "未分类" is used as is). The rows
are streamed with a Core select (a million targets never become ORM
objects) and sorted by app.draw's `assemble_manifest`, which also checks every
rule of protocol section 3.

Pool and exclusions: see app.services.plans.pool.inspectors. Loads (team places in
other open tasks of the same period) and recently paired inspector–target
couples come from earlier draws: app.services.draws.history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.planning import STRATA
from app.domain.risk import UNCLASSIFIED
from app.draw.documents import ManifestDoc, manifest_doc
from app.draw.protocol import canonical, sha256_hex
from app.draw.validate import Manifest, assemble_manifest
from app.models.db import Database
from app.models.registry import Recusal, Target
from app.services.draws.history import period_loads, recent_pairs
from app.services.plans import tasks as plan_tasks
from app.services.plans.pool.inspectors import (
    BADGE_EXPIRED,
    INACTIVE,
    NO_DISTRICT_REASON,
    UNQUALIFIED,
    inspector_pool,
)
from app.services.plans.pool.task_scope import TARGETS, active_condition, scope_condition, unindexed
from app.services.plans.queries import load_task
from app.services.plans.scope import require_task
from app.services.plans.values import TaskSpec

NOT_ACTIVE = "非存续状态"
OUT_OF_SCOPE = "不在范围"
NO_RULE = "未设抽查规则"
RECUSED = "回避"
RECENTLY_INSPECTED = "近期已检查"
# Every reason, in the order the report prints them (all present, zeros included).
REASONS: tuple[str, ...] = (
    NOT_ACTIVE,
    OUT_OF_SCOPE,
    NO_RULE,
    INACTIVE,
    BADGE_EXPIRED,
    UNQUALIFIED,
    NO_DISTRICT_REASON,
    RECUSED,
    RECENTLY_INSPECTED,
)
REASON_UNITS = dict.fromkeys(REASONS[:3], "户") | dict.fromkeys(REASONS[3:7], "人")
REASON_UNITS |= dict.fromkeys(REASONS[7:], "对")
STREAM_ROWS = 20_000


@dataclass
class ManifestReport:
    task_code: str
    draw_day: date
    candidates: dict[str, int] = field(default_factory=dict)  # per stratum
    pool: dict[str, int] = field(default_factory=dict)  # per department code
    excluded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    manifest_hash: str = ""
    # canonical(manifest): exactly the bytes of the manifest file.
    canonical_bytes: bytes = field(default=b"", repr=False)
    checked: Manifest | None = field(default=None, repr=False)

    def lines(self) -> list[str]:
        strata = "，".join(f"{k} {v:,}" for k, v in self.candidates.items()) or "无"
        pool = "，".join(f"{k} {v}" for k, v in self.pool.items()) or "无"
        out = [
            f"任务 {self.task_code}（抽取日 {self.draw_day:%Y-%m-%d}）",
            f"候选对象 {sum(self.candidates.values()):,} 户：{strata}",
            f"检查人员 {sum(self.pool.values())} 人：{pool}",
            "排除：",
        ]
        out += [f"  {r}：{n:,} {REASON_UNITS[r]}" for r, n in self.excluded.items()]
        return out


def _stratum_filter(strata: list[str], sqlite: bool = False) -> Any:
    classes = [s for s in strata if s != UNCLASSIFIED]
    parts = [unindexed(TARGETS.c.risk_class, sqlite).in_(classes)] if classes else []
    if UNCLASSIFIED in strata:
        parts.append(TARGETS.c.risk_class.is_(None))
    return or_(*parts) if parts else false()


def _count_targets(s: Session, spec: TaskSpec, strata: list[str], report: ManifestReport) -> None:
    sqlite = s.get_bind().dialect.name == "sqlite"
    total = int(s.scalar(select(func.count()).select_from(TARGETS)) or 0)
    is_active = case((active_condition(sqlite), 1), else_=0)
    in_scope = 0
    for risk_class, active, n in s.execute(
        select(TARGETS.c.risk_class, is_active, func.count())
        .where(scope_condition(spec.scope, sqlite))
        .group_by(TARGETS.c.risk_class, is_active)
    ):
        in_scope += n
        stratum = risk_class or UNCLASSIFIED
        if not active:
            report.excluded[NOT_ACTIVE] += n
        elif stratum not in strata:
            report.excluded[NO_RULE] += n
    report.excluded[OUT_OF_SCOPE] = total - in_scope


def build_task_manifest(
    db: Database, task_code: str, on: date | None = None
) -> tuple[ManifestDoc, ManifestReport]:
    """The manifest (protocol form, checked) and the report of what was left out."""
    on = on or date.today()
    report = ManifestReport(task_code, on)
    with db.session() as s:
        task = load_task(s, task_code)
        require_task(Permission.VIEW, task)
        spec = plan_tasks.task_spec(task)
        rules = {r.stratum: r for r in spec.rules}
        strata = [st for st in STRATA if st in rules]
        _count_targets(s, spec, strata, report)
        sqlite = s.get_bind().dialect.name == "sqlite"
        # On SQLite no index is worth it here: read the table in order (see task_scope).
        where = and_(
            active_condition(sqlite),
            scope_condition(spec.scope, sqlite),
            _stratum_filter(strata, sqlite),
        )
        candidates: list[tuple[str, str, str]] = []
        stmt = select(TARGETS.c.uscc, TARGETS.c.risk_class, TARGETS.c.division_code).where(where)
        for uscc, risk_class, division in s.execute(stmt.execution_options(yield_per=STREAM_ROWS)):
            candidates.append((uscc.upper(), risk_class or UNCLASSIFIED, division))
        # Ids are unique: sorting by id alone is the protocol's order, and cheap.
        candidates.sort(key=itemgetter(0))
        report.candidates = dict.fromkeys(strata, 0)
        for stratum, n in Counter(c[1] for c in candidates).items():
            report.candidates[stratum] = n

        pool = inspector_pool(s, spec, on)
        for reason, n in pool.excluded.items():
            report.excluded[reason] += n
        report.pool = pool.eligible_by_department()
        by_id = {m.inspector_id: m for m in pool.members}
        loads = period_loads(s, task, list(by_id))

        pairs: set[tuple[str, str]] = set()
        if by_id:
            ids = {c[0] for c in candidates}
            recusals = s.execute(
                select(Recusal.inspector_id, Target.uscc)
                .join(Target, Recusal.target_id == Target.id)
                .where(Recusal.inspector_id.in_(list(by_id)))
            )
            recused = {(by_id[i].draw_id, u.upper()) for i, u in recusals if u.upper() in ids}
            report.excluded[RECUSED] = len(recused)
            pairs |= recused
            recent: set[tuple[str, str]] = set()
            recent_ids = recent_pairs(s, task, on, list(by_id))
            if recent_ids:
                uscc_of = dict(
                    s.execute(
                        select(Target.id, Target.uscc).where(
                            Target.id.in_(sorted({t for _, t in recent_ids}))
                        )
                    ).all()
                )
                recent = {(by_id[i].draw_id, uscc_of[t].upper()) for i, t in recent_ids}
                recent = {p for p in recent if p[1] in ids}
            report.excluded[RECENTLY_INSPECTED] = len(recent - pairs)
            pairs |= recent

    manifest, report.checked = assemble_manifest(
        task={
            "code": spec.code,
            "title": spec.title,
            "items": sorted(spec.item_codes),
            "departments": sorted(spec.departments),
        },
        strata=[
            {"name": st, "ratio_bp": rules[st].ratio_bp}
            if rules[st].ratio_bp is not None
            else {"name": st, "count": rules[st].count}
            for st in strata
        ],
        candidates=candidates,
        pool=[
            {
                "id": m.draw_id,
                "department": m.department,
                "district": m.district,
                "load": loads.get(m.inspector_id, 0),
            }
            for m in pool.members
        ],
        team_size=spec.team_size,
        per_department_min={d: n for d, n in spec.departments.items() if n > 0},
        max_load=spec.max_load,
        district_rule=str(spec.district_rule),
        excluded_pairs=sorted(pairs),
        batches=spec.batches,
    )
    report.canonical_bytes = canonical(manifest)
    report.manifest_hash = sha256_hex(report.canonical_bytes)
    return manifest_doc(manifest), report
