"""The draw ceremony of one task as a state machine, shared by the console and the CLI.

    ceremony = DrawCeremony.open(db, "LC-SCJGJ-2026-003", operator="张三")
    ceremony.add_witness("李四", "县人大代表", "038194")   # each one stored at once
    outcome = ceremony.compute()                          # seed + result, one transaction
    DrawCeremony.resume(db, code)                         # after a crash: the stored step

Order is the protocol's (DRAW-1 sections 4–6 and docs/design "Draws are
transactions"): the manifest, its hash, the nonce and its commitment are
stored before any witness speaks; each witness's digits are stored as they
are confirmed; the seed and the full result are computed and stored in one
transaction before anything is revealed. Nothing is ever recomputed with new
randomness: a computed attempt is read back, byte for byte.

Starting a draw and every step of it need 组织随机抽取 in one of the task's
departments (or its plan's lead department); reopening one to look at it
needs only to see the task (app.services.plans.scope).
"""

from __future__ import annotations

import gc
import getpass
import json
import secrets
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import __version__
from app.domain.auth import Permission
from app.domain.ceremony import AttemptState as St
from app.domain.ceremony import DrawNames, TaskDescription
from app.domain.planning import PlanState
from app.draw.engine import run_draw
from app.draw.protocol import (
    DrawInputError,
    canonical,
    check_witness_digits,
    gc_paused,
    nonce_commitment,
    sha256_hex,
)
from app.draw.validate import Manifest, parse_json_bytes, validate_manifest
from app.models.db import Database
from app.models.draws import DrawAttempt, DrawResult, DrawTarget, Witness
from app.services.access.auth import current_principal
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
    aborted_list,
    attempt_in,
    attempt_info,
    busy_message,
    check_can_start,
    find_task,
    now_utc,
    task_choices,
    workstation_name,
)
from app.services.draws.manifest import build_task_manifest
from app.services.plans import planning
from app.services.plans.scope import require_task, task_visible
from app.services.plans.values import PlanError

SOFTWARE = f"dualrandom {__version__}"


def manifest_head(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k != "candidates"}


