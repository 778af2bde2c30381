"""审计日志: every ORM change is recorded with before/after; tampering is found."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from app.domain.registry import ItemCategory
from app.models import AuditEntry, Department, InspectionItem, Inspector, Target, User
from app.models.auditing import GENESIS_HASH, canonical, chain_hash
from app.models.db import Database
from app.services.access import audit
from tests.tamper import tamper


def _target(**kw: object) -> Target:
    values = dict(
        uscc="91371500MA3C000000", name="聊城甲公司", division_code="371502", reg_status="存续"
    )
    values.update(kw)
    return Target(**values)


def _entries(db: Database) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _fill(db: Database) -> None:
    with audit.acting_as("clerk"):
        with db.session() as s:
            s.add(_target(founded_on=date(2020, 5, 1)))
        with db.session() as s:
            t = s.scalar(select(Target))
            t.name = "聊城乙公司"
            t.risk_class = "B"
        with db.session() as s:
            s.add(Department(code="SJ", name="市场监管局"))


def test_orm_update_of_a_target_records_before_and_after(db: Database) -> None:
    _fill(db)
    entries = _entries(db)
    assert [(e.seq, e.action, e.entity) for e in entries] == [
        (1, "insert", "targets"),
        (2, "update", "targets"),
        (3, "insert", "departments"),
    ]
    insert, update = entries[0], entries[1]
    assert insert.before is None
    assert insert.after["name"] == "聊城甲公司"
    assert insert.after["founded_on"] == "2020-05-01"
    assert update.entity_id == str(insert.after["id"])
    assert update.before == {"name": "聊城甲公司", "risk_class": None}
    assert update.after == {"name": "聊城乙公司", "risk_class": "B", "version": 2}
    assert {e.actor for e in entries} == {"clerk"}
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash


def test_entry_hash_is_sha256_of_prev_hash_and_canonical_json(db: Database) -> None:
    _fill(db)
    e = _entries(db)[1]
    body = canonical(
        seq=e.seq,
        at=e.at,
        actor=e.actor,
        action=e.action,
        entity=e.entity,
        entity_id=e.entity_id,
        before=e.before,
        after=e.after,
    )
    assert body.startswith('{"action":"update","actor":"clerk","after":{"name":"聊城乙公司"')
    assert chain_hash(e.prev_hash, body) == e.entry_hash


def test_delete_and_many_to_many_changes_are_recorded(db: Database) -> None:
    with db.session() as s:
        dept = Department(code="SJ", name="市场监管局")
        item = InspectionItem(
            code="SJ-01", name="食品生产", department=dept, category=ItemCategory.KEY
        )
        s.add(Inspector(name="张三", department=dept, badge_no="J001", qualifications=[item]))
    with db.session() as s:
        ins = s.scalar(select(Inspector))
        ins.qualifications = []
    with db.session() as s:
        s.delete(s.scalar(select(Inspector)))
    entries = _entries(db)
    ins_insert = next(e for e in entries if e.entity == "inspectors" and e.action == "insert")
    assert ins_insert.after["qualifications"] == [1]
    change = next(e for e in entries if e.entity == "inspectors" and e.action == "update")
    assert change.before["qualifications"] == [1] and change.after["qualifications"] == []
    deleted = entries[-1]
    assert (deleted.action, deleted.entity, deleted.after) == ("delete", "inspectors", None)
    assert deleted.before["badge_no"] == "J001"


def test_password_hash_never_enters_the_log(db: Database) -> None:
    with db.session() as s:
        s.add(User(username="wang", display_name="王", roles=["viewer"], password_hash="SECRET"))
    with db.session() as s:
        s.scalar(select(User)).password_hash = "OTHER"
    for e in _entries(db):
        assert "SECRET" not in str(e.after) and "OTHER" not in str(e.after)
        assert "SECRET" not in str(e.before)
    assert _entries(db)[-1].after["password_hash"] == "<已隐藏>"


def test_record_appends_one_summary_entry_for_bulk_work(db: Database) -> None:
    with db.session() as s:
        s.execute(
            Target.__table__.insert(),
            [
                {
                    "uscc": f"X{i}",
                    "name": f"n{i}",
                    "division_code": "371502",
                    "reg_status": "存续",
                    "tags": [],
                    "version": 1,
                }
                for i in range(3)
            ],
        )
        audit.record(s, "import", "targets", None, None, {"rows": 3, "file": "名录.xlsx"})
    (entry,) = _entries(db)
    assert (entry.action, entry.after) == ("import", {"rows": 3, "file": "名录.xlsx"})
    assert audit.verify_chain(db) is None


def test_the_log_cannot_be_changed_through_the_orm(db: Database) -> None:
    _fill(db)
    with pytest.raises(RuntimeError, match="只能追加"), db.session() as s:
        s.scalar(select(AuditEntry)).actor = "someone else"
    with pytest.raises(RuntimeError, match="record"), db.session() as s:
        s.add(AuditEntry())


def test_intact_chain_verifies(db: Database) -> None:
    _fill(db)
    report = audit.check_chain(db)
    assert report.ok and report.entries == 3
    assert audit.verify_chain(db) is None


def test_editing_after_behind_the_applications_back_is_found(db: Database) -> None:
    _fill(db)
    with tamper(db) as conn:
        conn.execute(text("""UPDATE audit_log SET "after" = '{"name": "假名"}' WHERE seq = 2"""))
    broken = audit.verify_chain(db)
    assert broken is not None
    assert broken.seq == 2
    assert "内容与 entry_hash 不符" in broken.reason
    assert "第 2 条" in str(broken)


def test_deleting_a_row_is_found(db: Database) -> None:
    _fill(db)
    with tamper(db) as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    broken = audit.verify_chain(db)
    assert broken is not None and broken.seq == 3
    assert "缺少第 2 条" in broken.reason


def test_rewriting_an_entry_and_its_hash_breaks_the_next_link(db: Database) -> None:
    _fill(db)
    e = _entries(db)[0]
    forged = dict(e.after, name="伪造")
    body = canonical(
        seq=1,
        at=e.at,
        actor=e.actor,
        action=e.action,
        entity=e.entity,
        entity_id=e.entity_id,
        before=None,
        after=forged,
    )
    new_hash = chain_hash(GENESIS_HASH, body)
    with tamper(db) as conn:
        conn.execute(
            AuditEntry.__table__.update()
            .where(AuditEntry.__table__.c.seq == 1)
            .values(after=forged, entry_hash=new_hash)
        )
    broken = audit.verify_chain(db)
    assert broken is not None and broken.seq == 2
    assert "prev_hash" in broken.reason


def test_list_entries_filters_and_pages(db: Database) -> None:
    _fill(db)
    rows = audit.list_entries(db, audit.AuditFilter(entity="targets"))
    assert [r.seq for r in rows] == [2, 1]
    assert rows[0].entity_text == "检查对象" and rows[0].action_text == "修改"
    assert [r.seq for r in audit.list_entries(db, audit.AuditFilter(), before_seq=3, limit=1)] == [
        2
    ]
    assert audit.list_entries(db, audit.AuditFilter(actor="nobody")) == []
    today = rows[0].at.date()
    assert len(audit.list_entries(db, audit.AuditFilter(date_from=today, date_to=today))) == 3
    assert audit.list_entries(db, audit.AuditFilter(date_to=date(2000, 1, 1))) == []
    assert audit.list_entities(db) == ["departments", "targets"]


def test_reading_the_log_needs_the_permission(db: Database) -> None:
    from app.domain.auth import Role
    from app.services.access import auth

    _fill(db)
    operator = auth.Principal(3, "op", "操作员", frozenset({Role.DRAW_OPERATOR}))
    with auth.acting_as(operator), pytest.raises(auth.PermissionDenied, match="查看审计日志"):
        audit.list_entries(db, audit.AuditFilter())
    leader = auth.Principal(4, "leader", "领导", frozenset({Role.VIEWER}))
    with auth.acting_as(leader):
        assert len(audit.list_entries(db, audit.AuditFilter())) == 3
