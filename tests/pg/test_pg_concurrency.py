"""PostgreSQL with two real connections: the audit append lock and row versions."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AppSetting, AuditEntry, Department
from app.models.auditing import Change, append
from app.models.db import Database
from app.services.access import audit
from app.services.common.concurrency import ConcurrentEditError, flush_or_explain

pytestmark = pytest.mark.pg


@pytest.fixture
def pg(db: Database) -> Database:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    return db


def test_second_appender_waits_for_the_first_to_commit(pg: Database) -> None:
    first = pg.engine.connect()
    tx = first.begin()
    append(first, [Change("import", "targets", None, None, {"n": 1})], who="甲")
    done = threading.Event()

    def second() -> None:
        with pg.engine.begin() as conn:
            append(conn, [Change("import", "targets", None, None, {"n": 2})], who="乙")
        done.set()

    t = threading.Thread(target=second)
    t.start()
    time.sleep(0.4)
    assert not done.is_set()  # held by pg_advisory_xact_lock
    tx.commit()
    first.close()
    t.join(10)
    assert done.is_set()
    with pg.session() as s:
        rows = s.execute(select(AuditEntry.seq, AuditEntry.actor).order_by(AuditEntry.seq)).all()
    assert [tuple(r) for r in rows] == [(1, "甲"), (2, "乙")]
    assert audit.verify_chain(pg) is None


def test_rolled_back_appender_leaves_no_gap(pg: Database) -> None:
    with pg.engine.connect() as conn:
        tx = conn.begin()
        append(conn, [Change("import", "targets", None, None, {"n": 1})])
        tx.rollback()
    with pg.session() as s:
        audit.record(s, "import", "targets", None, None, {"n": 2})
    with pg.session() as s:
        assert list(s.scalars(select(AuditEntry.seq))) == [1]


def test_second_writer_waits_for_the_row_lock(pg: Database) -> None:
    with pg.session() as s:
        s.add(AppSetting(key="note", value="市场监管局"))
    a, b = pg.sessions(), pg.sessions()
    try:
        a.get(AppSetting, "note").value = "甲"
        b_row = b.get(AppSetting, "note")
        a.flush()  # A holds the row lock until it commits
        result: list[BaseException | None] = []

        def save_b() -> None:
            b_row.value = "乙"
            try:
                flush_or_explain(b)
                b.commit()
                result.append(None)
            except BaseException as exc:
                result.append(exc)

        t = threading.Thread(target=save_b)
        t.start()
        time.sleep(0.3)
        assert not result  # waiting for A's row lock
        a.commit()
        t.join(10)
    finally:
        a.close()
        b.close()
    # Settings have no version column: the later write wins, and is audited.
    assert result == [None]
    with pg.session() as s:
        assert s.get(AppSetting, "note").value == "乙"
        assert [
            e.after for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "update"))
        ] == [{"value": "甲"}, {"value": "乙"}]


def test_versioned_department_waits_then_is_refused(pg: Database) -> None:
    with pg.session() as s:
        d = Department(code="SJ", name="市场监管局")
        s.add(d)
        s.flush()
        did = d.id
    a, b = pg.sessions(), pg.sessions()
    try:
        a.get(Department, did).name = "甲"
        b.get(Department, did).name = "乙"
        a.flush()
        outcome: list[BaseException | None] = []
        t = threading.Thread(target=lambda: _flush_into(b, outcome))
        t.start()
        time.sleep(0.3)
        assert not outcome  # waiting for A's row lock
        a.commit()
        t.join(10)
    finally:
        a.close()
        b.close()
    (refused,) = outcome
    assert isinstance(refused, ConcurrentEditError)
    assert "名称：市场监管局 → 甲（您改为 乙）" in str(refused)
    with pg.session() as s:
        assert s.get(Department, did).name == "甲"


def _flush_into(session: Session, outcome: list[BaseException | None]) -> None:
    try:
        flush_or_explain(session)
        session.commit()
        outcome.append(None)
    except BaseException as exc:
        outcome.append(exc)


def test_versioned_row_refused_after_the_lock_is_released(pg: Database) -> None:
    from app.models import Target

    with pg.session() as s:
        t = Target(uscc="91371500MA3C000000", name="甲", division_code="371502", reg_status="存续")
        s.add(t)
        s.flush()
        tid = t.id
    a, b = pg.sessions(), pg.sessions()
    try:
        a.get(Target, tid).name = "乙"
        b_t = b.get(Target, tid)
        a.flush()
        caught: list[BaseException] = []

        def save_b() -> None:
            b_t.name = "丙"
            try:
                flush_or_explain(b)
            except ConcurrentEditError as exc:
                caught.append(exc)

        th = threading.Thread(target=save_b)
        th.start()
        time.sleep(0.3)
        a.commit()
        th.join(10)
    finally:
        a.close()
        b.close()
    assert len(caught) == 1 and "名称：甲 → 乙（您改为 丙）" in str(caught[0])
