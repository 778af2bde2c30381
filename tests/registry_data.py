"""Small registries for tests, written through the ORM."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.registry import InspectorStatus, ItemCategory
from app.domain.uscc import make_code
from app.models import Department, InspectionItem, Inspector, Target
from app.models.db import Database

DIVISIONS = ("371502", "371522", "371581")
NAMES = (
    "聊城市东昌府区鑫源商贸有限公司",
    "莘县宏达食品加工厂",
    "临清市鑫源五金经营部",
    "聊城市旺旺超市有限公司",
    "莘县百姓大药房",
    "东昌府区利民超市",
)


def target_code(n: int, division: str = "371502", kind: str = "1") -> str:
    return make_code(kind, division, f"{n:08d}")


def add_targets(db: Database, count: int) -> list[int]:
    """`count` targets cycling through names, divisions, statuses and risk classes."""
    risks = ("A", "B", "C", "D", None)
    statuses = ("存续", "存续", "在业", "注销")
    with db.session() as s:
        rows = []
        for n in range(count):
            division = DIVISIONS[n % len(DIVISIONS)]
            rows.append(
                Target(
                    uscc=target_code(n, division, "1" if n % 3 else "2"),
                    name=f"{NAMES[n % len(NAMES)]}{n:04d}",
                    legal_rep=None if n % 7 == 0 else f"法人{n % 13:02d}",
                    division_code=division,
                    entity_type="企业" if n % 3 else "个体工商户",
                    industry_code=f"F52{n % 4}",
                    industry_name=f"零售业{n % 4}",
                    reg_status=statuses[n % len(statuses)],
                    risk_class=risks[n % len(risks)],
                    founded_on=None if n % 5 == 0 else date(2010, 1, 1) + timedelta(days=n * 3),
                    tags=[],
                )
            )
        s.add_all(rows)
        s.flush()
        return [t.id for t in rows]


def add_departments(db: Database) -> dict[str, int]:
    with db.session() as s:
        depts = [
            Department(code="SJ", name="市场监管局", sort_order=1),
            Department(code="YJ", name="应急管理局", sort_order=2),
        ]
        s.add_all(depts)
        s.flush()
        return {d.code: d.id for d in depts}


def add_items(db: Database, departments: dict[str, int]) -> dict[str, int]:
    with db.session() as s:
        items = [
            InspectionItem(
                code="SJ-001",
                name="食品经营者经营条件检查",
                department_id=departments["SJ"],
                category=ItemCategory.KEY,
                ratio_cap_bp=None,
                legal_basis="《中华人民共和国食品安全法》第八十七条",
                methods=["实地核查", "书面检查"],
                target_type="食品经营者",
            ),
            InspectionItem(
                code="SJ-002",
                name="企业公示信息检查",
                department_id=departments["SJ"],
                category=ItemCategory.GENERAL,
                ratio_cap_bp=500,
                legal_basis="《企业信息公示暂行条例》第十四条",
                methods=["书面检查", "网络监测"],
                target_type="企业",
            ),
            InspectionItem(
                code="YJ-001",
                name="危险化学品经营许可检查",
                department_id=departments["YJ"],
                category=ItemCategory.GENERAL,
                ratio_cap_bp=1250,
                legal_basis="《危险化学品安全管理条例》",
                methods=["实地核查"],
                target_type="危险化学品经营企业",
            ),
        ]
        s.add_all(items)
        s.flush()
        return {i.code: i.id for i in items}


def add_inspector(
    db: Database,
    department_id: int,
    name: str = "张三",
    badge_no: str = "37150001",
    expires: date | None = None,
    status: InspectorStatus = InspectorStatus.ACTIVE,
) -> int:
    with db.session() as s:
        i = Inspector(
            name=name,
            department_id=department_id,
            badge_no=badge_no,
            badge_expires_on=expires or date.today() + timedelta(days=365),
            status=status,
            expertise=[],
        )
        s.add(i)
        s.flush()
        return i.id
