"""`dualrandom import plan`: a published annual plan table becomes a draft plan."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.domain.auth import Role
from app.domain.planning import PlanState, SamplingRule, Severity
from app.excel.reader import WorkbookError
from app.models import AnnualPlan, SamplingTask
from app.models.db import Database
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.plans.imports import import_plan
from app.services.plans.planning import file_plan, get_plan, plan_checks, save_task
from app.services.plans.values import PlanError
from app.services.registry.imports.engine import import_registry
from tests.published_files import add_members, joint_list, plan_table
from tests.xlsx_files import write_xlsx


@pytest.fixture
def registry(db: Database, tmp_path: Path) -> dict[str, int]:
    depts = add_members(db)
    import_registry(db, "items", joint_list(tmp_path / "清单.xlsx"))
    return depts


def test_plan_table_becomes_a_draft(db: Database, tmp_path: Path, registry: dict) -> None:
    report = import_plan(db, plan_table(tmp_path / "计划.xlsx"), 2026)
    assert (report.total, report.inserted, report.rejected, report.tasks) == (4, 3, 1, 3)
    assert "火星局" in report.rejections[0].reason and report.rejections[0].row == 6
    detail = get_plan(db, report.plan_code)
    assert detail.state is PlanState.DRAFT and detail.spec.year == 2026
    assert detail.spec.lead_department == "SCJGJ"
    food, travel, canteen = (t.spec for t in detail.tasks)
    assert food.item_codes == ("SCJGJ-001",) and food.pending_item == ""
    assert (food.planned_start, food.planned_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert set(food.rules) == {SamplingRule(s, ratio_bp=500) for s in "ABCD"} | {
        SamplingRule("未分类", ratio_bp=500)
    }
    assert food.departments == {"SCJGJ": 1}
    assert (travel.planned_start, travel.planned_end) == (date(2026, 3, 1), date(2026, 6, 30))
    assert travel.batches == 2 and {r.count for r in travel.rules} == {2}
    assert travel.item_codes == ("WLJ-001",)
    # No item of that name: kept with its text, close matches suggested, filing blocked.
    assert canteen.item_codes == () and canteen.pending_item == "食堂安全检查"
    warning = next(w for w in report.warnings if w.row == 5)
    assert "学校食堂食品安全检查（SCJGJ-001）" in warning.reason
    blocking = [
        p.message
        for p in plan_checks(db, report.plan_code, on=date(2026, 1, 5))
        if p.severity is Severity.BLOCKS_FILING
    ]
    assert any("食堂安全检查" in m and canteen.code in m for m in blocking)
    with pytest.raises(PlanError, match="食堂安全检查"):
        file_plan(db, report.plan_code, on=date(2026, 1, 5))
    # The clerk picks the item: the text is settled and the task no longer blocks.
    from dataclasses import replace

    save_task(
        db,
        report.plan_code,
        replace(canteen, item_codes=("SCJGJ-001",), pending_item=""),
        original_code=canteen.code,
    )
    after = get_plan(db, report.plan_code).task(canteen.code).spec
    assert after.pending_item == "" and after.item_codes == ("SCJGJ-001",)
    messages = [p.message for p in plan_checks(db, report.plan_code, on=date(2026, 1, 5))]
    assert not any("还没有选定抽查事项" in m for m in messages)
    # The general item without a cap is flagged where filing is checked.
    assert any("未设抽查比例上限" in m for m in messages)


def test_never_filed_and_one_transaction(db: Database, tmp_path: Path, registry: dict) -> None:
    import_plan(db, plan_table(tmp_path / "a.xlsx"), 2026)
    with db.session() as s:
        assert set(s.scalars(select(AnnualPlan.state))) == {PlanState.DRAFT}
        assert set(s.scalars(select(SamplingTask.state))) == {PlanState.DRAFT}
        plans = s.scalar(select(func.count()).select_from(AnnualPlan))
    # A file without a 检查内容 or 年度计划名称 column imports nothing.
    rows = [["序号", "检查主体", "计划开展时间"], [1, "市场监管局", "1月—12月"]]
    with pytest.raises(WorkbookError, match="检查内容"):
        import_plan(db, write_xlsx(tmp_path / "b.xlsx", rows), 2026)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AnnualPlan)) == plans


def test_joint_row_takes_the_joint_items(db: Database, tmp_path: Path, registry: dict) -> None:
    rows = [
        ["序号", "检查主体", "检查内容", "计划开展时间", "抽查比例"],
        [1, "市场监管、教育、卫生健康部门", "学校食堂食品安全检查", "第二季度", "3%"],
    ]
    report = import_plan(db, write_xlsx(tmp_path / "a.xlsx", rows), 2026)
    task = get_plan(db, report.plan_code).tasks[0].spec
    assert task.item_codes == ("JTJ-002", "SCJGJ-001", "WJW-001")
    assert task.is_joint and task.code.split("-")[1] == "LH"
    assert (task.planned_start, task.planned_end) == (date(2026, 4, 1), date(2026, 6, 30))


def test_import_plan_needs_manage_plans(db: Database, tmp_path: Path, registry: dict) -> None:
    path = plan_table(tmp_path / "a.xlsx")
    viewer = Principal(None, "v", "查看", frozenset({Role.VIEWER}), registry["SCJGJ"], "市场监管局")
    with acting_as(viewer), pytest.raises(PermissionDenied):
        import_plan(db, path, 2026)
    # A planner of another department may not make a plan led by 市场监管局.
    other = Principal(None, "p", "计划", frozenset({Role.PLANNER}), registry["WLJ"], "文化和旅游局")
    with acting_as(other), pytest.raises(PermissionDenied):
        import_plan(db, path, 2026)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AnnualPlan)) == 0


def test_command(db: Database, tmp_path: Path, registry: dict, capsys) -> None:  # type: ignore[no-untyped-def]
    path = plan_table(tmp_path / "a.xlsx")
    assert main(["import", "plan", str(path), "--db", db.url]) == 2  # --year is required
    capsys.readouterr()
    code = main(["import", "plan", str(path), "--year", "2026", "--db", db.url, "--json"])
    assert code == 0
    out = capsys.readouterr().out.splitlines()
    assert json.loads(out[-1]) == {
        "total": 4,
        "inserted": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "warnings": 2,
        "tasks": 3,
    }
