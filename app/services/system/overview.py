"""What the home page shows: the size of the item list and of the registries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from app.domain.registry import ACTIVE_REG_STATUSES, InspectorStatus
from app.models import Department, InspectionItem, Inspector, Target
from app.models.db import Database


@dataclass(frozen=True)
class Overview:
    departments: int
    items: int
    targets: int
    active_targets: int
    inspectors: int
    active_inspectors: int

    @property
    def is_empty(self) -> bool:
        return self.departments == 0 and self.targets == 0


def load_overview(db: Database) -> Overview:
    with db.session() as s:

        def count(stmt: Select[Any]) -> int:
            return int(s.execute(stmt).scalar_one())

        return Overview(
            departments=count(select(func.count()).select_from(Department)),
            items=count(select(func.count()).select_from(InspectionItem)),
            targets=count(select(func.count()).select_from(Target)),
            active_targets=count(
                select(func.count())
                .select_from(Target)
                .where(Target.reg_status.in_(ACTIVE_REG_STATUSES))
            ),
            inspectors=count(select(func.count()).select_from(Inspector)),
            active_inspectors=count(
                select(func.count())
                .select_from(Inspector)
                .where(Inspector.status == InspectorStatus.ACTIVE)
            ),
        )
