"""What earlier draws say about a task's inspectors: their load, and whom they visited.

Both read the drawn targets of results of record (attempts in state
`computed`; superseded and aborted attempts do not count):
- `period_loads`: team places each inspector holds in other tasks whose
  planned period overlaps this task's and that are 已抽取 or 检查中 — the
  DRAW-1 `load` a deck starts from;
- `recent_pairs`: (inspector, target) pairs put together by a draw computed
  within the task's recent-inspection window — excluded so that nobody
  inspects the same enterprise again soon. Until inspection results are
  recorded, an assignment stands for the inspection it led to.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.ceremony import AttemptState
from app.domain.planning import PlanState
from app.models.draws import DrawAttempt, DrawResult, DrawTarget
from app.models.plans import SamplingTask


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when that one is shorter)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_loads(s: Session, task: SamplingTask, inspector_ids: list[int]) -> dict[int, int]:
    """Team places per inspector in other open tasks of the same period."""
    wanted = set(inspector_ids)
    if not wanted:
        return {}
    stmt = (
        select(DrawTarget.team)
        .join(DrawAttempt, DrawTarget.attempt_id == DrawAttempt.id)
        .join(SamplingTask, DrawAttempt.task_id == SamplingTask.id)
        .where(
            DrawAttempt.state == AttemptState.COMPUTED.value,
            SamplingTask.id != task.id,
            SamplingTask.state.in_([PlanState.DRAWN, PlanState.INSPECTING]),
            SamplingTask.planned_start <= task.planned_end,
            SamplingTask.planned_end >= task.planned_start,
        )
    )
    loads: Counter[int] = Counter()
    for (team,) in s.execute(stmt):
        loads.update(i for i in team or () if i in wanted)
    return dict(loads)


def recent_pairs(
    s: Session, task: SamplingTask, on: date, inspector_ids: list[int]
) -> set[tuple[int, int]]:
    """(inspector id, target id) pairs drawn together within the task's window before `on`."""
    wanted = set(inspector_ids)
    if not wanted or task.recent_window_months <= 0:
        return set()
    since = months_before(on, task.recent_window_months)
    since_at = datetime.combine(since, time.min).astimezone(UTC)
    stmt = (
        select(DrawTarget.target_id, DrawTarget.team)
        .join(DrawAttempt, DrawTarget.attempt_id == DrawAttempt.id)
        .join(DrawResult, DrawResult.attempt_id == DrawAttempt.id)
        .where(
            DrawAttempt.state == AttemptState.COMPUTED.value,
            DrawAttempt.task_id != task.id,
            DrawResult.computed_at >= since_at,
            DrawTarget.target_id.is_not(None),
        )
    )
    pairs: set[tuple[int, int]] = set()
    for target_id, team in s.execute(stmt):
        if target_id is not None:
            pairs.update((i, target_id) for i in team or () if i in wanted)
    return pairs
