"""Draw attempts as plain values, and the rules for starting one.

Helpers of app.services.draws.ceremony, inside its Sessions.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.ceremony import AttemptState as St
from app.domain.ceremony import DrawNames
from app.domain.errors import UserError
from app.domain.planning import PlanState
from app.draw.documents import AbortedAttempt, ResultDoc
from app.draw.protocol import sha256_hex
from app.models.draws import DrawAttempt
from app.models.plans import SamplingTask
from app.services.plans.scope import task_visible_clause

NAME_MAX = 64
UNIT_MAX = 128


class DrawError(UserError, ValueError):
    """A step the ceremony refuses; str() says what and why, in Chinese."""


class DrawBusy(DrawError):
    """Another attempt of the task is open: someone else holds the draw."""


@dataclass(frozen=True)
class WitnessRow:
    position: int
    name: str
    unit: str
    digits: str


@dataclass(frozen=True)
class AttemptInfo:
    """One attempt as stored (the nonce only once the seed is computed)."""

    attempt_id: int
    task_code: str
    attempt_no: int
    state: St
    manifest_hash: str
    nonce_commitment: str
    operator: str
    workstation: str
    started_at: datetime
    witnesses: tuple[WitnessRow, ...]
    redraw_reason: str | None
    supervisor: str | None
    nonce_hex: str | None = None
    seed: str | None = None
    result_hash: str | None = None
    computed_at: datetime | None = None


@dataclass(frozen=True)
class Computed:
    """A computed draw's result document, exactly as stored."""

    result: ResultDoc
    result_bytes: bytes
    result_hash: str

    @staticmethod
    def hash_of(data: bytes) -> str:
        return sha256_hex(data)


@dataclass(frozen=True)
class Outcome(Computed):
    """The stored result with the names behind its ids."""

    names: DrawNames


def now_utc() -> datetime:
    return datetime.now(UTC)


def aware(at: datetime) -> datetime:
    """SQLite hands stored times back without their zone; they were stored in UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def local_text(at: datetime | None) -> str:
    """'2026-04-01 09:41:03' in the computer's time zone (for people and the record)."""
    return "" if at is None else f"{aware(at).astimezone():%Y-%m-%d %H:%M:%S}"


def workstation_name() -> str:
    try:
        return socket.gethostname()[:UNIT_MAX]
    except OSError:
        return ""


def attempt_in(s: Session, task_id: int, states: tuple[St, ...]) -> DrawAttempt | None:
    return s.scalars(
        select(DrawAttempt)
        .where(DrawAttempt.task_id == task_id, DrawAttempt.state.in_([x.value for x in states]))
        .order_by(DrawAttempt.attempt_no.desc())
    ).first()


def busy_message(a: DrawAttempt, code: str) -> str:
    where = f"（工作站 {a.workstation}）" if a.workstation else ""
    return (
        f"任务“{code}”的第 {a.attempt_no} 次抽取已由 {a.operator or '另一位操作人员'}{where}"
        f"于 {local_text(a.started_at)[:16]} 开始（{St(a.state).label}）。"
        "请在该工作站继续，或由其说明原因后作废，再重新开始。"
    )


def attempt_info(a: DrawAttempt, code: str) -> AttemptInfo:
    r = a.result
    computed = r is not None
    return AttemptInfo(
        attempt_id=a.id,
        task_code=code,
        attempt_no=a.attempt_no,
        state=St(a.state),
        manifest_hash=a.manifest_hash,
        nonce_commitment=a.nonce_commitment,
        operator=a.operator,
        workstation=a.workstation,
        started_at=aware(a.started_at),
        witnesses=tuple(WitnessRow(w.position, w.name, w.unit, w.digits) for w in a.witnesses),
        redraw_reason=a.redraw_reason,
        supervisor=a.supervisor,
        nonce_hex=a.nonce.hex() if computed and a.nonce is not None else None,
        seed=r.seed if r else None,
        result_hash=r.result_hash if r else None,
        computed_at=aware(r.computed_at) if r else None,
    )


