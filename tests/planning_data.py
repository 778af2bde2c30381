"""A small, fully known registry for the planning tests, and task/plan specs over it.

Targets are generated from their index so that a test can recount any scope
in Python and compare with what the services computed in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import insert, select

from app.domain.planning import PlanKind, SamplingRule
from app.domain.registry import InspectorStatus, ItemCategory
from app.domain.uscc import make_code
from app.models.db import Database
from app.models.registry import Department, InspectionItem, Inspector, Recusal, Target
from app.services.plans.values import PlanSpec, Scope, TaskSpec

TODAY = date(2026, 1, 10)
DIVISIONS = ("371502", "371503", "371521")
ENTITY_TYPES = ("企业", "个体工商户", "农民专业合作社")
INDUSTRIES = ("F5211", "H6210", "C1391", "F5223")
RISKS = ("A", "A", "B", "B", "C", "D", None)
STATUSES = ("存续", "存续", "在业", "存续", "注销", "存续", "开业", "吊销", "存续")
N_TARGETS = 420

DEPARTMENTS = (("SCJGJ", "市场监管局", 13), ("YJJ", "应急局", 12), ("WJW", "卫生健康委", 11))
ITEMS = (
    # code, dept, name, key?, cap, joint_allowed
    ("SCJG-01", "SCJGJ", "食品销售者落实食品安全主体责任检查", True, None, True),
    ("SCJG-02", "SCJGJ", "广告发布行为检查", False, 500, True),
    ("SCJG-03", "SCJGJ", "产品质量监督抽查", False, 300, True),
    ("YJ-01", "YJJ", "安全生产条件检查", False, 1000, True),
    ("WJ-01", "WJW", "公共场所卫生检查", False, 800, True),
    ("WJ-02", "WJW", "放射诊疗许可检查", False, 800, False),
)


@dataclass(frozen=True)
class TargetRow:
    id: int
    uscc: str
    division: str
    entity_type: str
    industry: str
    reg_status: str
    risk: str | None
    founded_on: date
    tags: tuple[str, ...]

    @property
    def active(self) -> bool:
        return self.reg_status in ("存续", "在业", "开业")

    @property
    def stratum(self) -> str:
        return self.risk or "未分类"


def target_rows() -> list[TargetRow]:
    rows = []
    for i in range(N_TARGETS):
        division = DIVISIONS[i % 3]
        etype = ENTITY_TYPES[(i // 3) % 3]
        kind = {"企业": "1", "个体工商户": "2", "农民专业合作社": "3"}[etype]
        rows.append(
            TargetRow(
                id=i + 1,
                uscc=make_code(kind, division, f"{i + 1:08d}"),
                division=division,
                entity_type=etype,
                industry=INDUSTRIES[(i // 2) % 4],
                reg_status=STATUSES[i % 9],
                risk=RISKS[(i // 5) % 7],
                founded_on=date(2000, 1, 1) + timedelta(days=37 * i),
                tags=("食品经营",)
                if i % 4 == 0
                else (("特种设备使用单位", "食品经营") if i % 10 == 1 else ()),
            )
        )
    return rows


@dataclass(frozen=True)
class InspectorDef:
    name: str
    dept: str
    badge: str
    district: str | None
    status: InspectorStatus
    expires: date | None
    items: tuple[str, ...]


INSPECTORS = (
    InspectorDef(
        "张明",
        "SCJGJ",
        "371502201900001",
        "371502",
        InspectorStatus.ACTIVE,
        date(2028, 1, 1),
        ("SCJG-01", "SCJG-02", "SCJG-03"),
    ),
    InspectorDef(
        "李娜",
        "SCJGJ",
        "371502201900002",
        "371502",
        InspectorStatus.ACTIVE,
        date(2028, 1, 1),
        ("SCJG-01", "SCJG-02"),
    ),
    InspectorDef(
        "王强",
        "SCJGJ",
        "371503201900003",
        "371503",
        InspectorStatus.ACTIVE,
        date(2027, 6, 30),
        ("SCJG-01", "SCJG-02", "SCJG-03"),
    ),
    InspectorDef(
        "赵敏",
        "SCJGJ",
        "371521201900004",
        "371521",
        InspectorStatus.ACTIVE,
        date(2025, 12, 31),
        ("SCJG-01", "SCJG-02", "SCJG-03"),
    ),
    InspectorDef(
        "刘洋",
        "SCJGJ",
        "371521201900005",
        "371521",
        InspectorStatus.RETIRED,
        date(2028, 1, 1),
        ("SCJG-01", "SCJG-02", "SCJG-03"),
    ),
    InspectorDef(
        "陈静",
        "SCJGJ",
        "371521201900006",
        "371521",
        InspectorStatus.ACTIVE,
        date(2028, 1, 1),
        ("SCJG-01", "SCJG-03"),
    ),
    InspectorDef(
        "孙伟",
        "YJJ",
        "371502202000101",
        "371502",
        InspectorStatus.ACTIVE,
        date(2028, 1, 1),
        ("YJ-01",),
    ),
    InspectorDef(
        "周丽",
        "YJJ",
        "371503202000102",
        "371503",
        InspectorStatus.SECONDED,
        date(2028, 1, 1),
        ("YJ-01",),
    ),
    InspectorDef(
        "吴刚", "YJJ", "应急执法 0103", None, InspectorStatus.ACTIVE, date(2028, 1, 1), ("YJ-01",)
    ),
    InspectorDef(
        "郑洁",
        "WJW",
        "371502202100201",
        "371502",
        InspectorStatus.ACTIVE,
        date(2028, 1, 1),
        ("WJ-01",),
    ),
    InspectorDef(
        "冯军", "WJW", "371503202100202", "371503", InspectorStatus.ACTIVE, None, ("WJ-01",)
    ),
    InspectorDef(
        "何芳", "WJW", "371521202100203", "371521", InspectorStatus.ACTIVE, date(2028, 1, 1), ()
    ),
)
# (inspector badge, target index): 回避
RECUSALS = (("371502201900001", 0), ("371502202000101", 3), ("371503201900003", 1))


def seed_registry(db: Database) -> list[TargetRow]:
    rows = target_rows()
    with db.session() as s:
        depts = {c: Department(code=c, name=n, sort_order=o) for c, n, o in DEPARTMENTS}
        s.add_all(depts.values())
        items = {}
        for code, dept, name, key, cap, joint in ITEMS:
            items[code] = InspectionItem(
                code=code,
                name=name,
                department=depts[dept],
                category=ItemCategory.KEY if key else ItemCategory.GENERAL,
                ratio_cap_bp=cap,
                joint_allowed=joint,
            )
        s.add_all(items.values())
        s.flush()
        s.execute(
            insert(Target),
            [
                {
                    "uscc": r.uscc,
                    "name": f"聊城市测试商贸{r.id}有限公司",
                    "division_code": r.division,
                    "entity_type": r.entity_type,
                    "industry_code": r.industry,
                    "reg_status": r.reg_status,
                    "risk_class": r.risk,
                    "founded_on": r.founded_on,
                    "tags": list(r.tags),
                    "version": 1,
                }
                for r in rows
            ],
        )
        inspectors = {}
        for d in INSPECTORS:
            inspectors[d.badge] = Inspector(
                name=d.name,
                department=depts[d.dept],
                badge_no=d.badge,
                badge_expires_on=d.expires,
                district_code=d.district,
                status=d.status,
                qualifications=[items[c] for c in d.items],
            )
        s.add_all(inspectors.values())
        s.flush()
        ids = dict(s.execute(select(Target.uscc, Target.id)).all())
        for badge, index in RECUSALS:
            s.add(
                Recusal(
                    inspector_id=inspectors[badge].id,
                    target_id=ids[rows[index].uscc],
                    reason="近亲属",
                    recorded_on=TODAY,
                )
            )
    return rows


def joint_plan(code: str = "LC-LH-2026", year: int = 2026) -> PlanSpec:
    return PlanSpec(
        code=code,
        year=year,
        title=f"聊城市{year}年度部门联合双随机抽查工作计划",
        kind=PlanKind.JOINT,
        lead_department="SCJGJ",
        departments=("SCJGJ", "YJJ", "WJW"),
    )


def joint_task(code: str = "LC-LH-2026-001", **changes: object) -> TaskSpec:
    spec = TaskSpec(
        code=code,
        title="餐饮场所食品安全、消防安全与公共卫生联合检查",
        item_codes=("SCJG-01", "WJ-01", "YJ-01"),
        departments={"SCJGJ": 1, "YJJ": 1, "WJW": 1},
        rules=(
            SamplingRule("A", ratio_bp=300),
            SamplingRule("B", ratio_bp=500),
            SamplingRule("C", ratio_bp=800),
            SamplingRule("D", count=3),
        ),
        planned_start=date(2026, 4, 1),
        planned_end=date(2026, 6, 30),
        team_size=3,
    )
    return replace(spec, **changes)  # type: ignore[arg-type]


def single_task(code: str = "LC-SCJGJ-2026-001", **changes: object) -> TaskSpec:
    spec = TaskSpec(
        code=code,
        title="广告发布行为随机抽查",
        item_codes=("SCJG-02",),
        departments={"SCJGJ": 2},
        rules=(SamplingRule("A", ratio_bp=200), SamplingRule("B", ratio_bp=300)),
        planned_start=date(2026, 5, 1),
        planned_end=date(2026, 8, 31),
        scope=Scope(divisions=("371502",)),
    )
    return replace(spec, **changes)  # type: ignore[arg-type]
