"""Import a published annual plan table (年度抽查计划) into a DRAFT plan.

One task per row: the department (as people write it), dates within the
year, the ratio or count, the number of batches, and the item matched by
name. A row whose 检查内容 matches no item is kept with its text in
`pending_item` and close matches in a warning, so filing is blocked until a
clerk picks the item. An import never files or publishes anything, and runs
in one transaction: an unreadable file or a crash leaves nothing behind.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.auth import Permission
from app.domain.department_names import DepartmentMatcher, Member
from app.domain.item_fields import parse_ratio_cap
from app.domain.plan_fields import parse_count, parse_frequency, parse_period
from app.domain.planning import (
    STRATA,
    TASK_CODE_RE,
    PlanKind,
    PlanState,
    next_task_code,
)
from app.domain.registry_fields import FieldError, cell_text
from app.excel.plan_table import PLAN_TABLE
from app.excel.reader import SheetReader, WorkbookError
from app.models.db import Database
from app.models.plans import AnnualPlan, SamplingTask, TaskDepartment, TaskSamplingRule
from app.models.registry import Department, InspectionItem, JointItemGroup
from app.services.access import audit
from app.services.access.auth import require
from app.services.plans.scope import require_plan
from app.services.registry.imports.base import ImportReport, key_text
from app.services.registry.imports.columns import describe
from app.services.registry.imports.engine import skipped_note

# The place part of task codes when no task code exists yet to copy it from.
DEFAULT_PLACE = "XQ"
CLOSE_MATCHES = 3
CLOSE_CUTOFF = 0.5
_DEPT_CODE_LIMIT = 12


@dataclass
class PlanImportReport(ImportReport):
    plan_code: str = ""
    tasks: int = 0

    def summary(self) -> dict[str, int]:
        """The `--json` shape: the registry import's, plus "tasks"."""
        return {**super().summary(), "tasks": self.tasks}

    def text(self) -> str:
        made = f"已建草稿计划“{self.plan_code}”，{self.tasks} 个任务" if self.plan_code else ""
        return f"{super().text()}{'；' if made else ''}{made}"


@dataclass
class _Row:
    row: int
    departments: list[Member]
    title: str
    content: str
    start: date
    end: date
    batches: int
    rules: list[tuple[str, int | None, int | None]]
    items: list[InspectionItem] = field(default_factory=list)
    pending: str = ""


class _ItemFinder:
    """Items by name within the task's departments; joint item groups for joint rows."""

    def __init__(self, s: Session) -> None:
        self.items = list(
            s.scalars(select(InspectionItem).options(selectinload(InspectionItem.department)))
        )
        self.groups = list(
            s.scalars(select(JointItemGroup).options(selectinload(JointItemGroup.items)))
        )

    def find(self, text: str, dept_ids: set[int]) -> tuple[list[InspectionItem], list[str]]:
        """(items, close matches as 'name（code）') for the row's 检查内容."""
        key = key_text(text)
        if len(dept_ids) > 1:
            for g in self.groups:
                if key_text(g.name) == key and {i.department_id for i in g.items} == dept_ids:
                    return sorted(g.items, key=lambda i: i.code), []
        own = [i for i in self.items if i.department_id in dept_ids]
        exact = [i for i in own if key_text(i.name) == key]
        # One item of that name in each of the row's departments.
        per_dept = {i.department_id: i for i in exact}
        if len(exact) == len(dept_ids) and set(per_dept) == dept_ids:
            return sorted(exact, key=lambda i: i.code), []
        # Suggestions from the row's departments, or from every item when they have none.
        names = {f"{i.name}（{i.code}）": i.name for i in own or self.items}
        close = difflib.get_close_matches(
            text, list(set(names.values())), CLOSE_MATCHES, CLOSE_CUTOFF
        )
        return [], [label for label, name in names.items() if name in close][:CLOSE_MATCHES]


def _place(s: Session) -> str:
    """The place part of the task codes this bureau already uses (e.g. LC)."""
    places = Counter(
        m["place"]
        for code in s.scalars(select(SamplingTask.code))
        if (m := TASK_CODE_RE.fullmatch(code)) is not None
    )
    return places.most_common(1)[0][0] if places else DEFAULT_PLACE