class DrawCeremony:
    """One attempt of one task; every step is stored before it returns."""

    def __init__(self, db: Database, task_code: str, attempt_id: int) -> None:
        self.db = db
        self.task_code = task_code
        self.attempt_id = attempt_id
        self._manifest: dict[str, Any] | None = None
        self._checked: Manifest | None = None

    # --- starting ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        db: Database,
        task_code: str,
        operator: str,
        *,
        workstation: str | None = None,
        redraw_reason: str | None = None,
        supervisor: str | None = None,
        on: date | None = None,
    ) -> DrawCeremony:
        """Build the manifest, draw the nonce, store the attempt and its commitment."""
        with db.session() as s:
            task = find_task(s, task_code)
            require_task(Permission.RUN_DRAWS, task)
            open_attempt = attempt_in(s, task.id, (St.COMMITTED, St.WITNESSING))
            if open_attempt is not None:
                raise DrawBusy(busy_message(open_attempt, task_code))
            computed = attempt_in(s, task.id, (St.COMPUTED,))
            replaces = check_can_start(task, computed, redraw_reason, supervisor)
        try:
            manifest, report = build_task_manifest(db, task_code, on)
        except (DrawInputError, PlanError) as exc:
            raise DrawError(f"任务“{task_code}”无法生成抽取清单：{exc}") from exc
        data, manifest_hash = report.canonical_bytes, report.manifest_hash
        nonce = secrets.token_bytes(32)
        try:
            with db.session() as s:
                task = find_task(s, task_code)
                number = s.scalar(
                    select(func.coalesce(func.max(DrawAttempt.attempt_no), 0)).where(
                        DrawAttempt.task_id == task.id
                    )
                )
                attempt = DrawAttempt(
                    task_id=task.id,
                    attempt_no=int(number or 0) + 1,
                    state=St.COMMITTED.value,
                    manifest=data,
                    manifest_hash=manifest_hash,
                    candidates=len(manifest["candidates"]),
                    nonce=nonce,
                    nonce_commitment=nonce_commitment(nonce),
                    operator=operator[:NAME_MAX],
                    workstation=(workstation if workstation is not None else workstation_name()),
                    started_at=now_utc(),
                    redraw_reason=redraw_reason.strip() if replaces and redraw_reason else None,
                    supervisor=supervisor.strip() if replaces and supervisor else None,
                    replaces_id=replaces,
                )
                s.add(attempt)
                s.flush()
                attempt_id = attempt.id
        except IntegrityError:
            with db.session() as s:
                task = find_task(s, task_code)
                holder = attempt_in(s, task.id, (St.COMMITTED, St.WITNESSING))
                if holder is None:
                    raise
                raise DrawBusy(busy_message(holder, task_code)) from None
        ceremony = cls(db, task_code, attempt_id)
        ceremony._checked = validate_manifest(manifest, manifest_hash)
        ceremony._manifest = manifest_head(manifest)
        return ceremony

    @classmethod
    def resume(cls, db: Database, task_code: str) -> DrawCeremony | None:
        """The task's open attempt, else its result of record, else None: as stored."""
        with db.session() as s:
            task = find_task(s, task_code)
            require_task(Permission.VIEW, task)
            attempt = attempt_in(s, task.id, (St.COMMITTED, St.WITNESSING)) or attempt_in(
                s, task.id, (St.COMPUTED,)
            )
            if attempt is None:
                return None
            ceremony = cls(db, task_code, attempt.id)
            computed = attempt.state == St.COMPUTED.value
            task_state = task.state
            may_draw = current_principal().may(Permission.RUN_DRAWS) and task_visible(task)
        if computed and task_state is PlanState.PUBLISHED and may_draw:
            # Stopped between storing the result and marking the task: finish that.
            planning.set_task_state(db, task_code, PlanState.DRAWN)
        return ceremony

    # --- reading -----------------------------------------------------------------------

    def info(self) -> AttemptInfo:
        with self.db.session() as s:
            return attempt_info(self._attempt(s), self.task_code)

    @property
    def state(self) -> St:
        return self.info().state

    def manifest(self) -> dict[str, Any]:
        """The manifest without its candidate list (task, strata, batches, inspectors).

        A million candidates as a million small lists would make every full
        garbage collection walk them, stalling the projector; they are kept
        as the checked manifest's columns instead (`checked()`).
        """
        self._load_manifest()
        assert self._manifest is not None
        return self._manifest

    def checked(self) -> Manifest:
        self._load_manifest()
        assert self._checked is not None
        return self._checked

    def populations(self) -> dict[str, int]:
        """Candidates per stratum, in manifest order."""
        counts = Counter(self.checked().candidate_strata)
        return {s.name: counts.get(s.name, 0) for s in self.checked().strata}

    def _load_manifest(self) -> None:
        if self._checked is not None:
            return
        with self.db.session() as s:
            attempt = self._attempt(s)
            data, stored_hash = attempt.manifest, attempt.manifest_hash
        if sha256_hex(data) != stored_hash:
            raise DrawError(f"任务“{self.task_code}”存档的抽取清单与其哈希不符，数据可能已损坏")
        with gc_paused():
            full = parse_json_bytes(data)
            self._checked = validate_manifest(full, manifest_hash=stored_hash)
            self._manifest = manifest_head(full)
            del full

    def manifest_bytes(self) -> bytes:
        with self.db.session() as s:
            return self._attempt(s).manifest

    def task_description(self) -> TaskDescription:
        with self.db.session() as s:
            return draw_lookup.task_description(find_task(s, self.task_code))

    def names(self, with_targets: bool = True) -> DrawNames:
        outcome = self.outcome() if with_targets else None
        if outcome is not None:
            return outcome.names
        with self.db.session() as s:
            return draw_lookup.draw_names(s, self.manifest())

    def decoys(self) -> list[str]:
        with self.db.session() as s:
            return draw_lookup.decoy_pool(s, self.checked().candidate_ids)

    def outcome(self) -> Outcome | None:
        """The stored result (None before computing): never recomputed."""
        with self.db.session() as s:
            attempt = self._attempt(s)
            if attempt.result is None:
                return None
            data = attempt.result.result
            result = json.loads(data)
            names = draw_lookup.draw_names(s, self.manifest(), result)
            return Outcome(result, data, attempt.result.result_hash, names)

    # --- steps -----------------------------------------------------------------------

    def add_witness(self, name: str, unit: str, digits: str) -> WitnessRow:
        """Store one witness's digits (6–32 decimal digits, kept as text)."""
        name, unit = name.strip(), unit.strip()
        if not name:
            raise DrawError("请填写见证人姓名")
        if len(name) > NAME_MAX or len(unit) > UNIT_MAX:
            raise DrawError(f"见证人姓名不超过 {NAME_MAX} 字，单位不超过 {UNIT_MAX} 字")
        with self.db.session() as s:
            self._require_operator(s)
            attempt = self._attempt(s, lock=True)
            self._require_open(attempt, "输入见证人数字")
            position = len(attempt.witnesses) + 1
            try:
                check_witness_digits(digits, position)
            except DrawInputError as exc:
                raise DrawError(str(exc)) from exc
            s.add(
                Witness(
                    attempt_id=attempt.id,
                    position=position,
                    name=name,
                    unit=unit,
                    digits=digits,
                    added_at=now_utc(),
                )
            )
            attempt.state = St.WITNESSING.value
        return WitnessRow(position, name, unit, digits)

    def compute(self) -> Computed:
        """Seed and full result, stored in one transaction; the stored one if already done.

        Returns as soon as the result is stored (the reveal may start); the
        per-target rows for queries follow with `index_targets()`.
        """
        checked = self.checked()
        with self.db.session() as s:
            self._require_operator(s)
            attempt = self._attempt(s, lock=True)
            if attempt.result is not None:  # computed before: read back, never redone
                data = attempt.result.result
                computed = Computed(json.loads(data), data, attempt.result.result_hash)
            else:
                self._require_open(attempt, "开始抽取")
                if not attempt.witnesses:
                    raise DrawError("至少需要一位见证人给出数字后才能开始抽取")
                with gc_paused():
                    computed = self._store_result(s, attempt, checked)
                    gc.freeze()  # the result stays on screen: see app.services.draws.screen
        with self.db.session() as s:
            task_state = find_task(s, self.task_code).state
        if task_state is PlanState.PUBLISHED:
            planning.set_task_state(self.db, self.task_code, PlanState.DRAWN)
        return computed

    def index_targets(self, computed: Computed | None = None) -> int:
        """The per-target rows of the computed result, for queries (derived; idempotent)."""
        with self.db.session() as s:
            attempt = self._attempt(s)
            if attempt.result is None:
                return 0
            done = s.scalar(
                select(func.count())
                .select_from(DrawTarget)
                .where(DrawTarget.attempt_id == attempt.id)
            )
            if done:
                return int(done)
            result = computed.result if computed else json.loads(attempt.result.result)
            try:
                with s.begin_nested(), gc_paused():
                    return draw_lookup.store_targets(s, attempt.id, result)
            except IntegrityError:  # another window indexed it at the same moment
                return len(result["targets"])

    def abort(self, reason: str) -> None:
        """Abandon an open attempt; the reason goes on the task's record."""
        reason = reason.strip()
        if not reason:
            raise DrawError("作废本次抽取须说明原因")
        with self.db.session() as s:
            self._require_operator(s)
            attempt = self._attempt(s, lock=True)
            self._require_open(attempt, "作废")
            attempt.state = St.ABORTED.value
            attempt.aborted_at = now_utc()
            attempt.abort_reason = reason

    # --- internals ---------------------------------------------------------------------

    def _require_operator(self, s: Session) -> None:
        require_task(Permission.RUN_DRAWS, find_task(s, self.task_code))

    def _attempt(self, s: Session, lock: bool = False) -> DrawAttempt:
        stmt = select(DrawAttempt).where(DrawAttempt.id == self.attempt_id)
        if lock:
            stmt = stmt.with_for_update()
        return s.scalars(stmt).one()

    def _require_open(self, attempt: DrawAttempt, what: str) -> None:
        state = St(attempt.state)
        if not state.is_open:
            raise DrawError(f"第 {attempt.attempt_no} 次抽取{state.label}，不能再{what}")

    def _store_result(self, s: Session, attempt: DrawAttempt, checked: Manifest) -> Computed:
        witnesses = [{"name": w.name, "digits": w.digits} for w in attempt.witnesses]
        result = run_draw(
            checked, witnesses, attempt.nonce, SOFTWARE, aborted_list(s, attempt.task_id)
        )
        data = canonical(result)
        now = now_utc()
        if attempt.replaces_id is not None:
            old = s.get(DrawAttempt, attempt.replaces_id)
            if old is not None and old.state == St.COMPUTED.value:
                old.state = St.SUPERSEDED.value
                old.superseded_at = now
                s.flush()  # before this attempt takes the task's "computed" place
        result_hash = sha256_hex(data)
        s.add(
            DrawResult(
                attempt_id=attempt.id,
                result=data,
                result_hash=result_hash,
                seed=result["seed"],
                selected=len(result["targets"]),
                software=SOFTWARE,
                computed_at=now,
            )
        )
        attempt.state = St.COMPUTED.value
        return Computed(result, data, result_hash)


def list_tasks(db: Database) -> list[TaskChoice]:
    """The tasks the console offers, with where each one's draw stands."""
    with db.session() as s:
        return task_choices(s)


def operator_name() -> str:
    """Who is at the console: the signed-in user, else the computer's user."""
    principal = current_principal()
    if principal.user_id is not None:
        return (principal.display_name or principal.username)[:NAME_MAX]
    try:
        return getpass.getuser()[:NAME_MAX]
    except Exception:  # no user name in the environment
        return "操作人员"
