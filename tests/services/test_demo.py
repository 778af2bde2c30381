"""Demo data: valid, believable, deterministic, and never written over real data."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from app import cli
from app.domain.divisions import (
    CITY_CODE,
    COUNTIES,
    DIVISIONS,
    UnknownDivision,
    division_name,
    full_division_name,
)
from app.domain.registry import (
    ACTIVE_REG_STATUSES,
    REG_STATUSES,
    EntityType,
    InspectionMethod,
    InspectorStatus,
    ItemCategory,
)
from app.domain.uscc import make_code, validate
from app.models import (
    AuditEntry,
    Department,
    InspectionItem,
    Inspector,
    JointItemGroup,
    Recusal,
    Target,
)
from app.models.db import Database, open_database
from app.services.demo import fill as demo
from app.services.demo import items as demo_items
from app.services.demo.fill import DemoRefused, fill_demo
from app.services.demo.targets import COLUMNS, TargetGenerator, fast_code, head_sum

TODAY = date(2026, 11, 28)


def _targets(db: Database) -> list[Target]:
    with db.session() as s:
        return list(s.scalars(select(Target).order_by(Target.id)))


def _counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {
            m.__tablename__: s.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Department, InspectionItem, Target, Inspector, Recusal, AuditEntry)
        }


def test_fill_gives_valid_believable_registries(db: Database) -> None:
    summary = fill_demo(db, targets=2_000, seed=11, today=TODAY)
    assert summary.targets == 2_000

    targets = _targets(db)
    assert len(targets) == 2_000
    assert len({t.uscc for t in targets}) == 2_000
    assert len({t.name for t in targets}) == 2_000
    for t in targets:
        assert validate(t.uscc) == t.uscc
        assert t.uscc[2:8] == t.division_code
        assert t.division_code in DIVISIONS
        assert t.uscc[1] == EntityType(t.entity_type).uscc_kind
        assert t.reg_status in REG_STATUSES
        assert date(1995, 1, 1) <= t.founded_on <= date(2025, 12, 31)
        assert t.address.startswith("山东省聊城市")
        assert t.legal_rep and t.industry_code and t.industry_name and t.phone
        assert isinstance(t.tags, list)
        if t.entity_type == EntityType.COOPERATIVE:
            assert t.name.endswith("专业合作社") and t.founded_on >= date(2007, 7, 1)

    n = len(targets)
    risk = Counter(t.risk_class for t in targets)
    for cls, share in {"A": 0.50, "B": 0.35, "C": 0.10, "D": 0.05}.items():
        assert abs(risk[cls] / n - share) < 0.04, (cls, risk)
    assert risk[None] / n < 0.05
    kinds = Counter(t.entity_type for t in targets)
    assert abs(kinds["企业"] / n - 0.70) < 0.04
    assert abs(kinds["个体工商户"] / n - 0.27) < 0.04
    assert 0 < kinds["农民专业合作社"] / n < 0.06
    active = sum(t.reg_status in ACTIVE_REG_STATUSES for t in targets) / n
    assert 0.92 < active < 0.98
    assert {"吊销", "注销"} <= {t.reg_status for t in targets}
    assert set(COUNTIES) <= {t.division_code for t in targets}
    assert 0.2 < sum(bool(t.tags) for t in targets) / n < 0.9


def test_item_list_departments_and_inspectors(db: Database) -> None:
    summary = fill_demo(db, targets=500, seed=11, today=TODAY)
    with db.session() as s:
        depts = list(s.scalars(select(Department).order_by(Department.sort_order)))
        items = list(s.scalars(select(InspectionItem).options(selectinload(InspectionItem.guide))))
        inspectors = list(
            s.scalars(select(Inspector).options(selectinload(Inspector.qualifications)))
        )
        groups = list(s.scalars(select(JointItemGroup).options(selectinload(JointItemGroup.items))))
        recusals = list(s.scalars(select(Recusal).options(selectinload(Recusal.target))))
        inspector_district = {i.id: i.district_code for i in inspectors}

        assert len(depts) == 17 == summary.departments
        assert len({d.code for d in depts}) == 17
        assert {d.name for d in depts} >= {"市场监管局", "应急局", "卫生健康委", "税务局", "海关"}

        assert len(items) >= 40
        assert {i.department_id for i in items} == {d.id for d in depts}
        methods = {m.value for m in InspectionMethod}
        for item in items:
            if item.category is ItemCategory.KEY:
                assert item.ratio_cap_bp is None
            else:
                assert 300 <= item.ratio_cap_bp <= 1000
            assert item.legal_basis.startswith("《")
            assert item.methods and set(item.methods) <= methods
            assert item.target_type
            assert item.guide is not None and "检查记录表" in item.guide.procedure
            assert 3 <= len(item.guide.checkpoints) <= 5
            assert all(c.basis.startswith("《") for c in item.guide.checkpoints)
        assert {ItemCategory.KEY, ItemCategory.GENERAL} == {i.category for i in items}

        assert len(groups) >= 2
        for group in groups:
            assert len({i.department_id for i in group.items}) == 3

        assert len(inspectors) == summary.inspectors >= 300
        by_dept = Counter(i.department_id for i in inspectors)
        market = next(d for d in depts if d.code == "SCJGJ")
        assert by_dept[market.id] == max(by_dept.values())
        assert len({i.badge_no for i in inspectors}) == len(inspectors)
        for inspector in inspectors:
            assert inspector.badge_no.isdigit() and len(inspector.badge_no) == 14
            assert inspector.district_code in DIVISIONS
            assert inspector.expertise
            assert inspector.qualifications
            assert {q.department_id for q in inspector.qualifications} == {inspector.department_id}
        assert sum(i.badge_expires_on < TODAY for i in inspectors) > 0
        assert sum(i.badge_expires_on >= TODAY for i in inspectors) / len(inspectors) > 0.9
        statuses = Counter(i.status for i in inspectors)
        assert statuses[InspectorStatus.ACTIVE] / len(inspectors) > 0.8
        assert len(statuses) == len(InspectorStatus)

        assert recusals
        for r in recusals:
            assert r.target.division_code == inspector_district[r.inspector_id]
            assert r.recorded_on <= TODAY

        # The bulk insert is audited as one summary entry.
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "targets")).one()
        assert entry.action == "import" and entry.after["rows"] == 500


def _snapshot(db: Database) -> tuple[list[tuple], list[tuple]]:
    with db.session() as s:
        targets = [
            tuple(r)
            for r in s.execute(
                select(*(Target.__table__.c[c] for c in COLUMNS)).order_by(Target.id)
            )
        ]
        inspectors = [
            tuple(r)
            for r in s.execute(
                select(Inspector.name, Inspector.badge_no, Inspector.district_code).order_by(
                    Inspector.id
                )
            )
        ]
    return targets, inspectors


def test_same_seed_same_data(db: Database, tmp_path: Path) -> None:
    fill_demo(db, targets=600, seed=7, today=TODAY)
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    third = open_database(f"sqlite:///{tmp_path / 'third.sqlite'}")
    try:
        fill_demo(other, targets=600, seed=7, today=TODAY)
        fill_demo(third, targets=200, seed=8, today=TODAY)
        first = _snapshot(db)
        assert first == _snapshot(other)
        assert [t[:2] for t in first[0][:200]] != [t[:2] for t in _snapshot(third)[0]]
    finally:
        other.dispose()
        third.dispose()


def test_second_fill_is_refused_and_changes_nothing(db: Database) -> None:
    fill_demo(db, targets=300, seed=1, today=TODAY)
    before, rows = _counts(db), _snapshot(db)
    with pytest.raises(DemoRefused, match="已有数据"):
        fill_demo(db, targets=300, seed=2, today=TODAY)
    assert _counts(db) == before
    assert _snapshot(db) == rows


def _schema_of_targets(db: Database) -> list[tuple]:
    with db.engine.connect() as conn:
        return sorted(
            tuple(r)
            for r in conn.execute(
                text("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'targets'")
            )
        )


def _cache_size(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("PRAGMA cache_size")).scalar_one())


def test_sqlite_load_restores_indexes_and_search(sqlite_db: Database) -> None:
    schema = _schema_of_targets(sqlite_db)
    fill_demo(sqlite_db, targets=1_200, seed=3, today=TODAY)
    assert _schema_of_targets(sqlite_db) == schema
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        if any(name == "targets_fts" for _, name, _ in schema):
            n = conn.execute(
                text("SELECT count(*) FROM targets WHERE name LIKE '%便利店%'")
            ).scalar()
            hits = conn.execute(
                text("SELECT count(*) FROM targets_fts WHERE targets_fts MATCH '\"便利店\"'")
            ).scalar()
            assert n > 0 and hits == n


def test_failed_fill_rolls_back_everything(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = _schema_of_targets(sqlite_db)
    cache_size = _cache_size(sqlite_db)
    monkeypatch.setattr(demo, "CHUNK_SIZE", 100)
    real_row = TargetGenerator.row
    made = 0

    def failing_row(self: TargetGenerator) -> tuple:
        nonlocal made
        made += 1
        if made > 250:
            raise RuntimeError("boom")
        return real_row(self)

    monkeypatch.setattr(TargetGenerator, "row", failing_row)
    with pytest.raises(RuntimeError, match="boom"):
        fill_demo(sqlite_db, targets=1_000, seed=3, today=TODAY)
    assert all(n == 0 for n in _counts(sqlite_db).values())
    assert _schema_of_targets(sqlite_db) == schema
    # The load's bigger page cache is not left on the pooled connection.
    assert _cache_size(sqlite_db) == cache_size


def test_sqlite_text_values_match_what_the_orm_reads(sqlite_db: Database) -> None:
    """The SQLite fast path stores exactly what SQLAlchemy would have stored."""
    fill_demo(sqlite_db, targets=400, seed=5, today=TODAY)
    plain = [r for chunk in TargetGenerator(5, TODAY).chunks(400) for r in chunk]
    stored = [tuple(getattr(t, c) for c in COLUMNS) for t in _targets(sqlite_db)]
    assert stored == plain


def test_fast_code_matches_make_code() -> None:
    rng = random.Random(0)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(2_000):
        kind, division = rng.choice("123"), rng.choice(list(DIVISIONS))
        body = "".join(rng.choice(alphabet) for _ in range(8))
        head = "9" + kind + division
        assert fast_code(head_sum(head), head, body) == make_code(kind, division, body)


def test_division_names() -> None:
    assert division_name("371522") == "莘县"
    assert division_name(CITY_CODE) == "聊城市"
    assert full_division_name("371581") == "聊城市临清市"
    assert full_division_name(CITY_CODE) == "聊城市"
    assert len(COUNTIES) == 8
    with pytest.raises(UnknownDivision, match="370102"):
        division_name("370102")


def test_item_list_parser_rejects_unknown_method() -> None:
    bad = "## X 测试局\n* 某事项 | 一般 5% | 飞行检查 | 企业 | -\n"
    with pytest.raises(demo_items.ItemListError, match="飞行检查"):
        demo_items.parse_item_list(bad)


def test_cli_demo_fills_then_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.sqlite"
    assert cli.main(["demo", "--targets", "500", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "检查对象 500 个" in out and "成员单位 17 个" in out and "用时" in out

    assert cli.main(["demo", "--targets", "500", "--db", str(path)]) == 2
    assert "已有数据" in capsys.readouterr().err
    assert cli.main(["demo", "--targets", "-1", "--db", str(tmp_path / "x.sqlite")]) == 2


def test_cli_demo_if_empty_skips_a_filled_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "quick.sqlite"
    assert cli.main(["demo", "--if-empty", "--targets", "300", "--db", str(path)]) == 0
    assert "检查对象 300 个" in capsys.readouterr().out
    before = path.stat().st_size
    assert cli.main(["demo", "--if-empty", "--targets", "300", "--db", str(path)]) == 0
    assert "未填充演示数据" in capsys.readouterr().out
    assert path.stat().st_size == before
