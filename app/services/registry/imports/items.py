"""抽查事项清单 import: items with their guides (procedure and checkpoints).

Key: 事项编码. Key items never carry a ratio cap; a cap given for one is
dropped with a warning. Checkpoints are rewritten in place by position, as
the item edit form does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.item_fields import (
    parse_category,
    parse_checkpoints,
    parse_methods,
    parse_ratio_cap,
    parse_yes_no,
)
from app.domain.registry import ItemCategory
from app.domain.registry_fields import FieldError, cell_text
from app.models.registry import InspectionGuide, InspectionItem
from app.services.registry.imports.base import (
    DepartmentLookup,
    DepartmentScope,
    RowHandler,
    assign,
    key_text,
)
from app.services.registry.items import CheckpointForm, _write_guide


class ItemHandler(RowHandler):
    chunk_size = 200

    def begin(self) -> None:
        self.departments = DepartmentLookup(self.session)
        self.scope = DepartmentScope()
        # 事项编码 → department, to keep other departments' items out of reach.
        self.owners: dict[str, int] = (
            dict(
                self.session.execute(
                    select(InspectionItem.code, InspectionItem.department_id)
                ).all()
            )
            if self.scope.restricted
            else {}
        )

    def parse(self, row: int, cells: list[object]) -> dict[str, Any] | None:
        reasons: list[str] = []
        code = key_text(self.cell(cells, "code"))
        if not code:
            reasons.append("事项编码为空")
        elif len(code) > 40:
            reasons.append("事项编码超过 40 个字符")
        else:
            first = self.first_seen(code, row)
            if first is not None:
                reasons.append(f"事项编码 {code} 与第 {first} 行重复")
        name = self.text(cells, "name")
        if not name:
            reasons.append("事项名称为空")
        elif len(name) > 200:
            reasons.append("事项名称超过 200 个字")
        dept_value = self.cell(cells, "department")
        department = self.departments.find(dept_value)
        if not cell_text(dept_value):
            reasons.append("实施部门为空")
        elif department is None:
            reasons.append(self.departments.unknown(dept_value))
        elif not self.scope.allows(department.id):
            reasons.append(self.scope.refusal(f"实施部门“{department.name}”"))
        elif code in self.owners and not self.scope.allows(self.owners[code]):
            reasons.append(self.scope.refusal(f"事项 {code}"))
        category: ItemCategory | None = None
        try:
            category = parse_category(self.cell(cells, "category"))
        except FieldError as exc:
            reasons.append(str(exc))
        if reasons:
            self.report.reject(row, "；".join(reasons), cells)
            return None
        rec: dict[str, Any] = {
            "code": code,
            "name": name,
            "department_id": department.id,
            "category": category,
        }
        self._optional(row, cells, rec)
        return rec

    def _optional(self, row: int, cells: list[object], rec: dict[str, Any]) -> None:
        if self.has("ratio_cap"):
            value = self.cell(cells, "ratio_cap")
            if rec["category"] is ItemCategory.KEY:
                if cell_text(value):
                    self.warn(row, "ratio_cap", "重点检查事项不设抽查比例上限，已忽略", cells)
            else:
                try:
                    rec["ratio_cap_bp"] = parse_ratio_cap(value)
                except FieldError as exc:
                    self.warn(row, "ratio_cap", str(exc), cells)
        if rec["category"] is ItemCategory.KEY:
            rec["ratio_cap_bp"] = None
        for field_name, limit in (("legal_basis", None), ("target_type", 64), ("procedure", None)):
            if self.has(field_name):
                text = self.text(cells, field_name)
                if limit is not None and len(text) > limit:
                    self.warn(row, field_name, f"超过 {limit} 个字，未导入", cells)
                else:
                    rec[field_name] = text
        if self.has("methods"):
            methods, unknown = parse_methods(self.cell(cells, "methods"))
            if unknown:
                self.warn(row, "methods", f"检查方式 {'、'.join(unknown)} 无法识别，未导入", cells)
            rec["methods"] = methods
        if self.has("joint_allowed"):
            try:
                rec["joint_allowed"] = parse_yes_no(self.cell(cells, "joint_allowed"))
            except FieldError as exc:
                self.warn(row, "joint_allowed", str(exc), cells)
        if self.has("checkpoints"):
            try:
                rec["checkpoints"] = parse_checkpoints(self.cell(cells, "checkpoints"))
            except FieldError as exc:
                self.warn(row, "checkpoints", str(exc), cells)

    def apply(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        existing = {
            i.code: i
            for i in self.session.scalars(
                select(InspectionItem)
                .where(InspectionItem.code.in_([r["code"] for r in records]))
                .options(
                    selectinload(InspectionItem.guide).selectinload(InspectionGuide.checkpoints)
                )
            )
        }
        for rec in records:
            procedure = rec.pop("procedure", None)
            points = rec.pop("checkpoints", None)
            item = existing.get(rec["code"])
            if item is None:
                item = InspectionItem(**rec)
                self.session.add(item)
                self._guide(item, procedure, points)
                self.report.inserted += 1
            elif self._guide(item, procedure, points) | assign(item, rec):
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        self.session.flush()

    def _guide(
        self, item: InspectionItem, procedure: str | None, points: list[tuple[str, str]] | None
    ) -> bool:
        """Bring the guide in line with the columns present; True when it changed."""
        if procedure is None and points is None:
            return False
        guide = item.guide
        if points is None:
            points = [(c.text, c.basis) for c in guide.checkpoints] if guide else []
        if procedure is None:
            procedure = guide.procedure if guide else ""
        forms = [CheckpointForm(text, basis) for text, basis in points]
        return _write_guide(self.session, item, procedure, forms)
