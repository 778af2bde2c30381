"""The DRAW-1 manifest built from the database: shape, order, pool rules, exclusion report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from planning_data import (
    INSPECTORS,
    RECUSALS,
    TargetRow,
    joint_plan,
    joint_task,
    seed_registry,
    single_task,
    target_rows,
)

from app.domain.planning import DistrictRule, SamplingRule
from app.draw.engine import run_draw
from app.draw.protocol import canonical, sha256_hex
from app.draw.validate import load_manifest_bytes
from app.models.db import Database
from app.services.draws.manifest import REASONS, build_task_manifest
from app.services.plans import planning
from app.services.plans.values import PlanError, Scope

ON = date(2026, 1, 10)
SCOPE = Scope(divisions=("371502", "371503"), industries=("F", "H"))


@pytest.fixture
def rows(db: Database) -> list[TargetRow]:
    rows = seed_registry(db)
    planning.create_plan(db, joint_plan())
    return rows


def _save(db: Database, **changes: object) -> None:
    planning.save_task(db, "LC-LH-2026", joint_task(**changes))


def _in(t: TargetRow, scope: Scope) -> bool:
    return t.division in scope.divisions and t.industry[0] in ("F", "H")


def test_manifest_shape_order_and_candidates(db: Database, rows: list[TargetRow]) -> None:
    _save(db, scope=SCOPE, batches=2)
    manifest, report = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    assert set(manifest) == {"protocol", "task", "strata", "candidates", "batches", "inspectors"}
    assert manifest["protocol"] == "DRAW-1"
    assert manifest["task"] == {
        "code": "LC-LH-2026-001",
        "title": joint_task().title,
        "items": ["SCJG-01", "WJ-01", "YJ-01"],
        "departments": ["SCJGJ", "WJW", "YJJ"],
    }
    assert manifest["strata"] == [
        {"name": "A", "ratio_bp": 300},
        {"name": "B", "ratio_bp": 500},
        {"name": "C", "ratio_bp": 800},
        {"name": "D", "count": 3},
    ]
    expected = sorted(
        [t.uscc.upper(), t.stratum, t.division]
        for t in rows
        if t.active and _in(t, SCOPE) and t.risk is not None
    )
    assert manifest["candidates"] == expected
    assert manifest["batches"] == 2
    assert report.candidates == {
        s: sum(1 for c in expected if c[1] == s) for s in ("A", "B", "C", "D")
    }
    # The file form is canonical and accepted by the draw engine as is.
    data = canonical(manifest)
    assert load_manifest_bytes(data).hash == sha256_hex(data) == report.manifest_hash


def test_target_exclusions_are_counted(db: Database, rows: list[TargetRow]) -> None:
    _save(db, scope=SCOPE)
    _, report = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    in_scope = [t for t in rows if _in(t, SCOPE)]
    assert report.excluded["不在范围"] == len(rows) - len(in_scope)
    assert report.excluded["非存续状态"] == sum(1 for t in in_scope if not t.active)
    assert report.excluded["未设抽查规则"] == sum(1 for t in in_scope if t.active and not t.risk)
    assert list(report.excluded) == list(REASONS)


def test_unclassified_is_its_own_stratum(db: Database, rows: list[TargetRow]) -> None:
    _save(db, rules=(SamplingRule("A", ratio_bp=100), SamplingRule("未分类", count=2)))
    manifest, report = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    assert [s["name"] for s in manifest["strata"]] == ["A", "未分类"]
    unclassified = sum(1 for t in rows if t.active and t.risk is None)
    assert report.candidates["未分类"] == unclassified
    assert {c[1] for c in manifest["candidates"]} == {"A", "未分类"}
    assert report.excluded["未设抽查规则"] == sum(
        1 for t in rows if t.active and t.risk in ("B", "C", "D")
    )


def test_inspector_pool_ids_and_reasons(db: Database, rows: list[TargetRow]) -> None:
    _save(db, departments={"SCJGJ": 2, "YJJ": 1, "WJW": 0}, team_size=3)
    manifest, report = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    insp = manifest["inspectors"]
    assert insp["team_size"] == 3 and insp["district_rule"] == "any" and insp["max_load"] is None
    assert insp["per_department_min"] == {"SCJGJ": 2, "YJJ": 1}
    ids = [p["id"] for p in insp["pool"]]
    assert ids == sorted(ids)
    badges = {d.badge: d for d in INSPECTORS}
    assert {
        "371502201900001",
        "371502201900002",
        "371503201900003",
        "371521201900006",
        "371502202000101",
        "371502202100201",
    } <= set(ids)
    # 吴刚's badge has characters DRAW-1 ids do not allow; no district under "any".
    [odd] = [p for p in insp["pool"] if p["id"].startswith("INSP-")]
    assert odd["department"] == "YJJ" and odd["district"] == "000000" and odd["load"] == 0
    assert len(ids) == 7 and all(p["load"] == 0 for p in insp["pool"])
    assert report.pool == {"SCJGJ": 4, "YJJ": 2, "WJW": 1}
    assert report.excluded["人员非在岗"] == 2
    assert report.excluded["执法证过期"] == 2
    assert report.excluded["无资质"] == 1
    assert badges["371521201900004"].expires < ON


def test_badge_checked_on_the_draw_day(db: Database, rows: list[TargetRow]) -> None:
    _save(db)
    _, before = build_task_manifest(db, "LC-LH-2026-001", on=date(2027, 6, 30))
    _, after = build_task_manifest(db, "LC-LH-2026-001", on=date(2027, 7, 1))
    assert after.excluded["执法证过期"] == before.excluded["执法证过期"] + 1


def test_recusals_become_excluded_pairs(db: Database, rows: list[TargetRow]) -> None:
    _save(db)
    manifest, report = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    candidates = {c[0] for c in manifest["candidates"]}
    pool = {p["id"] for p in manifest["inspectors"]["pool"]}
    expected = sorted(
        [badge, rows[i].uscc]
        for badge, i in RECUSALS
        if badge in pool and rows[i].uscc in candidates
    )
    assert expected  # the fixture has at least one recusal inside the pool
    assert manifest["inspectors"]["excluded_pairs"] == expected
    assert report.excluded["回避"] == len(expected)
    assert report.excluded["近期已检查"] == 0


def test_district_rule_drops_inspectors_without_district(db: Database, rows: list) -> None:
    _save(db, district_rule=DistrictRule.DIFFERENT, max_load=5)
    manifest, report = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    assert manifest["inspectors"]["district_rule"] == "different"
    assert manifest["inspectors"]["max_load"] == 5
    assert all(p["district"] != "000000" for p in manifest["inspectors"]["pool"])
    assert report.excluded["无所属区划"] == 1


def test_same_inputs_same_bytes_and_the_draw_runs(db: Database, rows: list) -> None:
    _save(db)
    first, _ = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    second, _ = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    assert canonical(first) == canonical(second)
    result = run_draw(canonical(first), [("见证人", "123456")], bytes(32), "test")
    assert sum(s["selected"] for s in result["strata"]) == len(result["targets"]) > 0
    assert all(len(team) == 3 for team in result["teams"].values())


def test_unknown_task(db: Database, rows: list) -> None:
    with pytest.raises(PlanError, match="找不到抽查任务"):
        build_task_manifest(db, "LC-LH-2026-099", on=ON)
    assert "近期已检查" in REASONS


def _drawn(db: Database, task_code: str, pairs: list[tuple[str, int]], at: datetime) -> None:
    """Store a computed draw of `task_code` assigning (badge, target index) pairs."""
    from sqlalchemy import select

    from app.models.draws import DrawAttempt, DrawResult, DrawTarget
    from app.models.plans import SamplingTask
    from app.models.registry import Inspector, Target

    rows = target_rows()
    with db.session() as s:
        task_id = s.scalar(select(SamplingTask.id).where(SamplingTask.code == task_code))
        badge = dict(s.execute(select(Inspector.badge_no, Inspector.id)).all())
        ids = dict(s.execute(select(Target.uscc, Target.id)).all())
        attempt = DrawAttempt(
            task_id=task_id,
            attempt_no=1,
            state="computed",
            manifest=b"{}",
            manifest_hash="0" * 64,
            nonce=bytes(32),
            nonce_commitment=task_code.lower().ljust(64, "0")[:64],
            started_at=at,
        )
        s.add(attempt)
        s.flush()
        s.add(
            DrawResult(
                attempt_id=attempt.id,
                result=b"{}",
                result_hash=task_code.lower().rjust(64, "1")[-64:],
                seed="0" * 64,
                selected=len(pairs),
                software="test",
                computed_at=at,
            )
        )
        for rank, (b, index) in enumerate(pairs, start=1):
            s.add(
                DrawTarget(
                    attempt_id=attempt.id,
                    rank=rank,
                    batch=1,
                    candidate_id=rows[index].uscc,
                    target_id=ids[rows[index].uscc],
                    stratum=rows[index].stratum,
                    team=[badge[b]],
                    missing=0,
                )
            )


def test_earlier_draws_give_loads_and_recent_pairs(db: Database, rows: list[TargetRow]) -> None:
    from app.domain.planning import PlanState

    _save(db)
    other = single_task(scope=Scope())
    planning.save_task(db, "LC-LH-2026", other)
    # A draw of the other task, in the same period, pairing 张明 with two targets.
    candidates = [i for i, t in enumerate(rows) if t.active and t.risk and i not in (0, 1, 3)]
    first, second = candidates[:2]
    _drawn(
        db,
        other.code,
        [("371502201900001", first), ("371502201900001", second), ("371502201900002", first)],
        datetime(2026, 1, 5, 9, tzinfo=UTC),
    )
    planning.file_plan(db, "LC-LH-2026", ON)
    planning.publish_plan(db, "LC-LH-2026")
    planning.set_task_state(db, other.code, PlanState.DRAWN)

    manifest, report = build_task_manifest(db, "LC-LH-2026-001", on=ON)
    loads = {p["id"]: p["load"] for p in manifest["inspectors"]["pool"]}
    assert loads["371502201900001"] == 2 and loads["371502201900002"] == 1
    assert sum(loads.values()) == 3
    recent = {
        ("371502201900001", rows[first].uscc),
        ("371502201900001", rows[second].uscc),
        ("371502201900002", rows[first].uscc),
    }
    assert recent <= {tuple(p) for p in manifest["inspectors"]["excluded_pairs"]}
    assert report.excluded["近期已检查"] == 3

    # Outside the window (12 months by default) the pairs no longer count.
    _, later = build_task_manifest(db, "LC-LH-2026-001", on=date(2027, 1, 6))
    assert later.excluded["近期已检查"] == 0


def test_months_before() -> None:
    from app.services.draws.history import months_before

    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2026, 5, 1), 0) == date(2026, 5, 1)
