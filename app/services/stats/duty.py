"""尽职照单免责: per inspector and department, the inspections assigned and how each was done.

Each line is one current team place: the inspection, its dates (window,
visit, due), when the results were all entered and whether on time, and
whether its results were published on time. Exported as xlsx evidence.
A department's users see their department's inspectors only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.domain.auth import Permission
from app.domain.results import InspectionKind
from app.excel.stats_writer import Sheet, write_sheets
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember, InspectionResult
from app.models.plans import SamplingTask
from app.models.registry import Department, Inspector, Target
from app.services.access.auth import require, scope_clause
from app.services.stats.frames import Period
from app.services.stats.publication import publication_figures
from app.services.stats.reads import epoch_expr, local_days

DASH = "—"


@dataclass(frozen=True)
class DutyLine:
    inspector: str
    badge_no: str
    department: str
    inspection_id: int
    kind: str
    task_code: str
    target_name: str
    uscc: str
    lead: bool
    window: str
    inspected_on: date | None
    due_date: date | None
    entered_on: date | None
    results: str  # 按时 / 逾期 / 逾期未录入 / 未到期
    published: str  # 按时公示 / 逾期公示 / 逾期未公示 / 未到期 (stats.publication); — for a case

    def cells(self) -> list[object]:
        return [
            self.department,
            self.inspector,
            self.badge_no,
            self.inspection_id,
            self.kind,
            self.task_code,
            self.target_name,
            self.uscc,
            "组长" if self.lead else "组员",
            self.window,
            self.inspected_on.isoformat() if self.inspected_on else "",
            self.due_date.isoformat() if self.due_date else "",
            self.entered_on.isoformat() if self.entered_on else "",
            self.results,
            self.published,
        ]


HEADERS = [
    "部门", "检查人员", "执法证号", "检查编号", "检查类型", "任务编号", "检查对象",
    "统一社会信用代码", "组内角色", "检查时间窗", "检查日期", "结果期限", "结果录入完成",
    "结果录入", "结果公示",
]  # fmt: skip
SUMMARY_HEADERS = ["部门", "检查人员", "承担检查", "已检查", "按时录入", "逾期录入", "逾期未录入"]


def _verdict(entered: date | None, due: date | None, complete: bool, today: date) -> str:
    if complete:
        return "逾期" if entered and due and entered > due else "按时"
    if due is not None and due < today:
        return "逾期未录入"
    return "未到期"


def duty_lines(
    db: Database,
    period: Period,
    today: date,
    department_id: int | None = None,
    inspector_id: int | None = None,
) -> list[DutyLine]:
    require(Permission.VIEW)
    agg = (
        select(
            InspectionResult.inspection_id.label("iid"),
            func.count().label("n"),
            func.count(InspectionResult.category_code).label("entered"),
            func.max(epoch_expr(db.engine.dialect.name, InspectionResult.entered_at)).label("last"),
        )
        .group_by(InspectionResult.inspection_id)
        .subquery()
    )
    stmt = (
        select(
            Inspector.name,
            Inspector.badge_no,
            Department.name,
            Inspection.id,
            Inspection.kind,
            func.coalesce(SamplingTask.code, "个案"),
            Target.name,
            Target.uscc,
            InspectionMember.position,
            Inspection.window_start,
            Inspection.window_end,
            Inspection.inspected_on,
            Inspection.due_date,
            agg.c.n,
            agg.c.entered,
            agg.c.last,
        )
        .join(Inspection, Inspection.id == InspectionMember.inspection_id)
        .join(Inspector, Inspector.id == InspectionMember.inspector_id)
        .join(Department, Department.id == InspectionMember.department_id)
        .join(Target, Target.id == Inspection.target_id)
        .outerjoin(SamplingTask, SamplingTask.id == Inspection.task_id)
        .outerjoin(agg, agg.c.iid == Inspection.id)
        .where(
            Inspection.window_start.between(period.start, period.end),
            InspectionMember.ended_at.is_(None),
            scope_clause(InspectionMember.department_id),
        )
        .order_by(Department.sort_order, Inspector.name, Inspector.id, Inspection.id)
    )
    if department_id is not None:
        stmt = stmt.where(InspectionMember.department_id == department_id)
    if inspector_id is not None:
        stmt = stmt.where(InspectionMember.inspector_id == inspector_id)
    with db.session() as s:
        rows = s.connection().execute(stmt).all()
        pub = publication_figures(s, period, today)
    days = local_days([r[15] for r in rows])
    out = []
    for r, last in zip(rows, days.tolist(), strict=True):
        complete = bool(r[13]) and r[13] == r[14]
        entered = last if complete else None
        out.append(
            DutyLine(
                r[0], r[1], r[2], r[3], InspectionKind(r[4]).label, r[5], r[6], r[7],
                r[8] == 1, f"{r[9]:%Y-%m-%d} 至 {r[10]:%Y-%m-%d}", r[11], r[12], entered,
                _verdict(entered, r[12], complete, today),
                pub.verdict(r[3]) if r[4] == InspectionKind.RANDOM.value else DASH,
            )
        )  # fmt: skip
    return out


def summary(lines: list[DutyLine]) -> list[list[object]]:
    per: dict[tuple[str, str, str], list[int]] = {}
    for ln in lines:
        row = per.setdefault((ln.department, ln.inspector, ln.badge_no), [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += ln.inspected_on is not None
        row[2] += ln.results == "按时"
        row[3] += ln.results == "逾期"
        row[4] += ln.results == "逾期未录入"
    return [[d, f"{n}（{b}）", *v] for (d, n, b), v in per.items()]


def write_duty_xlsx(lines: list[DutyLine], path: Path) -> None:
    write_sheets(
        path,
        [
            Sheet("汇总", SUMMARY_HEADERS, summary(lines)),
            Sheet("明细", HEADERS, [ln.cells() for ln in lines]),
        ],
    )
