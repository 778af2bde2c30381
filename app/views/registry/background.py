"""Small read-only queries off the GUI thread (counts, filter choices).

They use the views' one job mechanism (app.views.widgets.jobs.Latest, the
newest-answer-only runner); `wait_for_background` stops every job.
"""

from __future__ import annotations

from app.views.widgets.jobs import stop_all_jobs

__all__ = ["wait_for_background"]


def wait_for_background(ms: int = 30_000) -> None:
    """Block until every background job ended (application exit, tests' teardown)."""
    stop_all_jobs(ms)
