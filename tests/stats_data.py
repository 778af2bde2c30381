"""A small year of inspections with hand-counted figures, for the statistics tests.

Written straight through the ORM (no draw ceremony): what matters here is the
counting, and every number below is counted by hand in the test module.

2026, random inspections i1–i6 (task T1 drawn in attempt a1, T2 joint):
  i1 t1 A  T1  SJ-001 01, SJ-002 01   entered 04-12, due 05-08  on time
  i2 t3 B* T1  SJ-001 05!, SJ-002 01  entered 05-20, due 05-13  late, problem
  i3 t5 D  T1  SJ-001 01, SJ-002 —    due 07-28                 overdue on 08-01
  i4 t1 A  T2  SJ-001 01, YJ-001 02!  entered 05-06, due 06-02  on time, problem
  i5 t4 C  T2  SJ-001 07, YJ-001 01   entered 05-11, due 06-08  on time
  i6 t6 —  T2  SJ-001 01, YJ-001 01   entered 06-02, due 07-29  on time
  (* t3 was drawn as B and is C in the registry today)
i7: a case inspection of t1 by YJ (06, a problem); i8: 2025 (T5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from registry_data import add_departments, add_inspector, add_items, target_code
from sqlalchemy import select

from app.domain.planning import PlanKind, PlanState
from app.models.db import Database
from app.models.draws import DrawAttempt, DrawTarget
from app.models.inspections import Inspection, InspectionMember, InspectionResult
from app.models.plans import AnnualPlan, SamplingTask, TaskDepartment, TaskSamplingRule
from app.models.registry import Department, Target

TODAY = date(2026, 8, 1)
PROBLEM = {"02", "03", "04", "05", "06", "08"}


@dataclass
class Known:
    dept: dict[str, int]
    item: dict[str, int]
    inspector: dict[str, int]
    target: dict[str, int]
    inspection: dict[str, int]
    task: dict[str, int]


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)


def build(db: Database) -> Known:
    dept = add_departments(db)
    with db.session() as s:
        wj = Department(code="WJ", name="卫生健康委", sort_order=3)
        s.add(wj)
        s.flush()
        dept["WJ"] = wj.id
    item = add_items(db, dept)
    inspector = {
        "张三": add_inspector(db, dept["SJ"], "张三", "37150001"),
        "李四": add_inspector(db, dept["SJ"], "李四", "37150002"),
        "王五": add_inspector(db, dept["YJ"], "王五", "37150003"),
        "赵六": add_inspector(db, dept["WJ"], "赵六", "37150004"),
    }
    specs = {
        "t1": ("A", "371502", "存续"),
        "t2": ("A", "371502", "存续"),
        "t3": ("C", "371522", "存续"),
        "t4": ("C", "371522", "在业"),
        "t5": ("D", "371502", "开业"),
        "t6": (None, "371502", "存续"),
        "t7": ("B", "371522", "存续"),
        "t8": ("A", "371522", "注销"),
    }
    target: dict[str, int] = {}
    with db.session() as s:
        for n, (key, (risk, div, status)) in enumerate(specs.items(), start=1):
            t = Target(
                uscc=target_code(n, div),
                name=f"测试企业{key}",
                division_code=div,
                reg_status=status,
                risk_class=risk,
                tags=[],
            )
            s.add(t)
            s.flush()
            target[key] = t.id
    task: dict[str, int] = {}
    with db.session() as s:
        plan = AnnualPlan(
            code="P-2026",
            year=2026,
            title="2026年计划",
            kind=PlanKind.DEPARTMENT,
            lead_department_id=dept["SJ"],
            state=PlanState.PUBLISHED,
        )
        old = AnnualPlan(
            code="P-2025",
            year=2025,
            title="2025年计划",
            kind=PlanKind.DEPARTMENT,
            lead_department_id=dept["SJ"],
            state=PlanState.PUBLISHED,
        )
        s.add_all([plan, old])
        s.flush()
        rows = {
            "T1": (plan, PlanState.INSPECTING, ["SJ"], date(2026, 3, 1), date(2026, 6, 30)),
            "T2": (plan, PlanState.DONE, ["SJ", "YJ"], date(2026, 4, 1), date(2026, 6, 30)),
            "T3": (plan, PlanState.FILED, ["YJ"], date(2026, 7, 1), date(2026, 9, 30)),
            "T4": (plan, PlanState.DRAFT, ["SJ"], date(2026, 7, 1), date(2026, 9, 30)),
            "T5": (old, PlanState.DONE, ["SJ"], date(2025, 5, 1), date(2025, 6, 30)),
        }
        for n, (code, (p, state, depts, start, end)) in enumerate(rows.items()):
            t = SamplingTask(
                plan_id=p.id,
                position=n,
                code=f"LC-SJ-{start.year}-{n + 1:03d}",
                title=code,
                is_joint=len(depts) > 1,
                planned_start=start,
                planned_end=end,
                state=state,
            )
            t.departments = [TaskDepartment(department_id=dept[d]) for d in depts]
            t.rules = [
                TaskSamplingRule(stratum=c, ratio_bp=bp)
                for c, bp in (("A", 300), ("B", 500), ("C", 1000), ("D", 2000))
            ]
            s.add(t)
            s.flush()
            task[code] = t.id
        attempt = DrawAttempt(
            task_id=task["T1"],
            attempt_no=1,
            state="computed",
            manifest=b"{}",
            manifest_hash="0" * 64,
            nonce=b"n",
            nonce_commitment="1" * 64,
            started_at=_at("2026-03-02"),
        )
        s.add(attempt)
        s.flush()
        for rank, (key, stratum) in enumerate((("t1", "A"), ("t3", "B"), ("t5", "D")), 1):
            s.add(
                DrawTarget(
                    attempt_id=attempt.id,
                    rank=rank,
                    batch=1,
                    candidate_id=str(rank),
                    target_id=target[key],
                    stratum=stratum,
                    team=[],
                )
            )
        attempt_id = attempt.id

    # key: (kind, task, target, rank, lead, window, visited, due, results, team)
    # results: (item, category or None, entered day)
    visits = {
        "i1": (
            "random",
            "T1",
            "t1",
            1,
            "SJ",
            "2026-04-10",
            "2026-05-08",
            [("SJ-001", "01", "2026-04-12"), ("SJ-002", "01", "2026-04-12")],
            ["张三", "李四"],
        ),
        "i2": (
            "random",
            "T1",
            "t3",
            2,
            "SJ",
            "2026-04-15",
            "2026-05-13",
            [("SJ-001", "05", "2026-05-20"), ("SJ-002", "01", "2026-05-18")],
            ["张三", "李四"],
        ),
        "i3": (
            "random",
            "T1",
            "t5",
            3,
            "SJ",
            None,
            "2026-07-28",
            [("SJ-001", "01", "2026-06-20"), ("SJ-002", None, None)],
            ["李四", "张三"],
        ),
        "i4": (
            "random",
            "T2",
            "t1",
            None,
            "SJ",
            "2026-05-05",
            "2026-06-02",
            [("SJ-001", "01", "2026-05-06"), ("YJ-001", "02", "2026-05-06")],
            ["张三", "王五"],
        ),
        "i5": (
            "random",
            "T2",
            "t4",
            None,
            "SJ",
            "2026-05-10",
            "2026-06-08",
            [("SJ-001", "07", "2026-05-11"), ("YJ-001", "01", "2026-05-11")],
            ["李四", "王五"],
        ),
        "i6": (
            "random",
            "T2",
            "t6",
            None,
            "SJ",
            "2026-06-01",
            "2026-07-29",
            [("SJ-001", "01", "2026-06-02"), ("YJ-001", "01", "2026-06-02")],
            ["张三", "王五"],
        ),
        "i7": (
            "case",
            None,
            "t1",
            None,
            "YJ",
            "2026-06-10",
            "2026-07-08",
            [("YJ-001", "06", "2026-06-11")],
            ["王五"],
        ),
        "i8": (
            "random",
            "T5",
            "t2",
            None,
            "SJ",
            "2025-05-10",
            "2025-06-09",
            [("SJ-001", "01", "2025-05-11")],
            ["张三"],
        ),
    }
    item_dept = {"SJ-001": "SJ", "SJ-002": "SJ", "YJ-001": "YJ"}
    inspection: dict[str, int] = {}
    with db.session() as s:
        for key, (kind, tk, tg, rank, lead, visited, due, results, team) in visits.items():
            year = int(due[:4])
            window = (
                (date(2026, 3, 1), date(2026, 6, 30))
                if tk == "T1"
                else (date(year, 4, 1), date(year, 6, 30))
                if tk == "T2"
                else (date(year, 5, 1), date(year, 6, 30))
            )
            ins = Inspection(
                kind=kind,
                task_id=task[tk] if tk else None,
                attempt_id=attempt_id if tk == "T1" else None,
                draw_rank=rank,
                target_id=target[tg],
                lead_department_id=dept[lead],
                case_source="complaint" if kind == "case" else None,
                window_start=window[0],
                window_end=window[1],
                inspected_on=date.fromisoformat(visited) if visited else None,
                due_date=date.fromisoformat(due),
                state="approved" if all(r[1] for r in results) else "not_entered",
            )
            for code, cat, day in results:
                ins.results.append(
                    InspectionResult(
                        item_id=item[code],
                        department_id=dept[item_dept[code]],
                        category_code=cat,
                        is_problem=None if cat is None else cat in PROBLEM,
                        entered_at=_at(day) if day else None,
                        state="approved" if cat else "not_entered",
                    )
                )
            for pos, name in enumerate(team, start=1):
                ins.members.append(
                    InspectionMember(
                        position=pos,
                        inspector_id=inspector[name],
                        department_id=dept[{"张三": "SJ", "李四": "SJ", "王五": "YJ"}[name]],
                    )
                )
            if key == "i1":  # 赵六 was replaced: an ended place counts for nobody
                ins.members.append(
                    InspectionMember(
                        position=3,
                        inspector_id=inspector["赵六"],
                        department_id=dept["WJ"],
                        ended_at=_at("2026-04-01"),
                    )
                )
            s.add(ins)
            s.flush()
            inspection[key] = ins.id
    return Known(dept, item, inspector, target, inspection, task)


def ids_of(db: Database, model: type, *keys: str) -> list[int]:  # pragma: no cover - helper
    with db.session() as s:
        return list(s.scalars(select(model.id)))  # type: ignore[attr-defined]
