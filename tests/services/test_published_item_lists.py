"""Item lists in the layouts bureaus publish: joint and national lists, merged cells,
title and note rows, checkpoints in one cell, departments as people write them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cli import main
from app.domain.auth import Role
from app.domain.registry import ItemCategory
from app.excel.reader import WorkbookError
from app.excel.templates import ITEMS
from app.models import InspectionGuide, InspectionItem, JointItemGroup
from app.models.db import Database
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.registry.imports.columns import preview_import
from app.services.registry.imports.engine import import_registry
from tests.published_files import add_members, joint_list, national_list
from tests.registry_data import add_departments, add_items
from tests.xlsx_files import write_xlsx


def _items(db: Database) -> dict[tuple[str, str], InspectionItem]:
    """(department code, name) → item with its checkpoints."""
    with db.session() as s:
        stmt = select(InspectionItem).options(
            selectinload(InspectionItem.department),
            selectinload(InspectionItem.guide).selectinload(InspectionGuide.checkpoints),
        )
        return {(i.department.code, i.name): i for i in s.scalars(stmt)}


def _groups(db: Database) -> dict[str, list[str]]:
    with db.session() as s:
        stmt = select(JointItemGroup).options(selectinload(JointItemGroup.items))
        return {g.code: sorted(i.code for i in g.items) for g in s.scalars(stmt)}


def _snapshot(db: Database) -> tuple[object, ...]:
    items = {
        k: (i.code, i.category, i.ratio_cap_bp, i.target_type, i.version)
        for k, i in _items(db).items()
    }
    return items, _groups(db)


def test_joint_list(db: Database, tmp_path: Path) -> None:
    add_members(db)
    report = import_registry(db, "items", joint_list(tmp_path / "联合清单.xlsx"))
    # Title row and the note under the table are not data; the unknown department is rejected.
    assert (report.total, report.inserted, report.rejected) == (4, 3, 1)
    reason = report.rejections[0].reason
    assert report.rejections[0].row == 6
    assert "火星部门" in reason and "教育体育局" in reason and "文化和旅游局" in reason
    assert any("第 7 行" in n for n in report.notes)

    items = _items(db)
    bus = items[("JTJ", "校车安全管理机制事项")]
    assert bus.code == "JTJ-001"
    assert [c.text for c in bus.guide.checkpoints] == [
        "建立校车安全管理制度",
        "落实校车驾驶人管理",
        "校车定期检验",
    ]
    # 事项类别 missing: general, with a warning on each imported row.
    assert bus.category is ItemCategory.GENERAL and bus.ratio_cap_bp is None
    assert sorted(w.row for w in report.warnings) == [3, 4, 5]
    assert all("一般检查事项" in w.reason for w in report.warnings)
    # The initiating department owns the item, partners join through a joint item group.
    assert _groups(db) == {
        "LH-JTJ-001": ["GAJ-001", "JTJ-001", "JTYSJ-001"],
        "LH-SCJGJ-001": ["JTJ-002", "SCJGJ-001", "WJW-001"],
    }
    assert items[("WLJ", "旅行社经营行为检查")].target_type == "旅行社"
    # 抽查领域 merged over rows 3–4 and never a department.
    assert ("GAJ", "学校食堂食品安全检查") not in items


def test_reimport_changes_nothing(db: Database, tmp_path: Path) -> None:
    add_members(db)
    path = joint_list(tmp_path / "联合清单.xlsx")
    import_registry(db, "items", path)
    before = _snapshot(db)
    again = import_registry(db, "items", path)
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 1)
    assert _snapshot(db) == before


def test_national_list(db: Database, tmp_path: Path) -> None:
    add_members(db)
    report = import_registry(db, "items", national_list(tmp_path / "清单.xlsx"))
    assert (report.total, report.inserted, report.rejected) == (3, 3, 0)
    items = _items(db)
    food = items[("SCJGJ", "食品生产企业监督检查")]
    assert (food.code, food.category, food.methods) == (
        "SCJGJ-001",
        ItemCategory.KEY,
        ["实地核查", "书面检查"],
    )
    assert food.legal_basis == "《中华人民共和国食品安全法》"
    assert items[("WJW", "公共场所卫生检查")].category is ItemCategory.GENERAL
    # Blank 事项类别 and no other column saying 重点/一般: general with a warning.
    assert [w.row for w in report.warnings] == [4]
    assert "一般检查事项" in report.warnings[0].reason
    assert report.columns[0] == "A 列“抽查类别” → 抽查领域（识别表格用，不保存）"


def test_category_from_another_column(db: Database, tmp_path: Path) -> None:
    add_members(db)
    rows = [
        ["抽查类别", "抽查事项", "检查主体", "分类"],
        ["重点检查事项", "特种设备使用单位检查", "市场监管局", ""],
        ["一般", "广告发布检查", "SCJGJ", ""],
        ["产品质量", "电线电缆产品检查", "市场监管局", "重点"],
    ]
    # “分类” is not a known header: assigned to 事项类别 by hand, as the preview lets a clerk.
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    report = import_registry(db, "items", path, columns={3: "category"})
    assert (report.inserted, report.warnings) == (3, [])
    items = _items(db)
    assert items[("SCJGJ", "特种设备使用单位检查")].category is ItemCategory.KEY
    assert items[("SCJGJ", "广告发布检查")].category is ItemCategory.GENERAL
    assert items[("SCJGJ", "电线电缆产品检查")].category is ItemCategory.KEY


def test_two_departments_in_one_cell_make_a_joint_item(db: Database, tmp_path: Path) -> None:
    add_members(db)
    rows = [
        ["抽查事项", "检查主体", "事项类别"],
        ["学校卫生检查", "教育、卫生健康部门", "一般检查事项"],
    ]
    import_registry(db, "items", write_xlsx(tmp_path / "a.xlsx", rows))
    assert _groups(db) == {"LH-JTJ-001": ["JTJ-001", "WJW-001"]}


def test_codes_follow_existing_ones_and_template_keeps_working(
    db: Database, tmp_path: Path
) -> None:
    add_items(db, add_departments(db))
    # Our own template with codes: exactly as before.
    rows = [
        ["事项编码", "事项名称", "实施部门", "事项类别", "抽查比例上限"],
        ["SJ-001", "食品经营者经营条件检查", "市场监管局", "重点检查事项", ""],
        ["SJ-009", "计量器具检查", "SJ", "一般检查事项", "5%"],
    ]
    report = import_registry(db, "items", write_xlsx(tmp_path / "t.xlsx", rows, title="清单"))
    assert (report.inserted, report.rejected) == (1, 0)
    # A published row without a code matches by department + name, a new one is numbered.
    rows = [
        ["抽查事项", "实施部门", "事项类别"],
        ["食品经营者经营条件检查", "市场监管部门", "重点"],
        ["眼镜制配场所检查", "市场监管部门", "一般"],
    ]
    report = import_registry(db, "items", write_xlsx(tmp_path / "p.xlsx", rows))
    assert (report.inserted, report.unchanged) == (1, 1)
    codes = {i.code for i in _items(db).values()}
    new = {c for c in codes if c.startswith("SJ-")} - {"SJ-001", "SJ-002", "SJ-009"}
    assert len(new) == 1 and new < {"SJ-003", "SJ-004", "SJ-005"}


def test_preview_and_columns_by_hand(db: Database, tmp_path: Path) -> None:
    add_members(db)
    rows = [
        ["抽查事项", "主管单位", "事项类别"],
        ["旅行社经营行为检查", "文化和旅游部门", "一般"],
    ]
    path = write_xlsx(tmp_path / "a.xlsx", rows, title="清单")
    with pytest.raises(WorkbookError, match="缺少必填列 “实施部门”"):
        import_registry(db, "items", path)
    # Header found once the department column is named; then the clerk moves a column.
    rows[0][1] = "部门"
    path = write_xlsx(tmp_path / "b.xlsx", rows, title="清单")
    preview = preview_import(ITEMS, path)
    assert [(c.letter, c.field) for c in preview.columns] == [
        ("A", "name"),
        ("B", "department"),
        ("C", "category"),
    ]
    assert preview.columns[1].samples == ("文化和旅游部门",)
    assert any("事项编码" in n for n in preview.notes)
    # Ignoring 事项类别 by hand: the item comes in as general, with a warning.
    report = import_registry(db, "items", path, columns={2: None})
    assert report.inserted == 1 and len(report.warnings) == 1
    assert "C 列“事项类别” → （不导入）" in report.columns


def test_import_needs_edit_registries(db: Database, tmp_path: Path) -> None:
    depts = add_members(db)
    path = joint_list(tmp_path / "a.xlsx")
    viewer = Principal(None, "v", "查看", frozenset({Role.VIEWER}), depts["SCJGJ"], "市场监管局")
    with acting_as(viewer), pytest.raises(PermissionDenied):
        import_registry(db, "items", path)
    # A planner of one department imports only that department's rows.
    planner = Principal(None, "p", "计划", frozenset({Role.PLANNER}), depts["WLJ"], "文化和旅游局")
    with acting_as(planner):
        report = import_registry(db, "items", path)
    assert report.inserted == 1 and report.rejected == 3
    assert set(_items(db)) == {("WLJ", "旅行社经营行为检查")}


def test_command_prints_the_understanding(db: Database, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    add_members(db)
    path = joint_list(tmp_path / "a.xlsx")
    out = tmp_path / "report.xlsx"
    code = main(["import", "items", str(path), "--db", db.url, "--report", str(out), "--json"])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert "    E 列“发起部门” → 实施部门" in lines
    assert json.loads(lines[-1]) == {
        "total": 4,
        "inserted": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "warnings": 3,
    }
    summary = [r for r in load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    assert ("列", "C 列“抽查事项” → 事项名称") in [tuple(r[:2]) for r in summary]
