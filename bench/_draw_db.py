"""A large registry with one published joint task, for the draw benchmark."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from app.domain.planning import PlanKind, SamplingRule
from app.domain.registry import InspectorStatus, ItemCategory
from app.domain.uscc import make_code
from app.models.db import open_database
from app.models.registry import Department, InspectionItem, Inspector, Target
from app.services.plans import planning
from app.services.plans.values import PlanSpec, TaskSpec

DIVISIONS = ("371502", "371503", "371521", "371522", "371524", "371525", "371526", "371581")
TRADES = ("商贸", "餐饮", "建材", "农资", "食品", "五金", "副食品", "物流", "医药", "粮油")
SUFFIXES = ("有限公司", "有限责任公司", "经营部", "专业合作社", "便利店", "超市")
SURNAMES = "王张李刘杨赵孙陈徐马高朱郭于宋韩董田"
GIVEN = ("伟", "芳", "建国", "志强", "海燕", "晓东", "秀英", "玉兰", "文杰", "红霞", "子涵")
BATCH = 50_000
TASK_CODE = "LC-LH-2026-001"


def build_registry(path: Path | str, targets: int, on: date) -> None:
    """A registry of `targets` enterprises and a filed joint plan, in a SQLite file or at a URL."""
    rng = random.Random(20260401)
    db = open_database(path if isinstance(path, str) else f"sqlite:///{path}")
    with db.session() as s:
        sc = Department(code="SCJGJ", name="市场监督管理局", sort_order=1)
        yj = Department(code="YJJ", name="应急管理局", sort_order=2)
        food = InspectionItem(
            code="SCJG-01",
            name="食品销售者落实食品安全主体责任检查",
            department=sc,
            category=ItemCategory.KEY,
            ratio_cap_bp=None,
        )
        safety = InspectionItem(
            code="YJ-01",
            name="安全生产条件检查",
            department=yj,
            category=ItemCategory.GENERAL,
            ratio_cap_bp=1000,
        )
        s.add_all([sc, yj, food, safety])
        for k in range(300):
            dept, item = (sc, food) if k % 2 == 0 else (yj, safety)
            s.add(
                Inspector(
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    department=dept,
                    badge_no=f"37150220{k:07d}",
                    badge_expires_on=date(on.year + 3, 12, 31),
                    district_code=DIVISIONS[k % len(DIVISIONS)],
                    status=InspectorStatus.ACTIVE,
                    phone=f"139{k:08d}",
                    qualifications=[item],
                )
            )
    rows = []
    with db.session() as s:
        for i in range(targets):
            division = DIVISIONS[i % len(DIVISIONS)]
            rows.append(
                {
                    "uscc": make_code("1", division, f"{i:08d}"),
                    "name": f"聊城市{rng.choice(TRADES)}{i}{rng.choice(SUFFIXES)}",
                    "division_code": division,
                    "entity_type": "企业",
                    "reg_status": "存续",
                    "risk_class": "ABBCD"[i % 5],
                    "phone": f"138{i:08d}",
                    "tags": [],
                    "version": 1,
                }
            )
            if len(rows) == BATCH:
                s.execute(insert(Target), rows)
                rows = []
        if rows:
            s.execute(insert(Target), rows)
    year = 2026
    planning.create_plan(
        db,
        PlanSpec(
            code=f"LC-LH-{year}",
            year=year,
            title=f"聊城市{year}年度部门联合双随机抽查工作计划",
            kind=PlanKind.JOINT,
            lead_department="SCJGJ",
            departments=("SCJGJ", "YJJ"),
        ),
    )
    planning.save_task(
        db,
        f"LC-LH-{year}",
        TaskSpec(
            code=TASK_CODE,
            title="食品销售与安全生产联合抽查（全市）",
            item_codes=("SCJG-01", "YJ-01"),
            departments={"SCJGJ": 1, "YJJ": 1},
            rules=(
                SamplingRule("A", ratio_bp=300),
                SamplingRule("B", ratio_bp=500),
                SamplingRule("C", ratio_bp=1000),
                SamplingRule("D", count=400),
            ),
            planned_start=date(year, 4, 1),
            planned_end=date(year, 6, 30),
            team_size=2,
        ),
    )
    planning.file_plan(db, f"LC-LH-{year}", on=date(year, 1, 10))
    planning.publish_plan(db, f"LC-LH-{year}")
    db.dispose()
