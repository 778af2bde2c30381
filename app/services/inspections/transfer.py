"""Results by spreadsheet: the pre-filled template of a task, and its import.

The import follows the registries' rules (app.services.registry.imports): one
transaction, a reason per rejected row, the same summary counts. Rejected
with the reason: a task, target or item not in the task's inspections, an
unknown category, method or follow-up, a date outside the task's window, a
person not on the team, an approved result, or a row the importing user may
not enter (谁检查、谁录入, checked as in app.services.inspections.entry).
Counts: inserted = a result entered for the first time, updated = a changed
entry, unchanged = the same entry again or a row left blank (with a warning).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.auth import Permission
from app.domain.registry_fields import FieldError, cell_text, parse_date
from app.domain.results import RESULT_METHODS, FollowUp, ResultState
from app.excel.reader import SheetReader
from app.excel.result_sheets import RESULTS, Choices, write_results_workbook
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember, InspectionResult
from app.services.access import audit
from app.services.access.auth import PermissionDenied, current_principal, require
from app.services.common.categories import categories
from app.services.inspections.common import InspectionError
from app.services.inspections.entry import (
    ResultInput,
    after_entries,
    apply_entry,
    check_entry_permission,
)
from app.services.plans.queries import load_task
from app.services.plans.scope import task_department_ids
from app.services.registry.imports.base import (
    Cancel,
    ImportCancelled,
    ImportReport,
    Progress,
    key_text,
)

CHUNK = 200
LOAD_FOR_ENTRY = (
    selectinload(Inspection.target),
    selectinload(Inspection.results).selectinload(InspectionResult.item),
    selectinload(Inspection.members).selectinload(InspectionMember.inspector),
)


def write_template(db: Database, task_code: str, out: Path | str) -> int:
    """One row per drawn target and item of the task, entries filled where they exist."""
    with db.session() as s:
        task = load_task(s, task_code, InspectionError)
        require(Permission.VIEW, department_ids=task_department_ids(task))
        cats = categories(s)
        names = {c.code: c.name for c in cats.categories}
        rows: list[list[object]] = []
        inspections = s.scalars(
            select(Inspection)
            .where(Inspection.task_id == task.id)
            .order_by(Inspection.draw_rank, Inspection.id)
        )
        for ins in inspections:
            by_id = {m.inspector_id: m.inspector for m in ins.team}
            for r in sorted(ins.results, key=lambda r: r.item.code):
                who = by_id.get(r.entered_by_inspector_id or -1)
                rows.append(
                    [
                        task.code,
                        ins.target.uscc,
                        ins.target.name,
                        r.item.code,
                        r.item.name,
                        r.item.department.name,
                        names.get(r.category_code or "", ""),
                        r.finding,
                        r.inspected_on,
                        r.method or "",
                        r.follow_up or "",
                        who.name if who else "",
                    ]
                )
        if not rows:
            raise InspectionError(f"任务“{task_code}”还没有检查：请先根据抽取结果生成检查")
        choices = Choices(
            [c.name for c in cats.categories], list(RESULT_METHODS), [f.value for f in FollowUp]
        )
    write_results_workbook(out, rows, choices)
    return len(rows)


class _Rows:
    """Row parsing and lookups of one import, inside its session."""

    def __init__(self, s: Session, reader: SheetReader, report: ImportReport, today: date) -> None:
        self.s = s
        self.match = reader.match
        self.report = report
        self.today = today
        self.cats = categories(s)
        self.principal = current_principal()
        self.inspections: dict[tuple[str, str], Inspection] = {}
        self.tasks: set[str] = set()
        self.touched: dict[int, Inspection] = {}
        self.seen: dict[tuple[str, str, str], int] = {}

    def text(self, cells: list[object], name: str) -> str:
        pos = self.match.fields.get(name)
        return "" if pos is None else cell_text(cells[pos])

    def where(self, name: str) -> str:
        return self.match.column_name(name) if name in self.match.fields else name

    def inspection(self, task: str, uscc: str) -> Inspection | None:
        if task not in self.tasks:
            # A task's inspections at once, with what every row reads: one query per
            # relationship instead of several per row.
            self.tasks.add(task)
            for ins in self.s.scalars(
                select(Inspection).where(Inspection.task.has(code=task)).options(*LOAD_FOR_ENTRY)
            ):
                self.inspections[(task, ins.target.uscc)] = ins
        return self.inspections.get((task, uscc))

    def person(self, ins: Inspection, text: str) -> int:
        key = key_text(text)
        for m in ins.team:
            if key in (key_text(m.inspector.name), key_text(m.inspector.badge_no)):
                return m.inspector_id
        team = "、".join(m.inspector.name for m in ins.team)
        raise InspectionError(f"{self.where('inspector')}“{text}”不是本检查组成员（{team}）")

    def row(self, row: int, cells: list[object]) -> None:
        category = self.text(cells, "category")
        if not category:
            self.report.unchanged += 1
            self.report.warn(row, self.where("category"), "未填写检查结果，本行跳过", cells)
            return
        task, uscc = self.text(cells, "task").strip(), key_text(self.text(cells, "uscc"))
        item_code = key_text(self.text(cells, "item"))
        first = self.seen.get((task, uscc, item_code))
        if first is not None:
            raise InspectionError(f"与第 {first} 行是同一检查对象的同一事项")
        self.seen[(task, uscc, item_code)] = row
        ins = self.inspection(task, uscc)
        if ins is None:
            raise InspectionError(f"检查对象 {uscc} 不在任务“{task}”的抽取结果中")
        res = next((r for r in ins.results if key_text(r.item.code) == item_code), None)
        if res is None:
            raise InspectionError(f"事项“{item_code}”不是任务“{task}”的检查事项")
        try:
            day = parse_date(self.match_cell(cells, "inspected_on"))
        except FieldError as exc:
            raise InspectionError(f"{self.where('inspected_on')}：{exc}") from None
        if day is None:
            raise InspectionError(f"{self.where('inspected_on')}为空")
        value = ResultInput(
            item_id=res.item_id,
            category_code=category,
            inspected_on=day,
            method=self.text(cells, "method").strip(),
            follow_up=self.text(cells, "follow_up").strip() or FollowUp.NONE.value,
            finding=self.text(cells, "finding"),
            inspector_id=self.person(ins, self.text(cells, "inspector")),
        )
        check_entry_permission(ins, [res.department_id])
        before = _entry_values(res)
        was_new = res.state == ResultState.NOT_ENTERED.value
        if not was_new and before == _input_values(value, self.cats.find(category)):
            self.report.unchanged += 1
            return
        apply_entry(self.s, ins, value, self.principal, self.cats, self.today)
        self.touched[ins.id] = ins
        if was_new:
            self.report.inserted += 1
        else:
            self.report.updated += 1

    def match_cell(self, cells: list[object], name: str) -> object:
        pos = self.match.fields.get(name)
        return None if pos is None else cells[pos]


def _entry_values(r: InspectionResult) -> tuple[Any, ...]:
    return (
        r.category_code,
        r.finding,
        r.inspected_on,
        r.method,
        r.follow_up,
        r.entered_by_inspector_id,
    )


def _input_values(v: ResultInput, cat: Any) -> tuple[Any, ...]:
    code = cat.code if cat is not None else v.category_code
    return (code, v.finding.strip(), v.inspected_on, v.method, v.follow_up, v.inspector_id)


def import_results(
    db: Database,
    path: Path | str,
    *,
    today: date,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportReport:
    """Import a results workbook in one transaction (see the module docstring)."""
    p = current_principal()
    if not (p.may(Permission.ENTER_RESULTS) or p.may(Permission.ENTER_ANY_RESULTS)):
        require(Permission.ENTER_RESULTS)  # raises with the usual message
    path = Path(path)
    with SheetReader(path, RESULTS) as reader:
        match = reader.match
        report = ImportReport("results", str(path), match.sheet_name, match.header_row)
        report.headers = list(match.headers)
        report.notes.append(f"数据取自工作表“{match.sheet_name}”，表头在第 {match.header_row} 行")
        expected = reader.row_estimate
        with db.session() as s:
            rows = _Rows(s, reader, report, today)
            for row, cells in reader.rows():
                report.total += 1
                try:
                    with s.begin_nested():
                        rows.row(row, cells)
                except (InspectionError, PermissionDenied) as exc:
                    report.reject(row, str(exc), cells)
                if report.total % CHUNK == 0:
                    if cancel is not None and cancel():
                        raise ImportCancelled
                    if progress is not None:
                        progress(report.total, expected)
            for ins in rows.touched.values():
                after_entries(s, ins)
            if cancel is not None and cancel():
                raise ImportCancelled
            audit.record(
                s,
                "import",
                "inspection_results",
                None,
                None,
                {"file": path.name, "sheet": match.sheet_name, **report.summary()},
            )
    if progress is not None:
        progress(report.total, report.total)
    return report
