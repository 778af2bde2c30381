"""What a stored result settles in the same transaction, and attempts that can never finish.

Helpers of app.services.draws.ceremony, inside its Sessions:
- `store_derived_rows` + `set_drawn`: the drawn-target rows (teams, the loads
  and recent visits later manifests read: app.services.draws.history) and the
  task's 已抽取 state, written with the result so that no crash can leave a
  result without them;
- `store_result`: the nonce, the result and the rows above, in the caller's
  transaction (the one that fixes the result);
- `interrupted` / `record_interruption`: an open attempt whose process is gone
  lost its nonce with it (app.services.draws.holder) and is recorded as 中断.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.ceremony import AttemptState as St
from app.domain.planning import PlanState, check_transition
from app.draw.documents import ResultDoc, result_doc
from app.draw.engine import run_draw
from app.draw.protocol import canonical
from app.draw.validate import Manifest
from app.models.db import Database
from app.models.draws import DrawAttempt, DrawResult, DrawTarget
from app.models.plans import SamplingTask
from app.services.draws import lookup as draw_lookup
from app.services.draws.attempts import (
    INTERRUPTED,
    Computed,
    DrawError,
    aborted_list,
    attempt_in,
    now_utc,
    workstation_name,
)
from app.services.draws.holder import NONCES, holder_alive
from app.services.plans import tasks as plan_tasks
from app.services.plans.queries import load_task
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
    if not St(attempt.state).is_open or NONCES.get(attempt.nonce_commitment) is not None:
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


def store_result(
    s: Session, attempt: DrawAttempt, checked: Manifest, nonce: bytes, software: str
) -> Computed:
    """The result, the nonce and every row derived from them, in the caller's transaction."""
    witnesses = [{"name": w.name, "digits": w.digits} for w in attempt.witnesses]
    result = result_doc(
        run_draw(checked, witnesses, nonce, software, aborted_list(s, attempt.task_id))
    )
    data = canonical(result)
    now = now_utc()
    if attempt.replaces_id is not None:
        old = s.get(DrawAttempt, attempt.replaces_id)
        if old is not None and old.state == St.COMPUTED.value:
            old.state = St.SUPERSEDED.value
            old.superseded_at = now
            s.flush()  # before this attempt takes the task's "computed" place
    result_hash = Computed.hash_of(data)
    attempt.result = DrawResult(
        result=data,
        result_hash=result_hash,
        seed=result["seed"],
        selected=len(result["targets"]),
        software=software,
        computed_at=now,
    )
    attempt.nonce = nonce
    attempt.state = St.COMPUTED.value
    s.flush()
    store_derived_rows(s, attempt, result)
    return Computed(result, data, result_hash)


def record_interruption(db: Database, task_code: str) -> int | None:
    """Record the task's open attempt as interrupted (中断) if its process is gone.

    One step of its own: returns the attempt's number, or None when there was
    nothing to record (no open attempt, or one still held by a live process).
    """
    with db.session() as s:
        task = load_task(s, task_code, DrawError)
        attempt = attempt_in(s, task.id, (St.COMMITTED, St.WITNESSING))
        if attempt is None or not interrupted(attempt):
            return None
        require_task(Permission.RUN_DRAWS, task)
        mark_interrupted(attempt)
        return attempt.attempt_no