def _dept_part(departments: list[Member]) -> str:
    code = departments[0].code.upper() if len(departments) == 1 else "LH"
    ok = code.isascii() and code.isalnum() and 2 <= len(code) <= _DEPT_CODE_LIMIT
    return code if ok else "LH"


class _PlanRows:
    """Parses rows into _Row values, rejecting and warning on the report."""

    def __init__(self, s: Session, report: PlanImportReport, reader: SheetReader, year: int):
        self.report, self.reader, self.year = report, reader, year
        self.fields = reader.match.fields
        depts = list(s.scalars(select(Department).order_by(Department.sort_order)))
        self.matcher = DepartmentMatcher(Member(d.id, d.code, d.name) for d in depts)
        self.finder = _ItemFinder(s)

    def text(self, cells: list[object], name: str) -> str:
        pos = self.fields.get(name)
        return "" if pos is None else cell_text(cells[pos])

    def warn(self, row: int, name: str, reason: str, cells: list[object]) -> None:
        where = self.reader.match.column_name(name) if name in self.fields else ""
        self.report.warn(row, where, reason, cells)

    def parse(self, row: int, cells: list[object]) -> _Row | None:
        written = self.text(cells, "department")
        departments, unknown = self.matcher.find_all(written)
        title = self.text(cells, "title") or self.text(cells, "content")
        content = self.text(cells, "content") or self.text(cells, "title")
        reasons: list[str] = []
        if not written:
            reasons.append("检查主体为空")
        elif unknown or not departments:
            reasons.append(self.matcher.unknown_reason(unknown or [written]))
        if not title:
            reasons.append("年度计划名称和检查内容都为空")
        if reasons:
            self.report.reject(row, "；".join(reasons), cells)
            return None
        start, end = date(self.year, 1, 1), date(self.year, 12, 31)
        try:
            start, end = parse_period(self.text(cells, "period"), self.year)
        except (FieldError, ValueError) as exc:
            self.warn(row, "period", f"{exc}；暂按全年（{self.year} 年 1–12 月）", cells)
        batches = 1
        try:
            batches = parse_frequency(self.text(cells, "frequency")) or 1
        except FieldError as exc:
            self.warn(row, "frequency", f"{exc}；暂按 1 批", cells)
        parsed = _Row(row, departments, title[:200], content, start, end, batches, [])
        self._rules(parsed, cells)
        items, close = self.finder.find(content, {d.id for d in departments})
        if items:
            parsed.items = items
        else:
            parsed.pending = content[:200]
            hint = f"相近的有：{'、'.join(close)}" if close else "也没有名称相近的事项"
            self.warn(
                row,
                "content" if "content" in self.fields else "title",
                f"没有名称为“{content}”的抽查事项（{hint}）；任务已保留，请在任务中选择抽查事项后再备案",
                cells,
            )
        return parsed

    def _rules(self, parsed: _Row, cells: list[object]) -> None:
        row = parsed.row
        ratio: int | None = None
        count: int | None = None
        if self.text(cells, "ratio"):
            try:
                ratio = parse_ratio_cap(self.text(cells, "ratio"))
            except FieldError as exc:
                self.warn(row, "ratio", str(exc), cells)
        try:
            count = parse_count(self.text(cells, "count"))
        except FieldError as exc:
            self.warn(row, "count", str(exc), cells)
        if ratio is not None:
            parsed.rules = [(s, ratio, None) for s in STRATA]
            if count is not None:
                self.warn(row, "count", f"已按抽查比例抽取；抽查数量 {count} 户仅供参考", cells)
        elif count is not None:
            parsed.rules = [(s, None, count) for s in STRATA]
            self.warn(
                row,
                "count",
                f"抽查数量 {count} 户已设为各风险类别各抽 {count} 户，请在任务中按需调整",
                cells,
            )
        else:
            self.warn(row, "ratio", "未写抽查比例或数量；请在任务中设置抽查规则后再备案", cells)


