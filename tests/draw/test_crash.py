"""`dualrandom draw --task` killed at named points (DUALRANDOM_TEST_KILL_AT, os._exit).

Nothing is half-written: before the result's transaction commits, the database
holds the commitment and the witnesses but no nonce, no result, no drawn
targets; after it, everything. `--resume` shows a computed draw exactly (never
recomputed) and records an attempt that lost its nonce as interrupted (中断);
`--abandon --reason` voids one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import delete, func, select, update

from app.domain.ceremony import AttemptState
from app.domain.planning import PlanState
from app.draw import verify
from app.models.db import Database
from app.models.draws import DrawAttempt, DrawResult, DrawTarget
from app.models.plans import SamplingTask
from app.services.draws.holder import KILL_ENV, KILLED_EXIT
from tests.tamper import tamper

WITNESSES = ["--witness", "000123", "--witness-name", "李建国", "--witness-unit", "市人大代表"]


def _cli(db: Database, *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != KILL_ENV}
    if kill_at:
        env[KILL_ENV] = kill_at
    return subprocess.run(
        [sys.executable, "-m", "app", *args, "--db", db.url],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _draw(db: Database, code: str, *extra: str, kill_at: str | None = None):
    return _cli(
        db, "draw", "--task", code, *WITNESSES, "--operator", "张三", *extra, kill_at=kill_at
    )


def _state(db: Database) -> tuple[list[tuple[str, bool]], int, int, PlanState]:
    with db.session() as s:
        attempts = [
            (a.state, a.nonce is not None)
            for a in s.scalars(select(DrawAttempt).order_by(DrawAttempt.attempt_no))
        ]
        results = s.scalar(select(func.count()).select_from(DrawResult))
        targets = s.scalar(select(func.count()).select_from(DrawTarget))
        task_state = s.scalar(select(SamplingTask.state))
    return attempts, int(results or 0), int(targets or 0), task_state


@pytest.mark.parametrize("point", ["after-commitment", "before-commit"])
def test_killed_before_the_result_leaves_no_nonce_and_is_recorded_interrupted(
    db: Database, task_code: str, point: str
) -> None:
    run = _draw(db, task_code, kill_at=point)
    assert run.returncode == KILLED_EXIT, run.stderr
    with db.session() as s:
        commitment = s.scalars(select(DrawAttempt.nonce_commitment)).one()
    # Before the result's transaction commits: the commitment, nothing derived, no nonce.
    open_state = "committed" if point == "after-commitment" else "witnessing"
    assert _state(db) == ([(open_state, False)], 0, 0, PlanState.PUBLISHED)

    resumed = _cli(db, "draw", "--task", task_code, "--resume")
    assert resumed.returncode == 2 and "中断" in resumed.stderr
    with db.session() as s:
        attempt = s.scalars(select(DrawAttempt)).one()
        assert attempt.state == AttemptState.ABORTED.value and attempt.nonce is None
        assert attempt.abort_reason.startswith("中断：")

    # The next attempt follows the redraw rule: a reason and a supervisor.
    refused = _draw(db, task_code)
    assert refused.returncode == 2 and "监督人员确认" in refused.stderr
    done = _draw(db, task_code, "--redraw-reason", "程序意外退出", "--supervisor", "赵局")
    assert done.returncode == 0, done.stderr
    attempts, results, targets, task_state = _state(db)
    assert attempts == [("aborted", False), ("computed", True)] and results == 1
    assert targets > 0 and task_state is PlanState.DRAWN
    with db.session() as s:
        stored = s.scalars(select(DrawResult)).one()
        manifest = s.scalars(select(DrawAttempt).where(DrawAttempt.attempt_no == 2)).one().manifest
        result = json.loads(stored.result)
    assert [a["nonce_commitment"] for a in result["aborted_attempts"]] == [commitment]
    assert result["aborted_attempts"][0]["reason"].startswith("中断：")
    assert verify.check(manifest, result).verified


def test_killed_after_the_result_has_every_row_and_resume_shows_it_exactly(
    db: Database, task_code: str
) -> None:
    run = _draw(db, task_code, kill_at="after-result")
    assert run.returncode == KILLED_EXIT, run.stderr
    attempts, results, targets, task_state = _state(db)
    assert attempts == [("computed", True)] and results == 1
    with db.session() as s:
        stored = s.scalars(select(DrawResult)).one()
        stored_bytes, stored_hash = stored.result, stored.result_hash
    assert targets == len(json.loads(stored_bytes)["targets"]) > 0
    assert task_state is PlanState.DRAWN

    resumed = _cli(db, "draw", "--task", task_code, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.strip().splitlines()[-1] == f"result_hash: {stored_hash}"
    assert "未重算" in resumed.stdout
    with db.session() as s:
        assert s.scalars(select(DrawResult)).one().result == stored_bytes


def test_resume_completes_a_result_stored_without_its_rows(db: Database, task_code: str) -> None:
    """A result an older version stored before its per-target rows: completed, not redone."""
    assert _draw(db, task_code).returncode == 0
    with db.session() as s:
        expected = s.scalar(select(func.count()).select_from(DrawTarget))
        stored = s.scalars(select(DrawResult)).one().result
    # What an older version left behind; the server's append-only guard is lifted for it.
    with tamper(db) as conn:
        conn.execute(delete(DrawTarget))
        conn.execute(update(SamplingTask).values(state=PlanState.PUBLISHED))
    resumed = _cli(db, "draw", "--task", task_code, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"补记抽中对象 {expected} 户" in resumed.stdout
    attempts, results, targets, task_state = _state(db)
    assert (attempts, results, targets, task_state) == (
        [("computed", True)],
        1,
        expected,
        PlanState.DRAWN,
    )
    with db.session() as s:
        assert s.scalars(select(DrawResult)).one().result == stored


def test_abandon_voids_an_open_attempt_with_its_reason(db: Database, task_code: str) -> None:
    assert _draw(db, task_code, kill_at="after-commitment").returncode == KILLED_EXIT
    refused = _cli(db, "draw", "--task", task_code, "--abandon")
    assert refused.returncode == 2 and "--reason" in refused.stderr
    run = _cli(db, "draw", "--task", task_code, "--abandon", "--reason", "见证人未到场")
    assert run.returncode == 0, run.stderr
    with db.session() as s:
        attempt = s.scalars(select(DrawAttempt)).one()
        assert (attempt.state, attempt.abort_reason) == ("aborted", "见证人未到场")
    nothing = _cli(db, "draw", "--task", task_code, "--abandon", "--reason", "再来一次")
    assert nothing.returncode == 2 and "没有进行中的抽取" in nothing.stderr
    # An attempt voided on purpose, with witnesses present, is no redraw: draw again.
    assert _draw(db, task_code).returncode == 0
