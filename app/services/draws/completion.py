"""What a stored result settles in the same transaction, and attempts that can never finish.

Helpers of app.services.draws.ceremony, inside its Sessions:
- `store_derived_rows` + `set_drawn`: the drawn-target rows (teams, the loads
  and recent visits later manifests read: app.services.draws.history) and the
  task's 已抽取 state, written with the result so that no crash can leave a
  result without them;
- `interrupted` / `mark_interrupted`: an open attempt whose process is gone
  lost its nonce with it (app.services.draws.holder) and is recorded as 中断.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.ceremony import AttemptState as St
from app.domain.planning import PlanState, check_transition
from app.draw.documents import ResultDoc
from app.models.draws import DrawAttempt, DrawTarget
from app.models.plans import SamplingTask
from app.services.draws import lookup as draw_lookup
from app.services.draws.attempts import INTERRUPTED, now_utc, workstation_name
from app.services.draws.holder import NONCES, holder_alive
from app.services.plans import tasks as plan_tasks
from app.services.plans.scope import require_task


def _targets_stored(s: Session, attempt_id: int) -> int:
    return int(
        s.scalar(
            select(func.count()).select_from(DrawTarget).where(DrawTarget.attempt_id == attempt_id)
        )
        or 0
    )


def store_derived_rows(s: Session, attempt: DrawAttempt, result: ResultDoc) -> int:
    """The per-target rows of a computed attempt, unless stored already (idempotent)."""
    if not result["targets"] or _targets_stored(s, attempt.id):
        return 0
    return draw_lookup.store_targets(s, attempt.id, result)


def set_drawn(s: Session, task: SamplingTask) -> None:
    """已公开 → 已抽取 with the result (a redraw finds the task drawn already)."""
    if task.state is not PlanState.PUBLISHED:
        return
    require_task(Permission.RUN_DRAWS, task)
    check_transition(f"任务“{task.code}”", task.state, PlanState.DRAWN)
    task.state = PlanState.DRAWN
    plan_tasks.sync_plan_state(task.plan)
    s.flush()


def needs_completion(s: Session, task: SamplingTask, attempt: DrawAttempt) -> bool:
    """A result stored by an older version without its derived rows or 已抽取."""
    if attempt.state != St.COMPUTED.value or attempt.result is None:
        return False
    if task.state is PlanState.PUBLISHED:
        return True
    return attempt.result.selected > 0 and not _targets_stored(s, attempt.id)


def interrupted(attempt: DrawAttempt) -> bool:
    """Open, and the process holding its nonce is known to be gone: it can never finish.

    Only this workstation can tell (a process elsewhere may still be running);
    an attempt without a holder was opened by a version that stored the nonce
    in the table, which the upgrade cleared.
    """
    if not St(attempt.state).is_open or NONCES.get(attempt.id) is not None:
        return False
    if attempt.holder is None:
        return True
    here = attempt.workstation in ("", workstation_name())
    return here and not holder_alive(attempt.holder)


def mark_interrupted(attempt: DrawAttempt) -> None:
    where = f"（工作站 {attempt.workstation}）" if attempt.workstation else ""
    attempt.state = St.ABORTED.value
    attempt.aborted_at = now_utc()
    attempt.abort_reason = (
        f"{INTERRUPTED}：操作程序在计算结果前退出{where}，随机数随之丢失，本次抽取无法完成"
    )