def _plan_code(s: Session, place: str, lead: Member, year: int) -> str:
    base = f"{place}-{_dept_part([lead])}-{year}"
    taken = set(s.scalars(select(AnnualPlan.code).where(AnnualPlan.code.like(f"{base}%"))))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def _build(s: Session, rows: list[_Row], year: int, path: Path) -> AnnualPlan:
    place = _place(s)
    counts = Counter(d.id for r in rows for d in r.departments[:1])
    members = {d.id: d for r in rows for d in r.departments}
    lead = members[counts.most_common(1)[0][0]]
    ordered = [lead, *[m for i, m in members.items() if i != lead.id]]
    depts = {d.id: d for d in s.scalars(select(Department).where(Department.id.in_(members)))}
    plan = AnnualPlan(
        code=_plan_code(s, place, lead, year),
        year=year,
        title=f"{year}年度双随机抽查计划（导入）",
        kind=PlanKind.JOINT if len(members) > 1 else PlanKind.DEPARTMENT,
        state=PlanState.DRAFT,
        version_no=1,
        lead_department=depts[lead.id],
        departments=[depts[m.id] for m in ordered],
        note=f"由“{path.name}”导入，请逐项核对后备案。",
    )
    require_plan(Permission.MANAGE_PLANS, plan)
    used = set(s.scalars(select(SamplingTask.code)))
    for position, r in enumerate(rows, start=1):
        code = next_task_code(place, _dept_part(r.departments), year, used)
        used.add(code)
        plan.tasks.append(
            SamplingTask(
                position=position,
                code=code,
                title=r.title,
                is_joint=len(r.departments) > 1,
                planned_start=r.start,
                planned_end=r.end,
                batches=r.batches,
                state=PlanState.DRAFT,
                pending_item=r.pending or None,
                items=r.items,
                departments=[
                    TaskDepartment(department=depts[d.id], min_inspectors=1) for d in r.departments
                ],
                rules=[
                    TaskSamplingRule(stratum=st, ratio_bp=ratio, count=count)
                    for st, ratio, count in r.rules
                ],
            )
        )
    s.add(plan)
    return plan


def import_plan(
    db: Database,
    path: Path | str,
    year: int,
    *,
    columns: Mapping[int, str | None] | None = None,
) -> PlanImportReport:
    """Read `path` into a new DRAFT plan of `year`; raises WorkbookError when unreadable."""
    require(Permission.MANAGE_PLANS)
    path = Path(path)
    with SheetReader(path, PLAN_TABLE, published=True, overrides=columns) as reader:
        match = reader.match
        if "title" not in match.fields and "content" not in match.fields:
            raise WorkbookError(
                path, "表头中没有“年度计划名称”或“检查内容”列，无法得知各任务查什么"
            )
        report = PlanImportReport(
            "plan", str(path), match.sheet_name, match.header_row, list(match.headers)
        )
        report.columns = [c.line() for c in describe(match, PLAN_TABLE)]
        report.notes.append(f"数据取自工作表“{match.sheet_name}”，表头在第 {match.header_row} 行")
        with db.session() as s:
            parser = _PlanRows(s, report, reader, year)
            rows: list[_Row] = []
            for row, cells in reader.rows():
                report.total += 1
                parsed = parser.parse(row, cells)
                if parsed is not None:
                    rows.append(parsed)
            if reader.skipped:
                report.notes.append(skipped_note(reader.skipped))
            if not rows:
                report.notes.append("没有可导入的计划行，未建立计划")
                return report
            plan = _build(s, rows, year, path)
            s.flush()
            report.plan_code, report.tasks, report.inserted = plan.code, len(rows), len(rows)
            pending = sum(1 for r in rows if r.pending)
            if pending:
                report.notes.append(f"{pending} 个任务的抽查事项尚未选定，选定前计划不能备案")
            details: dict[str, Any] = {"file": path.name, "plan": plan.code}
            audit.record(s, "import", "annual_plans", plan.id, None, details | report.summary())
    return report
