"""Two clerks edit one record: the second save is refused, showing the other change."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Department, Target
from app.models.db import Database
from app.services.access import audit
from app.services.common.concurrency import ConcurrentEditError, ensure_version, flush_or_explain


def _add_target(db: Database) -> int:
    with db.session() as s:
        t = Target(
            uscc="91371500MA3C000000",
            name="聊城甲公司",
            division_code="371502",
            reg_status="存续",
            phone="0635-1",
        )
        s.add(t)
        s.flush()
        return t.id


def test_second_save_of_a_stale_row_is_refused_with_the_other_change(db: Database) -> None:
    tid = _add_target(db)
    first, second = db.sessions(), db.sessions()
    try:
        a = first.get(Target, tid)
        b = second.get(Target, tid)
        a.name = "聊城乙公司"
        a.phone = "0635-2"
        b.name = "聊城丙公司"
        with audit.acting_as("王五"):
            first.commit()
        with audit.acting_as("赵六"), pytest.raises(ConcurrentEditError) as caught:
            flush_or_explain(second)
    finally:
        first.close()
        second.close()
    err = caught.value
    assert err.entity == "targets" and err.entity_id == str(tid) and err.by == "王五"
    fields = {c.field: c for c in err.changes}
    assert fields["name"].original == "聊城甲公司"
    assert fields["name"].theirs == "聊城乙公司" and fields["name"].mine == "聊城丙公司"
    assert fields["phone"].theirs == "0635-2" and not fields["phone"].mine_changed
    text = str(err)
    assert "检查对象（编号" in text and "“王五”" in text
    assert "名称：聊城甲公司 → 聊城乙公司（您改为 聊城丙公司）" in text
    assert "联系电话：0635-1 → 0635-2" in text
    # Nothing of the refused save was written, nor audited.
    with db.session() as s:
        assert s.get(Target, tid).name == "聊城乙公司"
        assert "赵六" not in set(s.scalars(select(AuditEntry.actor)))


def test_saving_a_row_someone_deleted(db: Database) -> None:
    tid = _add_target(db)
    with Session(db.engine) as mine:
        t = mine.get(Target, tid)
        with audit.acting_as("王五"), db.session() as other:
            other.delete(other.get(Target, tid))
        t.name = "新名称"
        with pytest.raises(ConcurrentEditError, match=r"已被“王五”于 .* 删除"):
            flush_or_explain(mine)


def test_form_saved_over_a_newer_version(db: Database) -> None:
    tid = _add_target(db)
    with db.session() as s:  # the form is filled from version 1
        t = s.get(Target, tid)
        shown = {"name": t.name, "phone": t.phone}
        version = t.version
    with audit.acting_as("王五"), db.session() as s:
        s.get(Target, tid).phone = "0635-9"
    with db.session() as s, pytest.raises(ConcurrentEditError) as caught:
        ensure_version(s.get(Target, tid), version, shown)
    assert "联系电话：0635-1 → 0635-9" in str(caught.value)
    with db.session() as s:  # the form reloaded: now it saves
        t = s.get(Target, tid)
        ensure_version(t, t.version)
        t.name = "聊城丁公司"
        flush_or_explain(s)


def test_two_writers_keep_the_audit_chain_gap_free(db: Database) -> None:
    errors: list[BaseException] = []

    def writer(prefix: str) -> None:
        try:
            for i in range(12):
                with audit.acting_as(prefix), db.session() as s:
                    s.add(Department(code=f"{prefix}{i}", name=f"{prefix}部门{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with db.session() as s:
        seqs = list(s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)))
    assert seqs == list(range(1, 25))
    assert audit.verify_chain(db) is None
