"""Inspectors, items with guides and recusals: import rules, export, and the round trip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.registry import InspectorStatus, ItemCategory
from app.excel.templates import KINDS, TEMPLATES
from app.models import Checkpoint, InspectionGuide, InspectionItem, Inspector, Recusal
from app.models.db import Database
from app.services.registry.export import EXPORT_FIELDS, export_registry
from app.services.registry.imports.engine import import_registry
from tests.registry_data import (
    add_departments,
    add_inspector,
    add_items,
    add_targets,
    target_code,
)
from tests.xlsx_files import read_back, write_xlsx


def _inspectors(db: Database) -> dict[str, Inspector]:
    with db.session() as s:
        stmt = select(Inspector).options(selectinload(Inspector.qualifications))
        return {i.badge_no: i for i in s.scalars(stmt)}


def _items(db: Database) -> dict[str, InspectionItem]:
    with db.session() as s:
        stmt = select(InspectionItem).options(
            selectinload(InspectionItem.guide).selectinload(InspectionGuide.checkpoints)
        )
        return {i.code: i for i in s.scalars(stmt)}


def test_export_columns_are_the_template_columns() -> None:
    for kind in KINDS:
        assert EXPORT_FIELDS[kind] == tuple(c.field for c in TEMPLATES[kind].template_columns)


def test_inspectors(db: Database, tmp_path: Path) -> None:
    add_items(db, add_departments(db))
    rows = [
        ["姓名", "部门", "执法证件号", "有效期至", "执法资质", "专长", "所属区划", "人员状态",
         "电话"],
        ["张三", "市场监管局", "鲁 3715001", "2027/6/30", "SJ-001、sj-002，XX-9", "食品", 371502,
         "在职", 13800000000],
        ["李四", "YJ", "3715002", "", "", "", "", "出差", ""],
        ["王五", "卫健委", "3715003", "", "", "", "", "", ""],
        ["赵六", "市场监管局", "鲁3715001", "", "", "", "", "", ""],
        ["", "市场监管局", "3715004", "", "", "", "", "", ""],
    ]  # fmt: skip
    report = import_registry(db, "inspectors", write_xlsx(tmp_path / "人员.xlsx", rows))
    assert (report.total, report.inserted, report.rejected) == (5, 2, 3)
    reasons = {i.row: i.reason for i in report.rejections}
    assert "部门“卫健委”不在部门列表中" in reasons[4]
    assert reasons[5] == "执法证号 鲁3715001 与第 2 行重复"
    assert reasons[6] == "姓名为空"
    assert [w.column for w in report.warnings] == ["E 列“执法资质”", "H 列“人员状态”"]
    assert "XX-9" in report.warnings[0].reason
    got = _inspectors(db)
    zhang, li = got["鲁3715001"], got["3715002"]
    assert zhang.badge_expires_on == date(2027, 6, 30) and zhang.district_code == "371502"
    assert sorted(q.code for q in zhang.qualifications) == ["SJ-001", "SJ-002"]
    assert (zhang.status, zhang.phone, zhang.expertise) == (
        InspectorStatus.ACTIVE, "13800000000", ["食品"]
    )  # fmt: skip
    assert li.status is InspectorStatus.AWAY  # unknown status: never drawable by mistake

    rows[1][4] = "SJ-001"
    again = import_registry(db, "inspectors", write_xlsx(tmp_path / "b.xlsx", rows[:3]))
    assert (again.updated, again.unchanged) == (1, 1)
    assert [q.code for q in _inspectors(db)["鲁3715001"].qualifications] == ["SJ-001"]


def test_items_with_guides(db: Database, tmp_path: Path) -> None:
    add_departments(db)
    rows = [
        ["事项编码", "事项名称", "实施部门", "事项类别", "抽查比例上限", "检查依据", "检查方式",
         "检查对象", "可联合抽查", "检查程序", "检查要点"],
        ["SJ-101", "食品生产检查", "市场监管局", "重点检查事项", "5%", "《食品安全法》",
         "现场检查、书面检查", "食品生产企业", "否", "先查证照",
         "1. 许可证｜第三十五条\n   在有效期内\n2. 台账"],
        ["SJ-102", "广告检查", "SJ", "一般", 0.0525, "", "网络监测、飞行检查", "", "", "", ""],
        ["SJ-103", "计量检查", "市场监管局", "一般", "5.125%", "", "", "", "也许", "", ""],
        ["SJ-104", "特设检查", "市场监管局", "其他", "", "", "", "", "", "", ""],
    ]  # fmt: skip
    report = import_registry(db, "items", write_xlsx(tmp_path / "事项.xlsx", rows))
    assert (report.inserted, report.rejected) == (3, 1)
    assert "事项类别“其他”无法识别" in report.rejections[0].reason
    warned = [(w.row, w.column.split("“")[1].rstrip("”")) for w in report.warnings]
    assert warned == [(2, "抽查比例上限"), (3, "检查方式"), (4, "抽查比例上限"), (4, "可联合抽查")]
    items = _items(db)
    key = items["SJ-101"]
    assert (key.category, key.ratio_cap_bp, key.joint_allowed) == (ItemCategory.KEY, None, False)
    assert key.methods == ["实地核查", "书面检查"]
    assert key.guide is not None and key.guide.procedure == "先查证照"
    assert [(c.position, c.text, c.basis) for c in key.guide.checkpoints] == [
        (1, "许可证", "第三十五条\n   在有效期内"),
        (2, "台账", ""),
    ]
    assert items["SJ-102"].ratio_cap_bp == 525 and items["SJ-102"].methods == ["网络监测"]
    assert items["SJ-103"].ratio_cap_bp is None and items["SJ-103"].joint_allowed is True

    rows[1][10] = "1. 许可证｜第三十五条\n   在有效期内"  # one checkpoint fewer
    again = import_registry(db, "items", write_xlsx(tmp_path / "b.xlsx", rows[:3]))
    assert (again.updated, again.unchanged) == (1, 1)
    assert len(_items(db)["SJ-101"].guide.checkpoints) == 1  # type: ignore[union-attr]


def test_recusals(db: Database, tmp_path: Path) -> None:
    depts = add_departments(db)
    add_inspector(db, depts["SJ"], badge_no="3715001")
    add_targets(db, 2)
    rows = [
        ["执法证号", "统一社会信用代码", "回避事由", "登记日期"],
        ["3715001", target_code(1, "371522", "1"), "近亲属任职", "2026-01-05"],
        ["3715001", target_code(0, "371502", "2").lower(), "曾任法律顾问", ""],
        ["3715009", target_code(1, "371522", "1"), "x", ""],
        ["3715001", target_code(77), "x", ""],
        ["3715001", target_code(1, "371522", "1"), "重复", ""],
    ]
    report = import_registry(db, "recusals", write_xlsx(tmp_path / "回避.xlsx", rows))
    assert (report.inserted, report.rejected) == (2, 3)
    reasons = sorted(i.reason for i in report.rejections)
    assert "执法证号 3715009 不在执法检查人员名录中" in reasons
    assert f"统一社会信用代码 {target_code(77)} 不在检查对象名录中" in reasons
    assert (
        f"执法证号 3715001 与统一社会信用代码 {target_code(1, '371522', '1')} 的回避与第 2 行重复"
        in reasons
    )
    with db.session() as s:
        dates = sorted(r.recorded_on for r in s.scalars(select(Recusal)))
    assert dates == [date(2026, 1, 5), date.today()]
    again = import_registry(db, "recusals", write_xlsx(tmp_path / "b.xlsx", rows[:2]))
    assert again.unchanged == 1


def _fill_everything(db: Database) -> None:
    depts = add_departments(db)
    items = add_items(db, depts)
    add_targets(db, 40)
    inspector = add_inspector(db, depts["SJ"], badge_no="3715001")
    add_inspector(db, depts["YJ"], name="李四", badge_no="3715002", status=InspectorStatus.RETIRED)
    with db.session() as s:
        person = s.get(Inspector, inspector)
        assert person is not None
        person.qualifications = [s.get(InspectionItem, i) for i in items.values()]  # type: ignore[misc]
        person.expertise = ["食品", "特种设备"]
        item = s.get(InspectionItem, items["SJ-001"])
        assert item is not None
        item.guide = InspectionGuide(
            procedure="一、查证照\n二、查现场",
            checkpoints=[
                Checkpoint(position=1, text="许可证在有效期内", basis="《食品安全法》第三十五条"),
                Checkpoint(position=2, text="从业人员健康证明\n（每年一次）", basis=""),
            ],
        )
        target_ids = s.scalars(select(Recusal.target_id)).all()
        assert target_ids == []
        s.add(
            Recusal(
                inspector_id=inspector, target_id=1, reason="近亲属", recorded_on=date(2026, 1, 2)
            )
        )


@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(db: Database, tmp_path: Path, kind: str) -> None:
    _fill_everything(db)
    path = tmp_path / f"{kind}.xlsx"
    count = export_registry(db, kind, path)
    assert count > 0
    assert read_back(path)[0] == TEMPLATES[kind].headers
    report = import_registry(db, kind, path)
    assert report.summary() == {
        "total": count, "inserted": 0, "updated": 0, "unchanged": count,
        "rejected": 0, "warnings": 0,
    }  # fmt: skip
