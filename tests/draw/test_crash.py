"""A process that dies mid-ceremony (os._exit: no cleanup, no flush) loses nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from app.domain.ceremony import AttemptState
from app.domain.planning import PlanState
from app.draw import verify
from app.models.db import Database
from app.models.draws import DrawResult
from app.models.plans import SamplingTask
from app.services.draws.ceremony import DrawCeremony

CHILD = textwrap.dedent(
    """
    import os, sys
    from app.models.db import open_database
    from app.services.plans import planning
    from app.services.draws.ceremony import DrawCeremony

    url, code, stop = sys.argv[1:4]
    db = open_database(url)
    c = DrawCeremony.open(db, code, "张三", workstation="PC-1")
    print(c.info().nonce_commitment, flush=True)
    if stop == "commitment":
        os._exit(0)
    c.add_witness("李建国", "市人大代表", "000123")
    if stop == "witness":
        os._exit(0)
    # Dies right after the result's transaction committed, before the task is marked.
    planning.set_task_state = lambda *args, **kwargs: os._exit(0)
    c.compute()
    os._exit(3)
    """
)


def _die_at(db: Database, code: str, stop: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", CHILD, db.url, code, stop],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split()[0]


@pytest.mark.parametrize("stop", ["commitment", "witness"])
def test_killed_before_the_result_resumes_the_same_attempt(
    db: Database, task_code: str, stop: str
) -> None:
    commitment = _die_at(db, task_code, stop)
    c = DrawCeremony.resume(db, task_code)
    assert c is not None
    info = c.info()
    assert info.nonce_commitment == commitment
    assert info.state is (
        AttemptState.COMMITTED if stop == "commitment" else AttemptState.WITNESSING
    )
    assert [w.digits for w in info.witnesses] == ([] if stop == "commitment" else ["000123"])
    # The resumed attempt carries on to a result that verifies.
    if stop == "commitment":
        c.add_witness("李建国", "市人大代表", "000123")
    outcome = c.compute()
    assert outcome.result["nonce_commitment"] == commitment
    assert verify.check(c.manifest_bytes(), outcome.result).verified


def test_killed_after_the_result_shows_the_stored_result(db: Database, task_code: str) -> None:
    commitment = _die_at(db, task_code, "result")
    with db.session() as s:
        stored = s.scalars(select(DrawResult)).one()
        stored_bytes, stored_hash = stored.result, stored.result_hash
        assert s.scalar(select(SamplingTask.state)) is PlanState.PUBLISHED  # not marked yet
    c = DrawCeremony.resume(db, task_code)
    assert c is not None and c.info().state is AttemptState.COMPUTED
    outcome = c.outcome()
    assert outcome.result_bytes == stored_bytes and outcome.result_hash == stored_hash
    assert json.loads(stored_bytes)["nonce_commitment"] == commitment
    assert c.compute().result_bytes == stored_bytes  # never recomputed
    with db.session() as s:
        assert s.scalar(select(SamplingTask.state)) is PlanState.DRAWN  # resume finished it
