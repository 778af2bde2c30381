"""执法检查人员名录库 import: a few thousand people, through the ORM.

Key: 执法证号. The department is found by name or code; qualifications are
item codes (unknown codes are dropped with a warning).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.registry import InspectorStatus
from app.domain.registry_fields import (
    FieldError,
    cell_text,
    parse_date,
    parse_division,
    parse_inspector_status,
    parse_phone,
    split_list,
)
from app.models.registry import InspectionItem, Inspector
from app.services.registry.imports.base import (
    DepartmentLookup,
    DepartmentScope,
    RowHandler,
    assign,
    key_text,
)


class InspectorHandler(RowHandler):
    chunk_size = 500

    def begin(self) -> None:
        self.departments = DepartmentLookup(self.session)
        self.items = {key_text(i.code): i for i in self.session.scalars(select(InspectionItem))}
        self.scope = DepartmentScope()
        # 执法证号 → department, to keep other departments' people out of reach.
        self.owners: dict[str, int] = (
            dict(self.session.execute(select(Inspector.badge_no, Inspector.department_id)).all())
            if self.scope.restricted
            else {}
        )

    def parse(self, row: int, cells: list[object]) -> dict[str, Any] | None:
        reasons: list[str] = []
        name = self.text(cells, "name")
        if not name:
            reasons.append("姓名为空")
        elif len(name) > 64:
            reasons.append("姓名超过 64 个字")
        badge = key_text(self.cell(cells, "badge_no"))
        if not badge:
            reasons.append("执法证号为空")
        elif len(badge) > 40:
            reasons.append("执法证号超过 40 个字符")
        else:
            first = self.first_seen(badge, row)
            if first is not None:
                reasons.append(f"执法证号 {badge} 与第 {first} 行重复")
        dept_value = self.cell(cells, "department")
        department = self.departments.find(dept_value)
        if not cell_text(dept_value):
            reasons.append("所属部门为空")
        elif department is None:
            reasons.append(self.departments.unknown(dept_value))
        elif not self.scope.allows(department.id):
            reasons.append(self.scope.refusal(f"所属部门“{department.name}”"))
        elif badge in self.owners and not self.scope.allows(self.owners[badge]):
            reasons.append(self.scope.refusal(f"执法证号 {badge} 的执法检查人员"))
        if reasons:
            self.report.reject(row, "；".join(reasons), cells)
            return None
        rec: dict[str, Any] = {"name": name, "badge_no": badge, "department": department}
        self._optional(row, cells, rec)
        return rec

    def _optional(self, row: int, cells: list[object], rec: dict[str, Any]) -> None:
        parsers = {
            "badge_expires_on": parse_date,
            "district_code": parse_division,
            "phone": lambda v: parse_phone(v, 40),
            "expertise": split_list,
        }
        for field_name, parse in parsers.items():
            if self.has(field_name):
                try:
                    rec[field_name] = parse(self.cell(cells, field_name))
                except FieldError as exc:
                    self.warn(row, field_name, str(exc), cells)
        if self.has("status"):
            try:
                rec["status"] = parse_inspector_status(self.cell(cells, "status"))
            except FieldError as exc:
                rec["status"] = InspectorStatus.AWAY
                self.warn(row, "status", f"{exc}；已按“离岗”导入，不参与随机抽取", cells)
        if self.has("qualifications"):
            codes = split_list(self.cell(cells, "qualifications"))
            found = [self.items[key_text(c)] for c in codes if key_text(c) in self.items]
            unknown = [c for c in codes if key_text(c) not in self.items]
            if unknown:
                self.warn(
                    row,
                    "qualifications",
                    f"抽查事项编码 {'、'.join(unknown)} 不在抽查事项清单中，未导入这些资质",
                    cells,
                )
            rec["qualifications"] = found

    def apply(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        badges = [r["badge_no"] for r in records]
        existing = {
            i.badge_no: i
            for i in self.session.scalars(
                select(Inspector)
                .where(Inspector.badge_no.in_(badges))
                .options(selectinload(Inspector.qualifications))
            )
        }
        for rec in records:
            quals = rec.pop("qualifications", None)
            department = rec.pop("department")
            person = existing.get(rec["badge_no"])
            if person is None:
                person = Inspector(department=department, qualifications=quals or [], **rec)
                self.session.add(person)
                self.report.inserted += 1
                continue
            changed = assign(person, {**rec, "department_id": department.id})
            if quals is not None and {q.id for q in quals} != {q.id for q in person.qualifications}:
                person.qualifications = quals
                changed = True
            if changed:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        self.session.flush()
