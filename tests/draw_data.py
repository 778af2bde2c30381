"""A published joint task over the planning test registry, ready to draw."""

from __future__ import annotations

from datetime import date

from planning_data import joint_plan, joint_task, seed_registry

from app.models.db import Database
from app.services.plans import planning

TASK = "LC-LH-2026-001"
FILED_ON = date(2026, 1, 10)


def publish_task(db: Database) -> str:
    """Registry, plan and one joint task, filed and published: ready to draw."""
    seed_registry(db)
    planning.create_plan(db, joint_plan())
    planning.save_task(db, "LC-LH-2026", joint_task())
    planning.file_plan(db, "LC-LH-2026", on=FILED_ON)
    planning.publish_plan(db, "LC-LH-2026")
    return TASK
