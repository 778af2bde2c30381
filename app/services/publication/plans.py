"""A plan exported for 公示 is recorded: each plan version (adjustment) and file once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.domain.planning import PlanState
from app.domain.publication import PublicationKind
from app.models.db import Database
from app.models.plans import AnnualPlan
from app.models.publication import Publication
from app.services.publication.records import record_export

# A plan is made public from 已公开 on (a draft or a merely filed plan is not).
PUBLIC_STATES = frozenset(s for s in PlanState if s.rank >= PlanState.PUBLISHED.rank)


def record_plan_export(db: Database, code: str, out: Path) -> Publication | None:
    """Record the exported file when the plan is public; None when not recorded."""
    with db.session() as s:
        plan = s.scalar(select(AnnualPlan).where(AnnualPlan.code == code))
        if plan is None or PlanState(plan.state) not in PUBLIC_STATES:
            return None
        plan_id, year, title, version = plan.id, plan.year, plan.title, plan.version_no
    return record_export(
        db,
        kind=PublicationKind.PLAN,
        subject_key=f"plan:{code}:v{version}{out.suffix.lower()}",
        title=f"{title}（第{version}版）" if version > 1 else title,
        year=year,
        path=out,
        published_on=date.today(),
        content={"plan_code": code, "plan_version": version},
        plan_id=plan_id,
    )
