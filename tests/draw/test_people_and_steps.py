"""Real people on the record, and one Session per step of the ceremony."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.domain.auth import Role
from app.domain.planning import PlanState
from app.models.audit import AuditEntry
from app.models.db import Database
from app.models.draws import DrawAttempt, DrawTarget
from app.models.plans import SamplingTask
from app.services.access.auth import Principal, acting_as
from app.services.draws import bundle
from app.services.draws.ceremony import DrawCeremony, DrawError
from app.services.draws.holder import NONCES
from tests.tamper import tamper


def _actors(db: Database) -> set[str]:
    with db.session() as s:
        return set(
            s.scalars(select(AuditEntry.actor).where(AuditEntry.entity.like("draw_%"))).all()
        )


def test_without_accounts_the_typed_operator_is_on_the_attempt_and_in_the_audit_log(
    db: Database, task_code: str
) -> None:
    with pytest.raises(DrawError, match="操作人员姓名"):
        DrawCeremony.open(db, task_code, "  ")
    c = DrawCeremony.open(db, task_code, " 张三 ")
    c.add_witness("李建国", "市人大代表", "000123")
    c.compute()
    assert c.info().operator == "张三"
    assert _actors(db) == {"张三（免登录）"}


def test_a_signed_in_user_is_the_operator_whatever_is_typed(db: Database, task_code: str) -> None:
    me = Principal(7, "zhaomin", "赵敏", frozenset({Role.ADMIN}))
    with acting_as(me):
        c = DrawCeremony.open(db, task_code, "随便写的名字")
        c.add_witness("李建国", "", "000123")
        c.compute()
    assert c.info().operator == "赵敏"
    assert _actors(db) == {"zhaomin"}


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(data)
    run = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return "".join(run.stdout.decode("utf-8").split())


def test_the_record_names_operator_witness_units_and_the_interrupted_attempt(
    db: Database, task_code: str, tmp_path: Path
) -> None:
    lost = DrawCeremony.open(db, task_code, "张三")
    lost.add_witness("李建国", "市人大代表", "000123")
    # The program that held it died: its nonce is gone, and no process has its holder.
    NONCES.forget(lost.info().nonce_commitment)
    with db.session() as s:
        s.execute(update(DrawAttempt).values(holder="999999999/0.000"))
    seen = DrawCeremony.resume(db, task_code)
    assert seen is not None and seen.interrupted and not seen.held_here
    with pytest.raises(DrawError, match="随机数只保存在开始它的程序中"):
        seen.add_witness("王秀英", "", "123456")
    with pytest.raises(DrawError, match="中断"):
        DrawCeremony.open(db, task_code, "张三")
    c = DrawCeremony.open(db, task_code, "张三", redraw_reason="程序意外退出", supervisor="赵局")
    c.add_witness("李建国", "市人大代表", "0038194556")
    c.add_witness("王秀英", "", "778120")
    outcome = c.compute()
    aborted = outcome.result["aborted_attempts"]
    assert [a["nonce_commitment"] for a in aborted] == [lost.info().nonce_commitment]
    text = _pdf_text(bundle.record_pdf(db, task_code), tmp_path)
    assert "操作人员（张三）" in text
    assert "监督见证人（李建国，市人大代表）" in text and "监督见证人（王秀英）" in text
    assert "作废和中断的抽取" in text and "中断：" in text
    assert "程序意外退出" in text and "赵局" in text


@contextmanager
def _counting(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    opened = [0]
    real: Callable[[], AbstractContextManager[Session]] = db.session

    @contextmanager
    def session() -> Iterator[Session]:
        opened[0] += 1
        with real() as s:
            yield s

    monkeypatch.setattr(db, "session", session)
    yield opened
    monkeypatch.undo()


def test_each_step_is_one_session_and_reads_never_write(
    db: Database, task_code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = DrawCeremony.open(db, task_code, "张三")
    with _counting(db, monkeypatch) as opened:
        c.info(), c.state, c.task_description(), c.manifest(), c.populations()
        assert opened[0] == 0
        c.add_witness("李建国", "", "000123")
        assert opened[0] == 1
        c.compute()
        assert opened[0] == 2
        c.info(), c.state
        assert opened[0] == 2
    with _counting(db, monkeypatch) as opened:
        bundle.write_bundle(db, task_code, tmp_path / "b.zip")
        assert opened[0] == 1
    with _counting(db, monkeypatch) as opened:
        again = DrawCeremony.resume(db, task_code)
        assert opened[0] == 1
        assert again is not None and again.outcome() is not None
        assert opened[0] == 2

    # A result stored by an older version without its rows: resume() only looks.
    with tamper(db) as conn:
        conn.execute(delete(DrawTarget))
        conn.execute(update(SamplingTask).values(state=PlanState.PUBLISHED))
    with db.session() as s:
        entries = s.scalar(select(func.count()).select_from(AuditEntry))
    looked = DrawCeremony.resume(db, task_code)
    assert looked is not None and looked.needs_completion
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == entries
        assert s.scalar(select(SamplingTask.state)) is PlanState.PUBLISHED
        assert s.scalar(select(func.count()).select_from(DrawTarget)) == 0
    assert looked.complete() > 0
    with db.session() as s:
        assert s.scalar(select(SamplingTask.state)) is PlanState.DRAWN
