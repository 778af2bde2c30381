"""Fill an empty database with believable demo data for 聊城市, in one transaction.

The item list, departments, inspectors and recusals go through the ORM (a
few thousand rows, each audited by the flush hook); the target registry, up
to a million rows, is inserted in chunks with executemany and audited as one
summary entry. On SQLite the rows go to the driver as ready tuples, and
app/services/registry/bulk_load.py sets the table's secondary indexes and search
trigger aside during the load and rebuilds them once at the end, as for an
import: maintaining them row by row made a million rows take over a minute,
building them in one pass takes seconds. All of it is in the fill's
transaction, so a failure leaves the schema as it was.

Everything is drawn from `random.Random` streams seeded from `seed`, one
stream per part, so a different target count leaves the inspectors unchanged.
Dates that must stay meaningful (badge expiry, recusal dates, last
inspections) are relative to `today`; pass it to get byte-identical data.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.domain.divisions import CITY_CODE, COUNTIES
from app.domain.errors import InvalidInput, UserError
from app.domain.registry import InspectorStatus
from app.models.base import table_of
from app.models.db import Database
from app.models.registry import (
    Checkpoint,
    Department,
    InspectionGuide,
    InspectionItem,
    Inspector,
    JointItemGroup,
    Recusal,
    Target,
)
from app.services.access import audit
from app.services.demo.items import DEPARTMENTS, EXPERTISE, ITEMS, JOINT_GROUPS
from app.services.demo.plans import fill_demo_plans
from app.services.demo.targets import (
    COLUMNS,
    MAX_TARGETS,
    PersonNames,
    Picker,
    TargetGenerator,
    mobile,
)
from app.services.registry.bulk_load import TargetBulkLoad

Progress = Callable[[int, int], None]

CHUNK_SIZE = 50_000
# 市场监管局 carries most random inspections, so it has the most inspectors.
INSPECTORS_PER_DEPARTMENT: dict[str, int] = {"SCJGJ": 108, "YJJ": 20, "SHJ": 16, "WJW": 16}
DEFAULT_INSPECTORS = 12
STATUS_WEIGHTS = (
    (InspectorStatus.ACTIVE, 88),
    (InspectorStatus.SECONDED, 5),
    (InspectorStatus.AWAY, 4),
    (InspectorStatus.RETIRED, 3),
)
RECUSAL_REASONS = (
    "与该单位法定代表人系近亲属关系",
    "曾在该单位任职",
    "配偶在该单位任职",
    "与该单位存在经济利益关系",
    "曾参与该单位的行政许可审批",
)
RECUSALS = 36


class DemoRefused(UserError, RuntimeError):
    """The database already holds data; str() is a Chinese message for the user."""


@dataclass(frozen=True)
class DemoSummary:
    departments: int
    items: int
    checkpoints: int
    joint_groups: int
    targets: int
    inspectors: int
    qualifications: int
    recusals: int
    seconds: float


def _count(s: Session, model: type) -> int:
    return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def _refuse_if_not_empty(s: Session) -> None:
    counts = {
        "个部门": _count(s, Department),
        "项抽查事项": _count(s, InspectionItem),
        "个检查对象": _count(s, Target),
        "名执法检查人员": _count(s, Inspector),
    }
    present = [f"{n:,} {what}" for what, n in counts.items() if n]
    if present:
        raise DemoRefused(
            f"数据库中已有数据（{'、'.join(present)}），演示数据只能填入空数据库，未做任何修改。"
            "请用 --db 指定一个空数据库后再运行。"
        )


def _fill_item_list(s: Session) -> tuple[dict[str, Department], dict[str, list[InspectionItem]]]:
    depts = {
        code: Department(code=code, name=name, sort_order=i)
        for i, (code, name) in enumerate(DEPARTMENTS, start=1)
    }
    s.add_all(depts.values())
    by_dept: dict[str, list[InspectionItem]] = {code: [] for code in depts}
    by_name: dict[tuple[str, str], InspectionItem] = {}
    for d in ITEMS:
        item = InspectionItem(
            code=d.code,
            name=d.name,
            department=depts[d.department],
            category=d.category,
            ratio_cap_bp=d.ratio_cap_bp,
            legal_basis=d.legal_basis,
            methods=list(d.methods),
            target_type=d.target_type,
            joint_allowed=d.joint_allowed,
        )
        item.guide = InspectionGuide(
            procedure=d.procedure,
            checkpoints=[
                Checkpoint(position=i, text=text, basis=basis)
                for i, (text, basis) in enumerate(d.checkpoints, start=1)
            ],
        )
        s.add(item)
        by_dept[d.department].append(item)
        by_name[(d.department, d.name)] = item
    for code, name, members in JOINT_GROUPS:
        s.add(JointItemGroup(code=code, name=name, items=[by_name[m] for m in members]))
    s.flush()
    return depts, by_dept


def _fill_targets(
    s: Session, count: int, seed: int, today: date, progress: Progress | None
) -> TargetGenerator:
    conn = s.connection()
    sqlite = conn.dialect.name == "sqlite"
    gen = TargetGenerator(seed, today, sqlite_values=sqlite)
    if progress:
        progress(0, count)
    done = 0
    if sqlite:
        sql = f"INSERT INTO targets ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        # 256 MiB of page cache: the unique index on uscc still takes random inserts.
        with TargetBulkLoad(s, cache_mib=256).loading(count):
            for chunk in gen.chunks(count, CHUNK_SIZE):
                conn.exec_driver_sql(sql, chunk)
                done += len(chunk)
                if progress:
                    progress(done, count)
    else:
        stmt = insert(table_of(Target))
        for chunk in gen.chunks(count, CHUNK_SIZE):
            s.execute(stmt, [dict(zip(COLUMNS, row, strict=True)) for row in chunk])
            done += len(chunk)
            if progress:
                progress(done, count)
    audit.record(
        s, "import", "targets", None, None, {"rows": count, "source": "demo", "seed": seed}
    )
    return gen


def _fill_inspectors(
    s: Session,
    depts: dict[str, Department],
    items: dict[str, list[InspectionItem]],
    seed: int,
    today: date,
) -> list[Inspector]:
    rng = random.Random(f"{seed}:inspectors")
    person = PersonNames()
    status = Picker(STATUS_WEIGHTS)
    counties = list(COUNTIES)
    inspectors: list[Inspector] = []
    seq = 0
    for code, dept in depts.items():
        n = INSPECTORS_PER_DEPARTMENT.get(code, DEFAULT_INSPECTORS)
        for k in range(n):
            # Spread over the city bureau and every county so cross-district
            # teams (异地交叉检查) can be formed for any target.
            district = CITY_CODE if k % 5 == 0 else counties[k % len(counties)]
            roll = rng.random()
            if roll < 0.05:  # expired: shows the rule that such badges are not drawn
                expires = today - timedelta(days=rng.randint(1, 400))
            elif roll < 0.08:  # expiring within the month
                expires = today + timedelta(days=rng.randint(0, 30))
            else:
                expires = today + timedelta(days=rng.randint(31, 1800))
            seq += 1
            issued = max(expires.year - 5, 2015)
            own = items[code]
            quals = [i for i in own if rng.random() < 0.7] or [rng.choice(own)]
            spec = EXPERTISE[code]
            inspectors.append(
                Inspector(
                    name=person(rng),
                    department=dept,
                    # 执法证号: district, year of issue, running number.
                    badge_no=f"{district}{issued}{seq:04d}",
                    badge_expires_on=expires,
                    expertise=rng.sample(spec, rng.randint(1, min(3, len(spec)))),
                    district_code=district,
                    status=status(rng),
                    phone=mobile(rng),
                    qualifications=quals,
                )
            )
    s.add_all(inspectors)
    s.flush()
    return inspectors


def _fill_recusals(
    s: Session, inspectors: list[Inspector], gen: TargetGenerator, seed: int, today: date
) -> int:
    """A few 回避 records between inspectors and targets of their own district."""
    rng = random.Random(f"{seed}:recusals")
    counts = gen.division_counts
    candidates = [i for i in inspectors if counts.get(i.district_code or "", 0)]
    pairs: set[tuple[int, int]] = set()
    for inspector in rng.sample(candidates, min(RECUSALS, len(candidates))):
        district = inspector.district_code or ""
        offset = rng.randrange(counts[district])
        target_id = s.execute(
            select(Target.id)
            .where(Target.division_code == district)
            .order_by(Target.id)
            .offset(offset)
            .limit(1)
        ).scalar_one()
        if (inspector.id, target_id) in pairs:
            continue
        pairs.add((inspector.id, target_id))
        s.add(
            Recusal(
                inspector_id=inspector.id,
                target_id=target_id,
                reason=rng.choice(RECUSAL_REASONS),
                recorded_on=today - timedelta(days=rng.randint(0, 720)),
            )
        )
    s.flush()
    return len(pairs)


def fill_demo(
    db: Database,
    targets: int = 20_000,
    seed: int = 2026,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> DemoSummary:
    """Fill an empty database; raise DemoRefused (nothing changed) if it is not empty."""
    if not 0 <= targets <= MAX_TARGETS:
        raise InvalidInput(f"检查对象数量应在 0 到 {MAX_TARGETS:,} 之间，实际为 {targets:,}")
    today = today or date.today()
    started = time.perf_counter()
    with db.session() as s:
        _refuse_if_not_empty(s)
        depts, items = _fill_item_list(s)
        gen = _fill_targets(s, targets, seed, today, progress)
        inspectors = _fill_inspectors(s, depts, items, seed, today)
        recusals = _fill_recusals(s, inspectors, gen, seed, today)
        fill_demo_plans(s, today)
    return DemoSummary(
        departments=len(depts),
        items=len(ITEMS),
        checkpoints=sum(len(d.checkpoints) for d in ITEMS),
        joint_groups=len(JOINT_GROUPS),
        targets=targets,
        inspectors=len(inspectors),
        qualifications=sum(len(i.qualifications) for i in inspectors),
        recusals=recusals,
        seconds=time.perf_counter() - started,
    )
