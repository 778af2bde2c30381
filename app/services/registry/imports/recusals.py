"""回避 import: inspector (by 执法证号) × target (by 统一社会信用代码), reason, date.

The pair is the key. A row whose inspector or target is not in the
registries is rejected when its chunk is applied.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app.domain.registry_fields import FieldError, parse_date, validate_uscc
from app.domain.uscc import InvalidUSCC
from app.models.registry import Inspector, Recusal, Target
from app.services.registry.imports.base import DepartmentScope, RowHandler, assign, key_text


class RecusalHandler(RowHandler):
    chunk_size = 500

    def begin(self) -> None:
        rows = self.session.execute(
            select(Inspector.badge_no, Inspector.id, Inspector.department_id)
        ).all()
        self.inspectors = {badge: i for badge, i, _ in rows}
        # 回避 is kept by the inspector's department.
        self.owners = {badge: dept for badge, _, dept in rows}
        self.scope = DepartmentScope()
        self.today = date.today()

    def parse(self, row: int, cells: list[object]) -> dict[str, Any] | None:
        reasons: list[str] = []
        badge = key_text(self.cell(cells, "badge_no"))
        if not badge:
            reasons.append("执法证号为空")
        elif badge not in self.inspectors:
            reasons.append(f"执法证号 {badge} 不在执法检查人员名录中")
        elif not self.scope.allows(self.owners[badge]):
            reasons.append(self.scope.refusal(f"执法证号 {badge} 的执法检查人员"))
        try:
            code: str | None = validate_uscc(self.cell(cells, "uscc"))
        except InvalidUSCC as exc:
            code = None
            reasons.append(str(exc))
        reason = self.text(cells, "reason")
        if not reason:
            reasons.append("回避事由为空")
        elif len(reason) > 200:
            reasons.append("回避事由超过 200 个字")
        if badge and code:
            first = self.first_seen((badge, code), row)
            if first is not None:
                reasons.append(
                    f"执法证号 {badge} 与统一社会信用代码 {code} 的回避与第 {first} 行重复"
                )
        if reasons:
            self.report.reject(row, "；".join(reasons), cells)
            return None
        rec: dict[str, Any] = {
            "_row": row,
            "_cells": cells,
            "inspector_id": self.inspectors[badge],
            "uscc": code,
            "reason": reason,
        }
        if self.has("recorded_on"):
            try:
                recorded = parse_date(self.cell(cells, "recorded_on"))
            except FieldError as exc:
                self.warn(row, "recorded_on", str(exc), cells)
            else:
                if recorded is not None:
                    rec["recorded_on"] = recorded
        return rec

    def apply(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        codes = {r["uscc"] for r in records}
        targets = dict(
            self.session.execute(select(Target.uscc, Target.id).where(Target.uscc.in_(codes))).all()
        )
        pairs = [(r["inspector_id"], targets.get(r["uscc"])) for r in records]
        existing = {
            (r.inspector_id, r.target_id): r
            for r in self.session.scalars(
                select(Recusal).where(
                    Recusal.inspector_id.in_({i for i, _ in pairs}),
                    Recusal.target_id.in_({t for _, t in pairs if t is not None}),
                )
            )
        }
        for rec, (inspector_id, target_id) in zip(records, pairs, strict=True):
            row, cells, code = rec.pop("_row"), rec.pop("_cells"), rec.pop("uscc")
            if target_id is None:
                self.report.reject(row, f"统一社会信用代码 {code} 不在检查对象名录中", cells)
                continue
            old = existing.get((inspector_id, target_id))
            if old is None:
                rec.setdefault("recorded_on", self.today)
                self.session.add(Recusal(target_id=target_id, **rec))
                self.report.inserted += 1
            elif assign(old, rec):
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        self.session.flush()