def latest_attempt(s: Session, task_id: int) -> DrawAttempt | None:
    return s.scalars(
        select(DrawAttempt)
        .where(DrawAttempt.task_id == task_id)
        .order_by(DrawAttempt.attempt_no.desc())
    ).first()


def aborted_list(s: Session, task_id: int) -> list[AbortedAttempt]:
    """Section 10 `aborted_attempts`: every abandoned attempt of the task, oldest first."""
    rows = s.scalars(
        select(DrawAttempt)
        .where(DrawAttempt.task_id == task_id, DrawAttempt.state == St.ABORTED.value)
        .order_by(DrawAttempt.attempt_no)
    )
    return [
        AbortedAttempt(
            nonce_commitment=a.nonce_commitment,
            at=aware(a.aborted_at or a.started_at).astimezone().isoformat(timespec="seconds"),
            reason=a.abort_reason or "",
        )
        for a in rows
    ]


def check_can_start(
    task: SamplingTask,
    computed: DrawAttempt | None,
    latest: DrawAttempt | None,
    redraw_reason: str | None,
    supervisor: str | None,
) -> int | None:
    """None for a first draw; the attempt replaced for a confirmed second draw.

    After an interrupted attempt (中断: its process died between the commitment
    and the result) the next one is a redraw too — reason and supervisor — as
    nobody can tell whether someone stopped it on purpose.
    """
    confirmed = bool((redraw_reason or "").strip()) and bool((supervisor or "").strip())
    if computed is None:
        if task.state is not PlanState.PUBLISHED:
            raise DrawError(
                f"任务“{task.code}”状态为“{task.state.label}”：抽查计划公开后才能随机抽取"
            )
        if latest is not None and is_interrupted_record(latest) and not confirmed:
            raise DrawError(
                f"任务“{task.code}”的第 {latest.attempt_no} 次抽取在计算结果前中断，已记录在案。"
                "再次抽取须说明原因并经监督人员确认。"
            )
        return None
    if not confirmed:
        raise DrawError(
            f"任务“{task.code}”已于 {local_text(computed.started_at)[:16]} 完成第 "
            f"{computed.attempt_no} 次抽取。重新抽取须说明原因并经监督人员确认，原结果将保留在案。"
        )
    if task.state is not PlanState.DRAWN:
        raise DrawError(f"任务“{task.code}”已进入“{task.state.label}”，不能再重新抽取")
    return computed.id


INTERRUPTED = "中断"


def is_interrupted_record(a: DrawAttempt) -> bool:
    """An attempt recorded as interrupted (see completion.mark_interrupted)."""
    return a.state == St.ABORTED.value and (a.abort_reason or "").startswith(INTERRUPTED + "：")


@dataclass(frozen=True)
class TaskChoice:
    """A task as the console lists it."""

    code: str
    title: str
    plan_title: str
    state_label: str
    drawable: bool
    note: str


def task_choices(s: Session) -> list[TaskChoice]:
    """Tasks of filed plans the user sees, newest first: which may be drawn, how each stands."""
    tasks = s.scalars(
        select(SamplingTask)
        .where(
            SamplingTask.state.in_(
                [PlanState.FILED, PlanState.PUBLISHED, PlanState.DRAWN, PlanState.INSPECTING]
            ),
            task_visible_clause(),
        )
        .order_by(SamplingTask.planned_start.desc(), SamplingTask.code)
    ).all()
    out = []
    for t in tasks:
        latest = latest_attempt(s, t.id)
        drawable = t.state in (PlanState.PUBLISHED, PlanState.DRAWN)
        if latest is not None:
            label = INTERRUPTED if is_interrupted_record(latest) else St(latest.state).label
            note = f"第 {latest.attempt_no} 次抽取：{label}"
            if St(latest.state).is_open:
                note += f"（{latest.operator}，{local_text(latest.started_at)[:16]}）"
        elif t.state is PlanState.FILED:
            note = "计划已备案、尚未公开：公开后才能抽取"
        else:
            note = "尚未抽取"
        out.append(TaskChoice(t.code, t.title, t.plan.title, t.state.label, drawable, note))
    return out
