"""信用风险分类反馈: suggest risk-class changes from results; a planner decides each one.

Rules (app.domain.stats.suggest_class): an enterprise whose latest fully
entered inspection found a problem is suggested one class up; one with
CLEAN_RUN_FOR_DOWNGRADE clean inspections in a row, one class down. Nothing
changes a target until a planner (Permission.MANAGE_PLANS, checked here)
accepts the suggestion; accepting or rejecting is an ORM write, audit-logged
with who and the note. A suggestion whose target's class changed since is
refused, not applied over the newer class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.domain.auth import Permission
from app.domain.errors import Cancelled
from app.domain.planning import STRATA
from app.domain.risk import UNCLASSIFIED
from app.domain.stats import suggest_class
from app.draw.select import sample_size
from app.draw.validate import Stratum
from app.models.db import Database
from app.models.inspections import Inspection, InspectionResult
from app.models.plans import SamplingTask
from app.models.registry import Target
from app.models.risk import RiskSuggestion
from app.services.access.auth import require
from app.services.inspections.common import InspectionError, now_utc
from app.services.plans.pool.task_scope import active_condition, scope_condition
from app.services.plans.tasks import task_spec

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
CHUNK = 5_000  # ids per IN (…): well within SQLite's and PostgreSQL's parameter limits
Progress = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
STATE_LABELS = {PENDING: "待处理", ACCEPTED: "已采纳", REJECTED: "未采纳"}


class SuggestionError(InspectionError):
    """A decision refused (message in Chinese)."""


@dataclass(frozen=True)
class SuggestionLine:
    id: int
    target_id: int
    uscc: str
    target_name: str
    current_class: str
    from_class: str
    to_class: str
    reason: str
    basis: tuple[int, ...]
    state: str
    decided_by: str
    decision_note: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


def generate(db: Database, until: date) -> int:
    """New pending suggestions from every inspection visited up to `until`; returns how many.

    An enterprise with a pending suggestion already gets no second one.
    """
    p = require(Permission.MANAGE_PLANS)
    per = (
        select(
            Inspection.target_id,
            Inspection.id,
            Inspection.inspected_on,
            func.count().label("n"),
            func.count(InspectionResult.category_code).label("entered"),
            func.sum(case((InspectionResult.is_problem.is_(True), 1), else_=0)).label("problems"),
        )
        .join(InspectionResult, InspectionResult.inspection_id == Inspection.id)
        .where(Inspection.inspected_on.is_not(None), Inspection.inspected_on <= until)
        .group_by(Inspection.target_id, Inspection.id, Inspection.inspected_on)
        .order_by(Inspection.target_id, Inspection.inspected_on, Inspection.id)
    )
    made = 0
    with db.session() as s:
        pending = set(
            s.scalars(select(RiskSuggestion.target_id).where(RiskSuggestion.state == PENDING))
        )
        history: dict[int, list[tuple[int, bool]]] = {}
        for target_id, iid, _day, n, entered, problems in s.execute(per):
            if n and n == entered:
                history.setdefault(target_id, []).append((iid, bool(problems)))
        visited = select(Inspection.target_id).where(Inspection.inspected_on.is_not(None))
        classes = dict(
            s.execute(select(Target.id, Target.risk_class).where(Target.id.in_(visited))).all()
        )
        for target_id, visits in history.items():
            if target_id in pending:
                continue
            current = classes.get(target_id)
            got = suggest_class(current, [flag for _i, flag in visits])
            if got is None:
                continue
            to_class, reason = got
            s.add(
                RiskSuggestion(
                    target_id=target_id,
                    from_class=current,
                    to_class=to_class,
                    reason=reason,
                    basis=[i for i, _f in visits],
                    state=PENDING,
                    created_by=p.username,
                    decision_note="",
                )
            )
            made += 1
    return made


def list_suggestions(db: Database, state: str | None = PENDING) -> list[SuggestionLine]:
    require(Permission.VIEW)
    stmt = (
        select(RiskSuggestion, Target.uscc, Target.name, Target.risk_class)
        .join(Target, Target.id == RiskSuggestion.target_id)
        .order_by(RiskSuggestion.id)
    )
    if state is not None:
        stmt = stmt.where(RiskSuggestion.state == state)
    with db.session() as s:
        return [
            SuggestionLine(
                r.id,
                r.target_id,
                uscc,
                name,
                current or UNCLASSIFIED,
                r.from_class or UNCLASSIFIED,
                r.to_class,
                r.reason,
                tuple(r.basis or ()),
                r.state,
                r.decided_by or "",
                r.decision_note,
            )
            for r, uscc, name, current in s.execute(stmt)
        ]


def decide(
    db: Database,
    ids: Sequence[int],
    accept: bool,
    note: str = "",
    *,
    progress: Progress | None = None,
    cancelled: CancelledFn | None = None,
) -> int:
    """Accept (the target's class changes) or reject (a note is required) pending suggestions.

    All or nothing: one stale or decided suggestion, or a cancel, refuses the
    whole batch (one transaction; nothing is written before the last row).
    """
    p = require(Permission.MANAGE_PLANS)
    note = note.strip()
    if not accept and not note:
        raise SuggestionError("不采纳风险分类建议须填写理由")
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    when = now_utc()
    with db.session() as s:
        rows: list[RiskSuggestion] = []
        for at in range(0, len(wanted), CHUNK):
            # The targets come with their suggestions: one query a chunk, not one a row.
            rows += s.scalars(
                select(RiskSuggestion)
                .where(RiskSuggestion.id.in_(wanted[at : at + CHUNK]))
                .options(selectinload(RiskSuggestion.target))
            )
        if len(rows) != len(wanted):
            raise SuggestionError("部分风险分类建议不存在，操作未执行")
        for done, r in enumerate(rows):
            if r.state != PENDING:
                raise SuggestionError(
                    f"建议 {r.id} 已{STATE_LABELS[r.state]}，不能重复处理；操作未执行"
                )
            if accept:
                target = r.target
                if target.risk_class != r.from_class:
                    raise SuggestionError(
                        f"“{target.name}”的风险分类已由 {r.from_class or UNCLASSIFIED} 改为 "
                        f"{target.risk_class or UNCLASSIFIED}，建议 {r.id} 已过时；操作未执行"
                    )
                target.risk_class = r.to_class
            r.state = ACCEPTED if accept else REJECTED
            r.decided_by = p.username
            r.decided_at = when
            r.decision_note = note
            if done % 500 == 0:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(done, len(rows))
    return len(rows)


@dataclass(frozen=True)
class ClassEffect:
    stratum: str
    rule: str
    pool_now: int
    pool_after: int
    sample_now: int
    sample_after: int


def sample_effect(db: Database, task_code: str) -> list[ClassEffect]:
    """Expected sample per class of `task_code`'s rules if every pending suggestion is accepted."""
    require(Permission.VIEW)
    with db.session() as s:
        task = s.scalars(select(SamplingTask).where(SamplingTask.code == task_code)).one_or_none()
        if task is None:
            raise SuggestionError(f"没有编号为“{task_code}”的抽查任务")
        sqlite = s.get_bind().dialect.name == "sqlite"
        where = [active_condition(sqlite), scope_condition(task_spec(task).scope, sqlite)]
        now = {
            (k or UNCLASSIFIED): n
            for k, n in s.execute(
                select(Target.risk_class, func.count()).where(*where).group_by(Target.risk_class)
            )
        }
        moves = s.execute(
            select(RiskSuggestion.from_class, RiskSuggestion.to_class)
            .join(Target, Target.id == RiskSuggestion.target_id)
            .where(RiskSuggestion.state == PENDING, *where)
        ).all()
        rules = {r.stratum: r for r in task.rules}
    after = dict(now)
    for src, dst in moves:
        key = src or UNCLASSIFIED
        after[key] = after.get(key, 0) - 1
        after[dst] = after.get(dst, 0) + 1
    out = []
    for stratum in STRATA:
        rule = rules.get(stratum)
        if rule is None:
            continue
        st = Stratum(stratum, rule.ratio_bp, rule.count)
        text = f"{rule.ratio_bp / 100:g}%" if rule.ratio_bp is not None else f"{rule.count} 户"
        before_n, after_n = now.get(stratum, 0), after.get(stratum, 0)
        out.append(
            ClassEffect(
                stratum,
                text,
                before_n,
                after_n,
                sample_size(before_n, st),
                sample_size(after_n, st),
            )
        )
    return out


def task_codes(db: Database) -> list[str]:
    """Tasks whose next draw the effect can be shown for (not drawn yet first, newest first)."""
    require(Permission.VIEW)
    with db.session() as s:
        rows = s.execute(
            select(SamplingTask.code, SamplingTask.state).order_by(
                SamplingTask.planned_start.desc()
            )
        ).all()
    fresh = [c for c, st in rows if getattr(st, "value", st) in ("draft", "filed", "published")]
    return fresh + [c for c, _st in rows if c not in fresh]
