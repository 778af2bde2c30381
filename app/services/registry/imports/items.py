"""抽查事项清单 import: our template and the lists bureaus publish.

Key: 事项编码 when the row has one; otherwise department + name, so a
published list without codes re-imports onto the same items. A new item
without a code gets the next free "<department code>-NNN". Key items never
carry a ratio cap; a cap given for one is dropped with a warning.
Checkpoints are rewritten in place by position, as the item edit form does.

Published lists: departments are matched as people write them
(app.domain.department_names; an unknown one rejects the row, never a new
department), checkpoints may sit in the 抽查事项 cell, 事项类别 may be
missing, and 配合部门 (or a second department in the department cell) makes
a joint item: the first department owns the item, each other one gets its
own item of the same name, and a joint item group joins them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.domain.department_names import DepartmentMatcher, Member, split_names
from app.domain.item_fields import (
    parse_category,
    parse_checkpoints,
    parse_methods,
    parse_ratio_cap,
    parse_yes_no,
    split_item_cell,
)
from app.domain.registry import ItemCategory
from app.domain.registry_fields import FieldError, cell_text
from app.models.registry import Department, InspectionItem
from app.services.registry.imports.base import (
    DepartmentScope,
    RowHandler,
    assign,
    key_text,
)
from app.services.registry.imports.item_keys import ItemKeys, JointGroups
from app.services.registry.items import CheckpointForm, _write_guide

# Fields never searched for a stray 重点/一般 when 事项类别 is missing.
_NOT_CATEGORY = frozenset({"name", "department", "partners", "code", "checkpoints", "procedure"})
DEFAULT_CATEGORY = ItemCategory.GENERAL


class ItemHandler(RowHandler):
    chunk_size = 200

    def begin(self) -> None:
        depts = list(self.session.scalars(select(Department).order_by(Department.sort_order)))
        self.matcher = DepartmentMatcher(Member(d.id, d.code, d.name) for d in depts)
        self.dept_codes = {d.id: d.code for d in depts}
        self.scope = DepartmentScope()
        self.keys = ItemKeys(self.session)
        self.groups = JointGroups(self.session)
        self.partner_items = 0
        self.defaulted = 0

    # --- parsing ------------------------------------------------------------

    def _departments(self, cells: list[object], reasons: list[str]) -> list[Member]:
        written = self.text(cells, "department")
        if not written:
            reasons.append("实施部门为空")
            return []
        found, unknown = self.matcher.find_all(written)
        partners_text = self.text(cells, "partners")
        if partners_text:
            more, unknown_more = self.matcher.find_all(partners_text)
            found += [m for m in more if m not in found]
            unknown += unknown_more
        if unknown:
            reasons.append(self.matcher.unknown_reason(unknown))
            return []
        if not found and split_names(written):
            reasons.append(self.matcher.unknown_reason([written]))
        for m in found:
            if not self.scope.allows(m.id):
                reasons.append(self.scope.refusal(f"部门“{m.name}”的事项"))
                return []
        return found

    def _category(self, cells: list[object], reasons: list[str]) -> ItemCategory | None:
        """The row's 事项类别; None when no column says (or, with a reason, when unreadable)."""
        value = self.cell(cells, "category")
        if cell_text(value):
            try:
                return parse_category(value)
            except FieldError as exc:
                reasons.append(str(exc))
                return None
        # No 事项类别: another recognised column that says 重点/一般 (抽查类别 often
        # does). Columns shown as not imported stay so; the preview can assign one.
        for field_name, pos in self.fields.items():
            if field_name in _NOT_CATEGORY:
                continue
            text = cell_text(cells[pos])
            if 0 < len(text) <= 8:
                try:
                    return parse_category(text)
                except FieldError:
                    continue
        return None

    def parse(self, row: int, cells: list[object]) -> dict[str, Any] | None:
        reasons: list[str] = []
        code = key_text(self.cell(cells, "code"))
        if len(code) > 40:
            reasons.append("事项编码超过 40 个字符")
        name, inline_points = split_item_cell(self.cell(cells, "name"))
        if not name:
            reasons.append("事项名称为空")
        elif len(name) > 200:
            reasons.append("事项名称超过 200 个字")
        departments = self._departments(cells, reasons)
        category = self._category(cells, reasons)
        if departments and name and not reasons:
            key = code or (departments[0].id, key_text(name))
            first = self.first_seen(key, row)
            if first is not None:
                what = f"事项编码 {code}" if code else f"“{departments[0].name}”的事项“{name}”"
                reasons.append(f"{what}与第 {first} 行重复")
            elif code and not self.keys.may_take(code, self.scope):
                reasons.append(self.scope.refusal(f"事项 {code}"))
        if reasons:
            self.report.reject(row, "；".join(reasons), cells)
            return None
        if category is None:
            category = DEFAULT_CATEGORY
            self.defaulted += 1
            self.warn(
                row,
                "category" if self.has("category") else "name",
                "未注明事项类别，按一般检查事项导入；请核实并在抽查事项清单中补填抽查比例上限",
                cells,
            )
        rec: dict[str, Any] = {
            "code": code,
            "name": name,
            "department_id": departments[0].id,
            "category": category,
        }
        self._optional(row, cells, rec)
        if inline_points and not rec.get("checkpoints"):
            rec["checkpoints"] = [(p, "") for p in inline_points]
        rec["_partners"] = [m.id for m in departments[1:]]
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

    # --- writing ------------------------------------------------------------

    def apply(self, records: list[dict[str, Any]]) -> None:
        for rec in records:
            partners = rec.pop("_partners")
            item = self.keys.find(rec["code"], rec["department_id"], rec["name"])
            if item is not None:
                rec["code"] = item.code  # a row without a code keeps the item's
            status, owner = self._write(item, rec)
            if partners:
                members = [owner] + [self._partner(owner, rec, d) for d in partners]
                if self.groups.join(owner, members) and status == "unchanged":
                    status = "updated"
            setattr(self.report, status, getattr(self.report, status) + 1)
        self.session.flush()

    def _write(
        self, item: InspectionItem | None, rec: dict[str, Any]
    ) -> tuple[str, InspectionItem]:
        """Insert or update one item: the report's counter name and the item."""
        rec = dict(rec)
        procedure = rec.pop("procedure", None)
        points = rec.pop("checkpoints", None)
        if item is None:
            if not rec["code"]:
                rec["code"] = self.keys.new_code(self.dept_codes[rec["department_id"]])
            item = InspectionItem(**rec)
            self.session.add(item)
            self._guide(item, procedure, points)
            self.keys.remember(item)
            return "inserted", item
        changed = self._guide(item, procedure, points) | assign(item, rec)
        return ("updated" if changed else "unchanged"), item

    def _partner(
        self, owner: InspectionItem, rec: dict[str, Any], department_id: int
    ) -> InspectionItem:
        """The partner department's item of the same name (found or added)."""
        found = self.keys.find("", department_id, owner.name)
        if found is not None:
            return found
        fields = {k: v for k, v in rec.items() if k not in ("code", "procedure", "checkpoints")}
        fields["department_id"] = department_id
        _, item = self._write(None, {**fields, "code": ""})
        self.partner_items += 1
        return item

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

    def finish(self) -> None:
        if self.partner_items:
            self.report.notes.append(
                f"为配合部门新增同名事项 {self.partner_items} 个（联合抽查事项的组成部分）"
            )
        if self.groups.created:
            self.report.notes.append(
                f"新建联合抽查事项 {self.groups.created} 个（发起部门的事项与配合部门的事项）"
            )
        if self.defaulted:
            self.report.notes.append(
                f"{self.defaulted} 行未注明事项类别，已按一般检查事项导入（未设抽查比例上限，"
                "编制计划时会提示）"
            )
