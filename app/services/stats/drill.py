"""The list of inspections behind a number: one indexed query by id, at most LIST_LIMIT rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from app.domain.auth import Permission
from app.domain.divisions import division_name
from app.domain.results import ResultState
from app.models.db import Database
from app.models.inspections import Inspection, InspectionResult
from app.models.plans import SamplingTask
from app.models.registry import Department, Target
from app.services.access.auth import require

LIST_LIMIT = 2000
_CHUNK = 500


@dataclass(frozen=True)
class InspectionLine:
    inspection_id: int
    task_code: str
    uscc: str
    target_name: str
    division: str
    risk_class: str
    department: str
    inspected_on: date | None
    due_date: date | None
    state: str
    problem: bool

    def cells(self) -> list[str]:
        return [
            str(self.inspection_id),
            self.task_code,
            self.uscc,
            self.target_name,
            self.division,
            self.risk_class,
            self.department,
            f"{self.inspected_on:%Y-%m-%d}" if self.inspected_on else "",
            f"{self.due_date:%Y-%m-%d}" if self.due_date else "",
            self.state,
            "是" if self.problem else "",
        ]


HEADERS = (
    "检查编号",
    "任务编号",
    "统一社会信用代码",
    "检查对象",
    "区划",
    "风险分类",
    "牵头部门",
    "检查日期",
    "结果期限",
    "状态",
    "发现问题",
)


def inspection_lines(db: Database, ids: Sequence[int]) -> list[InspectionLine]:
    """The first LIST_LIMIT inspections of `ids` (in id order) with what a clerk recognises."""
    require(Permission.VIEW)
    wanted = sorted(ids)[:LIST_LIMIT]
    problem = (
        select(func.count())
        .where(
            InspectionResult.inspection_id == Inspection.id,
            InspectionResult.is_problem.is_(True),
        )
        .scalar_subquery()
    )
    out: list[InspectionLine] = []
    with db.session() as s:
        for at in range(0, len(wanted), _CHUNK):
            chunk = wanted[at : at + _CHUNK]
            stmt = (
                select(
                    Inspection.id,
                    func.coalesce(SamplingTask.code, "个案"),
                    Target.uscc,
                    Target.name,
                    Target.division_code,
                    Target.risk_class,
                    Department.name,
                    Inspection.inspected_on,
                    Inspection.due_date,
                    Inspection.state,
                    case((problem > 0, True), else_=False),
                )
                .join(Target, Target.id == Inspection.target_id)
                .join(Department, Department.id == Inspection.lead_department_id)
                .outerjoin(SamplingTask, SamplingTask.id == Inspection.task_id)
                .where(Inspection.id.in_(chunk))
                .order_by(Inspection.id)
            )
            for row in s.execute(stmt):
                out.append(
                    InspectionLine(
                        row[0],
                        row[1],
                        row[2],
                        row[3],
                        division_name(row[4]),
                        row[5] or "未分类",
                        row[6],
                        row[7],
                        row[8],
                        ResultState(row[9]).label,
                        bool(row[10]),
                    )
                )
    return out
