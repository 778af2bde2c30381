"""Workbooks laid out as bureaus publish item lists and plans, written with openpyxl."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from app.models import Department
from app.models.db import Database

# Member departments named as a county names them (codes as our registry has them).
MEMBERS = (
    ("JTJ", "教育体育局"),
    ("GAJ", "公安局"),
    ("JTYSJ", "交通运输局"),
    ("SCJGJ", "市场监管局"),
    ("WJW", "卫生健康委"),
    ("WLJ", "文化和旅游局"),
)

SCHOOL_BUS = "校车安全管理机制事项：1.建立校车安全管理制度；2.落实校车驾驶人管理；3.校车定期检验。"


def add_members(db: Database) -> dict[str, int]:
    with db.session() as s:
        depts = [Department(code=c, name=n, sort_order=i) for i, (c, n) in enumerate(MEMBERS)]
        s.add_all(depts)
        s.flush()
        return {d.code: d.id for d in depts}


def joint_list(path: Path, *, unknown: bool = True) -> Path:
    """序号, 抽查领域 (merged over two items), 抽查事项, 检查对象, 发起部门, 配合部门, 抽查层级;
    a title row above and a note under the table."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某县2026年部门联合抽查事项清单"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "抽查领域", "抽查事项", "检查对象", "发起部门", "配合部门", "抽查层级"])
    ws.append([1, "学校安全", SCHOOL_BUS, "学校", "教育部门", "公安、交通运输部门", "县级"])
    ws.append([2, None, "学校食堂食品安全检查", "学校食堂", "市场监管部门", "教育、卫生健康部门",
               "县级"])  # fmt: skip
    ws.merge_cells("B3:B4")
    ws.append([3, "文化旅游", "旅行社经营行为检查", "旅行社", "文化和旅游部门", "", "县级"])
    if unknown:
        ws.append([4, "消防", "娱乐场所消防检查", "娱乐场所", "火星部门", "", "县级"])
    ws.append(["注：本清单由县人民政府办公室发布，自发布之日起施行。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
    wb.save(path)
    return path


def national_list(path: Path) -> Path:
    """抽查类别, 抽查事项, 检查对象, 事项类别, 检查方式, 检查主体, 抽查依据."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["市场监管部门随机抽查事项清单（第一版）"])
    ws.merge_cells("A1:G1")
    ws.append(["抽查类别", "抽查事项", "检查对象", "事项类别", "检查方式", "检查主体", "抽查依据"])
    ws.append(["食品安全", "食品生产企业监督检查", "食品生产企业", "重点检查事项",
               "实地核查、书面检查", "市场监管部门", "《中华人民共和国食品安全法》"])  # fmt: skip
    ws.append([None, "食品销售者监督检查", "食品销售者", "", "实地核查", "市场监管部门",
               "《中华人民共和国食品安全法》"])  # fmt: skip
    ws.merge_cells("A3:A4")
    ws.append(["卫生", "公共场所卫生检查", "公共场所", "一般", "实地核查", "卫生健康部门",
               "《公共场所卫生管理条例》"])  # fmt: skip
    wb.save(path)
    return path


def plan_table(path: Path) -> Path:
    """序号, 检查主体, 年度计划名称, 计划开展时间, 股室, 抽查比例, 抽查频次, 抽查数量."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某县市场监督管理局2026年度双随机抽查工作计划"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "检查主体", "年度计划名称", "计划开展时间", "股室", "抽查比例",
               "抽查频次", "抽查数量"])  # fmt: skip
    ws.append([1, "市场监管部门", "学校食堂食品安全检查", "1月—12月", "食品股", "5%", "1次", ""])
    ws.append([2, "文化和旅游部门", "旅行社经营行为检查", "3-6月", "", "", "2次", "2户"])
    ws.append([3, "市场监管局", "食堂安全检查", "第三季度", "", "3%", "", ""])
    ws.append([4, "火星局", "外星检查", "全年", "", "3%", "", ""])
    ws.append(["注：抽查比例不超过5%"])
    wb.save(path)
    return path
