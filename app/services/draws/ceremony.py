"""The draw ceremony of one task as a state machine, shared by the console and the CLI.

    ceremony = DrawCeremony.open(db, "LC-SCJGJ-2026-003", operator="张三")
    ceremony.add_witness("李四", "县人大代表", "038194")   # each one stored at once
    outcome = ceremony.compute()                          # seed + result, one transaction
    DrawCeremony.resume(db, code)                         # look at the stored step (read only)

Order is the protocol's (DRAW-1 sections 4–6, and docs/draw-protocol.md "谁在何时
知道什么"): the manifest, its hash and the nonce commitment are stored before
any witness speaks; the nonce itself stays in this process's memory
(app.services.draws.holder); each witness's digits are stored as they are
confirmed; the nonce, the seed, the result, every row derived from it (drawn
targets, teams, the loads and recent visits later manifests read) and the
task's 已抽取 state are stored in ONE transaction before anything is revealed.
Nothing is ever recomputed with new randomness: a computed attempt is read
back, byte for byte. An attempt whose process died before that transaction
can never be completed (its nonce is gone): `record_interruption` records it
as interrupted (中断), and the next attempt needs a reason and a supervisor.

Each public method is one step and one unit of work (one Session); reads
(`resume`, `info`, `outcome`, …) never write. Starting a draw and every step
of it need 组织随机抽取 in one of the task's departments (or its plan's lead
department); looking at one needs only to see the task (app.services.plans.scope).
"""

from __future__ import annotations

import gc
import json
import secrets
from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import __version__
from app.domain.auth import Permission
from app.domain.ceremony import AttemptState as St
from app.domain.ceremony import DrawNames, TaskDescription
from app.draw.documents import ManifestHead, ResultDoc, manifest_head, result_doc
from app.draw.protocol import DrawInputError, check_witness_digits, gc_paused
from app.draw.protocol import nonce_commitment as commitment_of
from app.draw.validate import Manifest
from app.models.db import Database
from app.models.draws import DrawAttempt, Witness
from app.services.draws import lookup as draw_lookup
from app.services.draws.attempts import (
    NAME_MAX,
    UNIT_MAX,
    AttemptInfo,
    Computed,
    DrawBusy,
    DrawError,
    Outcome,
    TaskChoice,
    WitnessRow,
    attempt_in,
    attempt_info,
    busy_message,
    check_can_start,
    latest_attempt,
    now_utc,
    task_choices,
    workstation_name,
)
from app.services.draws.completion import (
    interrupted,
    needs_completion,
    record_interruption,
    set_drawn,
    store_derived_rows,
    store_result,
)
from app.services.draws.holder import NONCES, kill_point, this_holder
from app.services.draws.manifest import build_task_manifest
from app.services.draws.operator import audited_as, operator_for
from app.services.draws.reading import load_checked, read_outcome
from app.services.plans.queries import load_task
from app.services.plans.scope import require_task
from app.services.plans.values import PlanError

SOFTWARE = f"dualrandom {__version__}"


