"""A drawn joint task with its inspections created: the starting point of results tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from draw_data import publish_task
from sqlalchemy import select

from app.models.db import Database
from app.models.inspections import Inspection
from app.models.registry import Department, Inspector
from app.services.draws.ceremony import DrawCeremony
from app.services.inspections.creation import create_from_draw

# A day inside the joint task's window (2026-04-01 … 2026-06-30).
VISIT = date(2026, 5, 12)
TODAY = date(2026, 5, 20)


def drawn_task(db: Database) -> str:
    """The published joint task, drawn once (the result of record and its rows stored together)."""
    code = publish_task(db)
    c = DrawCeremony.open(db, code, "张三", workstation="PC-1")
    c.add_witness("李建国", "市人大代表", "0038194556")
    c.compute()
    return code


def inspected_task(db: Database) -> str:
    code = drawn_task(db)
    create_from_draw(db, code)
    return code


@dataclass(frozen=True)
class TeamMember:
    inspector_id: int
    name: str
    department_id: int
    department_code: str


def first_inspection(db: Database) -> tuple[int, list[TeamMember]]:
    """The inspection of the first revealed target and its team (lead first)."""
    with db.session() as s:
        ins = s.scalars(select(Inspection).order_by(Inspection.draw_rank)).first()
        assert ins is not None
        team = [
            TeamMember(
                m.inspector_id,
                m.inspector.name,
                m.department_id,
                s.get(Department, m.department_id).code,  # type: ignore[union-attr]
            )
            for m in ins.team
        ]
        return ins.id, team


def department_ids(db: Database) -> dict[str, int]:
    with db.session() as s:
        return dict(s.execute(select(Department.code, Department.id)).all())


def inspector_of(db: Database, name: str) -> int:
    with db.session() as s:
        return int(s.scalar(select(Inspector.id).where(Inspector.name == name)))
