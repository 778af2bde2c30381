"""Small read-only queries off the GUI thread (counts, filter choices).

They use the views' one job mechanism (app.views.widgets.jobs): `LatestQuery`
is its newest-answer-only runner; `wait_for_background` stops every job.
"""

from __future__ import annotations

from app.views.widgets.jobs import Latest, stop_all_jobs

LatestQuery = Latest

__all__ = ["LatestQuery", "wait_for_background"]


def wait_for_background(ms: int = 30_000) -> None:
    """Block until every background job ended (application exit, tests' teardown)."""
    stop_all_jobs(ms)