class DrawCeremony:
    """One attempt of one task; every step is stored before it returns."""

    def __init__(
        self,
        db: Database,
        task_code: str,
        info: AttemptInfo,
        task: TaskDescription,
        *,
        checked: Manifest | None = None,
        head: ManifestHead | None = None,
        interrupted: bool = False,
        needs_completion: bool = False,
    ) -> None:
        self.db = db
        self.task_code = task_code
        self._info = info
        self._task = task
        self._checked = checked
        self._head = head
        self._names: DrawNames | None = None
        self._decoys: tuple[str, ...] = ()
        #: Open, but its process (and nonce) is gone: it can only be recorded as interrupted.
        self.interrupted = interrupted
        #: Computed by an older version that stored the derived rows separately: see complete().
        self.needs_completion = needs_completion

    @property
    def attempt_id(self) -> int:
        return self._info.attempt_id

    # --- starting ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        db: Database,
        task_code: str,
        operator: str = "",
        *,
        workstation: str | None = None,
        redraw_reason: str | None = None,
        supervisor: str | None = None,
        on: date | None = None,
    ) -> DrawCeremony:
        """Build the manifest, draw the nonce (kept in memory), store the commitment."""
        who = operator_for(operator)
        record_interruption(db, task_code)
        with db.session() as s:
            task = load_task(s, task_code, DrawError)
            require_task(Permission.RUN_DRAWS, task)
            open_attempt = attempt_in(s, task.id, (St.COMMITTED, St.WITNESSING))
            if open_attempt is not None:
                raise DrawBusy(busy_message(open_attempt, task_code))
            computed = attempt_in(s, task.id, (St.COMPUTED,))
            replaces = check_can_start(
                task, computed, latest_attempt(s, task.id), redraw_reason, supervisor
            )
        try:
            manifest, report = build_task_manifest(db, task_code, on)
        except (DrawInputError, PlanError) as exc:
            raise DrawError(f"任务“{task_code}”无法生成抽取清单：{exc}") from exc
        assert report.checked is not None
        nonce = secrets.token_bytes(32)
        redraw = bool((redraw_reason or "").strip())
        try:
            with audited_as(who), db.session() as s:
                task = load_task(s, task_code, DrawError)
                number = s.scalar(
                    select(func.coalesce(func.max(DrawAttempt.attempt_no), 0)).where(
                        DrawAttempt.task_id == task.id
                    )
                )
                attempt = DrawAttempt(
                    task_id=task.id,
                    attempt_no=int(number or 0) + 1,
                    state=St.COMMITTED.value,
                    manifest=report.canonical_bytes,
                    manifest_hash=report.manifest_hash,
                    candidates=len(manifest["candidates"]),
                    nonce=None,  # never written before the seed is fixed: see holder.py
                    nonce_commitment=commitment_of(nonce),
                    operator=who,
                    workstation=(workstation if workstation is not None else workstation_name()),
                    holder=this_holder(),
                    started_at=now_utc(),
                    redraw_reason=redraw_reason.strip() if redraw and redraw_reason else None,
                    supervisor=supervisor.strip() if redraw and supervisor else None,
                    replaces_id=replaces,
                )
                s.add(attempt)
                s.flush()
                info = attempt_info(attempt, task_code)
                description = draw_lookup.task_description(task)
        except IntegrityError:
            with db.session() as s:
                task = load_task(s, task_code, DrawError)
                holder = attempt_in(s, task.id, (St.COMMITTED, St.WITNESSING))
                if holder is None:
                    raise
                raise DrawBusy(busy_message(holder, task_code)) from None
        NONCES.keep(nonce)
        del nonce
        kill_point("after-commitment")
        return cls(
            db,
            task_code,
            info,
            description,
            checked=report.checked,
            head=manifest_head(manifest),
        )

    @classmethod
    def resume(cls, db: Database, task_code: str) -> DrawCeremony | None:
        """The task's open attempt, else its result of record, else None: as stored.

        A read: it changes nothing (an interrupted attempt is only flagged; the
        console or `draw --resume` records it with `record_interruption`).
        """
        with db.session() as s:
            task = load_task(s, task_code, DrawError)
            require_task(Permission.VIEW, task)
            attempt = attempt_in(s, task.id, (St.COMMITTED, St.WITNESSING)) or attempt_in(
                s, task.id, (St.COMPUTED,)
            )
            if attempt is None:
                return None
            return cls(
                db,
                task_code,
                attempt_info(attempt, task_code),
                draw_lookup.task_description(task),
                interrupted=interrupted(attempt),
                needs_completion=needs_completion(s, task, attempt),
            )

    # --- reading (no writes, no extra round trips for what the step already read) ----

    def info(self) -> AttemptInfo:
        """The attempt as the last step stored or read it."""
        return self._info

    @property
    def state(self) -> St:
        return self._info.state

    @property
    def held_here(self) -> bool:
        """Open and its nonce is in this process: this process may carry it on."""
        return self._info.state.is_open and NONCES.get(self._info.nonce_commitment) is not None

    def refresh(self) -> AttemptInfo:
        """Read the attempt again (another workstation may have moved it on)."""
        with self.db.session() as s:
            self._info = attempt_info(self._attempt(s), self.task_code)
        return self._info

    def manifest(self) -> ManifestHead:
        """The manifest without its candidate list (task, strata, batches, inspectors).

        A million candidates as a million small lists would make every full
        garbage collection walk them, stalling the projector; they are kept
        as the checked manifest's columns instead (`checked()`).
        """
        self._load_manifest()
        assert self._head is not None
        return self._head

    def checked(self) -> Manifest:
        self._load_manifest()
        assert self._checked is not None
        return self._checked

    def populations(self) -> dict[str, int]:
        """Candidates per stratum, in manifest order."""
        counts = Counter(self.checked().candidate_strata)
        return {s.name: counts.get(s.name, 0) for s in self.checked().strata}

    def _load_manifest(self) -> None:
        if self._checked is None:
            with self.db.session() as s:
                self._checked, self._head = load_checked(self._attempt(s), self.task_code)

    def manifest_bytes(self) -> bytes:
        with self.db.session() as s:
            return self._attempt(s).manifest

    def task_description(self) -> TaskDescription:
        return self._task

    def names(self, with_targets: bool = True) -> DrawNames:
        outcome = self.outcome() if with_targets else None
        if outcome is not None:
            return outcome.names
        self._load_pool()
        assert self._names is not None
        return self._names

    def decoys(self) -> list[str]:
        """Candidates' names that roll past on the projector (decoration)."""
        self._load_pool()
        return list(self._decoys)

    def _load_pool(self) -> None:
        """The pool's names and the decoys: what the commitment screen needs, one Session."""
        if self._names is None:
            self._load_manifest()
            with self.db.session() as s:
                self._names = draw_lookup.draw_names(s, self.manifest())
                self._decoys = tuple(draw_lookup.decoy_pool(s, self.checked().candidate_ids))

    def outcome(self) -> Outcome | None:
        """The stored result (None before computing): never recomputed; one Session."""
        with self.db.session() as s:
            attempt = self._attempt(s)
            if self._checked is None:
                self._checked, self._head = load_checked(attempt, self.task_code)
            assert self._head is not None
            return read_outcome(s, attempt, self._head)

    # --- steps -----------------------------------------------------------------------

    def add_witness(self, name: str, unit: str, digits: str) -> WitnessRow:
        """Store one witness's digits (6–32 decimal digits, kept as text)."""
        name, unit = name.strip(), unit.strip()
        if not name:
            raise DrawError("请填写见证人姓名")
        if len(name) > NAME_MAX or len(unit) > UNIT_MAX:
            raise DrawError(f"见证人姓名不超过 {NAME_MAX} 字，单位不超过 {UNIT_MAX} 字")
        with audited_as(self._info.operator), self.db.session() as s:
            self._require_operator(s)
            attempt = self._attempt(s, lock=True)
            self._require_open(attempt, "输入见证人数字")
            self._require_nonce(attempt)
            position = len(attempt.witnesses) + 1
            try:
                check_witness_digits(digits, position)
            except DrawInputError as exc:
                raise DrawError(str(exc)) from exc
            witness = Witness(
                attempt_id=attempt.id,
                position=position,
                name=name,
                unit=unit,
                digits=digits,
                added_at=now_utc(),
            )
            attempt.witnesses.append(witness)
            attempt.state = St.WITNESSING.value
            s.flush()
            self._info = attempt_info(attempt, self.task_code)
        return WitnessRow(position, name, unit, digits)

    def compute(self) -> Computed:
        """Nonce, seed, result and every row derived from it: one transaction.

        The stored one if computed already. Returns once it is committed: the
        reveal may start; nothing about the draw is left to write.
        """
        checked = self.checked()
        with audited_as(self._info.operator), self.db.session() as s:
            self._require_operator(s)
            attempt = self._attempt(s, lock=True)
            if attempt.result is not None:  # computed before: read back, never redone
                data = attempt.result.result
                computed = Computed(result_doc(json.loads(data)), data, attempt.result.result_hash)
            else:
                self._require_open(attempt, "开始抽取")
                nonce = self._require_nonce(attempt)
                if not attempt.witnesses:
                    raise DrawError("至少需要一位见证人给出数字后才能开始抽取")
                with gc_paused():
                    computed = store_result(s, attempt, checked, nonce, SOFTWARE)
                    set_drawn(s, load_task(s, self.task_code, DrawError))
                    gc.freeze()  # the result stays on screen: see app.services.draws.screen
                kill_point("before-commit")
            self._info = attempt_info(attempt, self.task_code)
        NONCES.forget(self._info.nonce_commitment)
        kill_point("after-result")
        return computed

    def complete(self) -> int:
        """Finish a result stored by an older version: its derived rows and 已抽取.

        Never recomputes: the rows come from the stored result bytes. Returns
        the number of drawn-target rows written (0 when nothing was missing).
        """
        with audited_as(self._info.operator), self.db.session() as s:
            self._require_operator(s)
            attempt = self._attempt(s, lock=True)
            if attempt.result is None:
                raise DrawError(f"任务“{self.task_code}”的第 {attempt.attempt_no} 次抽取尚无结果")
            task = load_task(s, self.task_code, DrawError)
            written = store_derived_rows(s, attempt, result_doc(json.loads(attempt.result.result)))
            set_drawn(s, task)
        self.needs_completion = False
        return written

    def abort(self, reason: str) -> None:
        """Abandon an open attempt; the reason goes on the task's record."""
        reason = reason.strip()
        if not reason:
            raise DrawError("作废本次抽取须说明原因")
        with audited_as(self._info.operator), self.db.session() as s:
            self._require_operator(s)
            attempt = self._attempt(s, lock=True)
            self._require_open(attempt, "作废")
            attempt.state = St.ABORTED.value
            attempt.aborted_at = now_utc()
            attempt.abort_reason = reason
            s.flush()
            self._info = attempt_info(attempt, self.task_code)
        NONCES.forget(self._info.nonce_commitment)

    # --- internals ---------------------------------------------------------------------

    def _require_operator(self, s: Session) -> None:
        require_task(Permission.RUN_DRAWS, load_task(s, self.task_code, DrawError))

    def _attempt(self, s: Session, lock: bool = False) -> DrawAttempt:
        stmt = select(DrawAttempt).where(DrawAttempt.id == self.attempt_id)
        if lock:
            stmt = stmt.with_for_update()
        return s.scalars(stmt).one()

    def _require_open(self, attempt: DrawAttempt, what: str) -> None:
        state = St(attempt.state)
        if not state.is_open:
            raise DrawError(f"第 {attempt.attempt_no} 次抽取{state.label}，不能再{what}")

    def _require_nonce(self, attempt: DrawAttempt) -> bytes:
        nonce = NONCES.get(attempt.nonce_commitment)
        if nonce is None:
            raise DrawError(
                f"第 {attempt.attempt_no} 次抽取的随机数只保存在开始它的程序中"
                f"（工作站 {attempt.workstation or '未知'}），本程序无法完成它。"
                "若该程序已退出，本次抽取记为中断，须说明原因并经监督人员确认后重新抽取。"
            )
        return nonce


def list_tasks(db: Database) -> list[TaskChoice]:
    """The tasks the console offers, with where each one's draw stands."""
    with db.session() as s:
        return task_choices(s)


__all__ = [
    "DrawBusy",
    "DrawCeremony",
    "DrawError",
    "ResultDoc",
    "list_tasks",
    "record_interruption",
]
