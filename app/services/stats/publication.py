"""公示 timeliness for the dashboard: not available on this branch yet.

The publication tables are built separately. Once they exist, this module
answers `PublicationFigures` for a period (results published within the
time limit, late, overdue, and a monthly count) from one SQL query; every
caller already shows “—” for None and the figures once they come, so adding
publication is this one function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from app.services.stats.frames import Period


@dataclass(frozen=True)
class PublicationFigures:
    on_time: int
    late: int
    overdue: int
    # "YYYY-MM" → results published that month
    monthly: dict[str, int] = field(default_factory=dict)
    # inspection id → published on time (for the duty record)
    on_time_by_inspection: dict[int, bool] = field(default_factory=dict)


def publication_figures(s: Session, period: Period, today: date) -> PublicationFigures | None:
    """None while no publication table exists (the figures show “—”)."""
    return None
