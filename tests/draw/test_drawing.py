"""The ceremony service on SQLite and PostgreSQL: order of storage, refusals, second draws."""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from app.domain.ceremony import AttemptState
from app.domain.planning import PlanState
from app.draw import verify
from app.draw.protocol import canonical
from app.models.db import Database
from app.models.draws import DrawAttempt, DrawTarget
from app.models.plans import SamplingTask
from app.services.draws import ceremony as drawing
from app.services.draws import screen as draw_screen
from app.services.draws.ceremony import DrawBusy, DrawCeremony, DrawError


def _task_state(db: Database, code: str) -> PlanState:
    with db.session() as s:
        return s.scalar(select(SamplingTask.state).where(SamplingTask.code == code))


def _drawn(db: Database, code: str, digits: str = "0038194556") -> DrawCeremony:
    c = DrawCeremony.open(db, code, "张三", workstation="PC-1")
    c.add_witness("李建国", "市人大代表", digits)
    c.compute()
    return c


def test_commitment_is_stored_first_and_the_nonce_kept_back(db: Database, task_code: str) -> None:
    c = DrawCeremony.open(db, task_code, "张三", workstation="PC-1")
    info = c.info()
    assert info.state is AttemptState.COMMITTED and info.witnesses == ()
    assert info.nonce_hex is None and info.seed is None
    with db.session() as s:
        row = s.get(DrawAttempt, c.attempt_id)
        assert row.nonce is None  # in the operator's process only, until the seed is fixed
        assert hashlib.sha256(row.manifest).hexdigest() == row.manifest_hash
        assert canonical(json.loads(row.manifest)) == row.manifest
    assert _task_state(db, task_code) is PlanState.PUBLISHED


@pytest.mark.parametrize(
    "digits",
    ["12345", "123456789012345678901234567890123", "12 3456", "１２３４５６", "12a456", ""],
)
def test_witness_digits_refused(db: Database, task_code: str, digits: str) -> None:
    c = DrawCeremony.open(db, task_code, "张三")
    with pytest.raises(DrawError, match="6 到 32 位"):
        c.add_witness("李建国", "", digits)
    assert c.info().witnesses == ()


def test_compute_stores_everything_in_one_go_and_never_twice(db: Database, task_code: str) -> None:
    c = DrawCeremony.open(db, task_code, "张三")
    with pytest.raises(DrawError, match="至少需要一位见证人"):
        c.compute()
    c.add_witness("李建国", "市人大代表", "000123")
    c.add_witness("王秀英", "", "99999999")
    outcome = c.compute()
    assert [w["digits"] for w in outcome.result["witnesses"]] == ["000123", "99999999"]
    assert outcome.result_hash == hashlib.sha256(outcome.result_bytes).hexdigest()
    info = c.info()
    assert info.state is AttemptState.COMPUTED and info.nonce_hex == outcome.result["nonce"]
    assert _task_state(db, task_code) is PlanState.DRAWN
    # The stored documents verify with the standalone verifier.
    assert verify.check(c.manifest_bytes(), json.loads(outcome.result_bytes)).verified
    # Per-target rows for queries, resolved to the registry: stored with the result.
    assert c.complete() == 0  # nothing left to write
    with db.session() as s:
        assert s.get(DrawAttempt, c.attempt_id).nonce.hex() == outcome.result["nonce"]
        rows = s.scalars(select(DrawTarget).order_by(DrawTarget.rank)).all()
    assert [r.candidate_id for r in rows] == [t["id"] for t in outcome.result["targets"]]
    assert all(r.target_id is not None and r.lead_inspector_id == r.team[0] for r in rows)
    # Asking again returns the stored result, byte for byte.
    assert c.compute().result_bytes == outcome.result_bytes
    again = DrawCeremony.resume(db, task_code)
    assert again is not None and again.outcome().result_bytes == outcome.result_bytes
    with pytest.raises(DrawError):
        c.add_witness("迟到者", "", "123456")
    with pytest.raises(DrawError):
        c.abort("想重来")


def test_abort_needs_a_reason_and_goes_on_the_record(db: Database, task_code: str) -> None:
    first = DrawCeremony.open(db, task_code, "张三")
    with pytest.raises(DrawError, match="原因"):
        first.abort("   ")
    first.abort("见证人未到场")
    assert first.info().state is AttemptState.ABORTED
    second = _drawn(db, task_code)
    aborted = second.outcome().result["aborted_attempts"]
    assert len(aborted) == 1
    assert aborted[0]["nonce_commitment"] == first.info().nonce_commitment
    assert aborted[0]["reason"] == "见证人未到场"
    assert second.info().attempt_no == 2


def test_second_draw_needs_reason_and_supervisor_and_keeps_both(
    db: Database, task_code: str
) -> None:
    first = _drawn(db, task_code)
    with pytest.raises(DrawError, match="监督人员确认"):
        DrawCeremony.open(db, task_code, "张三")
    with pytest.raises(DrawError, match="监督人员确认"):
        DrawCeremony.open(db, task_code, "张三", redraw_reason="录入错误", supervisor=" ")
    second = DrawCeremony.open(db, task_code, "张三", redraw_reason="录入错误", supervisor="赵局")
    # Until the second result exists, the first stays the task's result of record.
    assert DrawCeremony.resume(db, task_code).attempt_id == second.attempt_id
    assert first.refresh().state is AttemptState.COMPUTED
    second.add_witness("李建国", "", "555555")
    second.compute()
    assert first.refresh().state is AttemptState.SUPERSEDED
    assert first.outcome() is not None  # kept
    info = second.info()
    assert (info.redraw_reason, info.supervisor) == ("录入错误", "赵局")
    assert DrawCeremony.resume(db, task_code).attempt_id == second.attempt_id


def test_two_operators_starting_at_once_exactly_one_proceeds(db: Database, task_code: str) -> None:
    barrier = threading.Barrier(2)

    def start(who: str) -> object:
        barrier.wait()
        try:
            return DrawCeremony.open(db, task_code, who, workstation=f"PC-{who}")
        except DrawBusy as exc:
            return exc

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(start, ["甲", "乙"]))
    started = [r for r in results if isinstance(r, DrawCeremony)]
    refused = [r for r in results if isinstance(r, DrawBusy)]
    assert len(started) == 1 and len(refused) == 1
    holder = started[0].info().operator
    assert holder in str(refused[0]) and f"PC-{holder}" in str(refused[0])
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DrawAttempt)) == 1


def test_tasks_not_published_are_refused(db: Database, task_code: str) -> None:
    with db.session() as s:
        s.execute(text("UPDATE sampling_tasks SET state = 'filed'"))
    with pytest.raises(DrawError, match="公开后才能"):
        DrawCeremony.open(db, task_code, "张三")
    choices = {t.code: t for t in drawing.list_tasks(db)}
    assert not choices[task_code].drawable


def test_projector_and_record_data_carry_no_phone_numbers(db: Database, task_code: str) -> None:
    with db.session() as s:
        s.execute(text("UPDATE targets SET phone = '13800138000'"))
        s.execute(text("UPDATE inspectors SET phone = '13900139000'"))
    c = _drawn(db, task_code)
    shown = repr(draw_screen.commitment_view(c)) + repr(draw_screen.outcome_view(c))
    shown += repr(c.names()) + repr(c.task_description())
    assert "1380013" not in shown and "1390013" not in shown
    assert "张明" in shown or "李娜" in shown or "王强" in shown  # inspector names are there
