"""Regenerate the user guide's screenshots from the real app on a demo database.

    xvfb-run -a -s "-screen 0 1280x720x24" .venv/bin/python docs/screenshots.py [NAME …]

Runs on the xcb platform when a display is there (Xvfb in CI), offscreen
otherwise, with the shipped CJK font, at 1280×720 — the smallest screen the
program promises to fit. CI runs it after the tests, so the pictures never
go stale. A new page's screenshot is one line in SHOTS below:

    Shot("cases.png", page="publication", prepare=_cases_tab),

`page` is a key of app/views/pages.py; `dialog` builds a window from the
Scene; `prepare` puts the page or dialog into the state worth showing.
Pass names (without .png) to take only those.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUIDE_IMAGES = ROOT / "docs" / "user-guide" / "images"
# The demo's "today", mid-year: the 2026 plan is published and its tasks drawn,
# the first joint task's results are published, the others are under way; the
# 2027 plan is a draft. Every page is shown as of this day, not the clock's.
TODAY = date(2026, 7, 20)
REVIEWER = "王科"
SCREEN = (1280, 720)


@dataclass
class Scene:
    """What a shot can reach: the main window, its database and the plans in it."""

    window: Any
    db: Any

    def plan(self) -> Any:
        from app.services.plans.queries import get_plan, list_plans

        return get_plan(self.db, list_plans(self.db)[-1].code)  # the earliest: filed


@dataclass(frozen=True)
class Shot:
    file: str  # under docs/user-guide/images/ unless it starts with "../"
    page: str | None = None
    dialog: Callable[[Scene], Any] | None = None
    prepare: Callable[[Scene, Any], None] | None = None


def _wizard_at(
    page_id: int,
    fill: Callable[[Any], None] | None = None,
    after: Callable[[Any], None] | None = None,
) -> Callable[[Scene], Any]:
    """The first-run wizard at page `page_id`: `fill` before moving, `after` once there."""

    def make(scene: Scene) -> Any:
        from app.views.setup_wizard import FirstRunWizard

        wizard = FirstRunWizard(scene.window)
        wizard.show()  # a hidden wizard does not move between pages
        if fill is not None:
            fill(wizard)
        while wizard.currentId() != page_id and wizard.currentId() >= 0:
            before = wizard.currentId()
            wizard.next()
            if wizard.currentId() == before:
                break
        if after is not None:
            after(wizard)
        return wizard

    return make


def _server(wizard: Any) -> None:
    wizard.where.server.setChecked(True)
    wizard.server.host.setText("192.168.1.20")
    wizard.server.user.setText("dualrandom")


def _admin(wizard: Any) -> None:
    wizard.accounts.admin.setChecked(True)
    wizard.accounts.username.setText("wangke")
    wizard.accounts.display_name.setText("王科")


def _task_editor(scene: Scene) -> Any:
    from app.views.plans.task_editor import TaskEditorDialog

    plan = scene.plan()
    task = plan.tasks[0]
    return TaskEditorDialog(
        scene.db, plan.spec.code, plan.spec.year, plan.state.locked, task.spec, scene.window
    )


def _settings_tab(index: int) -> Callable[[Scene, Any], None]:
    return lambda scene, page: page.tabs.setCurrentIndex(index)


def _select_plan(scene: Scene, page: Any) -> None:
    page.select_plan(scene.plan().spec.code)


def _select_audit_row(scene: Scene, page: Any) -> None:
    page.tabs.setCurrentWidget(page.audit)
    page.audit.table.selectRow(0)


def _about(scene: Scene) -> Any:
    from app.views.help import AboutDialog

    return AboutDialog(scene.db, scene.window)


def _shortcuts(scene: Scene) -> Any:
    from app.views.help import ShortcutsDialog

    return ShortcutsDialog(scene.window)


def _guide(scene: Scene) -> Any:
    from app.resources import user_guide_path
    from app.views.help import DocumentViewer

    return DocumentViewer(user_guide_path(), "用户指南", scene.window)


@contextmanager
def _on(day: date) -> Iterator[None]:
    """The services stamp draws, entries and reviews at 09:30 (Beijing) on `day`, not now."""
    from unittest import mock

    at = datetime.combine(day, time(1, 30), tzinfo=UTC)
    with ExitStack() as stack:
        for module in (
            "app.services.draws.ceremony",
            "app.services.draws.completion",
            "app.services.inspections.entry",
            "app.services.inspections.review",
        ):
            stack.enter_context(mock.patch(f"{module}.now_utc", lambda: at))
        yield


def _draw(db: Any, code: str, day: date) -> None:
    """The witnessed draw of one task; its nonce from the task code, so every run agrees."""
    from unittest import mock

    from app.services.draws.ceremony import DrawCeremony
    from app.services.inspections.creation import create_from_draw

    digest = hashlib.sha256(code.encode()).digest()
    nonce = SimpleNamespace(token_bytes=lambda k: digest[:k])
    with _on(day), mock.patch("app.services.draws.ceremony.secrets", nonce):
        ceremony = DrawCeremony.open(db, code, "刘洋", workstation="JGK-PC01", on=day)
        ceremony.add_witness("李建国", "市人大代表", f"{int(digest[:4].hex(), 16):010d}")
        ceremony.add_witness("孙丽", "聊城日报社", f"{int(digest[4:8].hex(), 16):010d}")
        ceremony.compute()
    create_from_draw(db, code)


def _enter(db: Any, inspection_id: int, visit: date, problem: bool) -> None:
    """Every item of one visit: nothing found, or the first item a problem put right."""
    from app.domain.results import FollowUp
    from app.models.inspections import Inspection
    from app.services.inspections.entry import ResultInput, enter_results

    with db.session() as s:
        items = [r.item_id for r in s.get(Inspection, inspection_id).results]
    values = [ResultInput(i, "01", visit, "实地核查", FollowUp.NONE.value) for i in items]
    if problem:
        values[0] = ResultInput(
            items[0], "05", visit, "实地核查", FollowUp.RECTIFY.value, "台账记录不全，已责令改正"
        )
    with _on(min(visit + timedelta(days=2), TODAY)):
        enter_results(db, inspection_id, values, today=TODAY)


def _work_the_year(db: Any) -> None:
    """Half a year's work on the demo, as of TODAY, through the services the pages call.

    Every published task whose window opened before this month is drawn a
    week before it opened and its inspections created. A visited inspection
    is entered two days after the visit (every ninth finds a problem) and, in
    a task still under way, every other one is approved and every third
    inspection is not yet visited. The finished task's results are all
    approved and published ten days after it ended.
    """
    from sqlalchemy import select

    from app.domain.planning import PlanState
    from app.models.inspections import Inspection
    from app.models.plans import SamplingTask
    from app.services.inspections.review import approve
    from app.services.publication.results import publish_results

    with db.session() as s:
        tasks = s.execute(
            select(SamplingTask.code, SamplingTask.id, SamplingTask.planned_start)
            .where(SamplingTask.state == PlanState.PUBLISHED)
            .order_by(SamplingTask.code)
        ).all()
    for code, task_id, begins in tasks:
        if begins.month == TODAY.month:
            continue  # still to draw: the draw chapter's console has a task to show
        _draw(db, code, begins - timedelta(days=7))
        with db.session() as s:
            rows = s.execute(
                select(Inspection.id, Inspection.window_start, Inspection.window_end)
                .where(Inspection.task_id == task_id)
                .order_by(Inspection.draw_rank)
            ).all()
        finished = all(end < TODAY for _, _, end in rows)
        for k, (iid, start, end) in enumerate(rows):
            last = min(end, TODAY)
            if last < start or (not finished and k % 3 == 2):
                continue
            visit = start + (last - start) * ((k * 37) % 100) // 100
            _enter(db, iid, visit, problem=k % 9 == 3)
            if finished or k % 2 == 0:
                with _on(min(visit + timedelta(days=5), TODAY)):
                    approve(db, iid, reviewer=REVIEWER)
        if finished and rows:
            publish_results(db, code, published_on=rows[0][2] + timedelta(days=10))


def _as_of_today(page: Any) -> None:
    """The page and its parts count deadlines and the year from TODAY, not the clock."""
    from PySide6.QtWidgets import QWidget

    for widget in (page, *page.findChildren(QWidget)):
        if getattr(widget, "today", None) == date.today:
            widget.today = lambda: TODAY


def _home(scene: Scene, page: Any) -> None:
    _as_of_today(page)
    page.refresh_todo()
    page.glance.refresh()
    page.glance.wait()


def _results(scene: Scene, page: Any) -> None:
    from sqlalchemy import select

    from app.domain.results import ResultState
    from app.models.inspections import Inspection, InspectionResult
    from app.models.plans import SamplingTask

    _as_of_today(page)
    with scene.db.session() as s:  # the joint task under way: a problem found, to review
        iid = s.scalar(
            select(Inspection.id)
            .join(SamplingTask, SamplingTask.id == Inspection.task_id)
            .join(InspectionResult, InspectionResult.inspection_id == Inspection.id)
            .where(SamplingTask.code == f"LC-LH-{TODAY.year}-002")
            .where(InspectionResult.is_problem.is_(True))
            .where(InspectionResult.state == ResultState.PENDING_REVIEW.value)
            .order_by(Inspection.draw_rank)
        )
    page.reload_tasks()
    page.open_inspection(iid)


def _publication(scene: Scene, page: Any) -> None:
    _as_of_today(page)
    page.reload()
    page.year_box.setCurrentIndex(page.year_box.findData(TODAY.year))
    page.reload_publications()


def _dashboard(scene: Scene, page: Any) -> None:
    _as_of_today(page)
    page.wait()
    page.year.setValue(TODAY.year)
    page.refresh()
    page.wait()


SHOTS: tuple[Shot, ...] = (
    Shot("../../images/main-window.png", page="targets"),
    Shot("home.png", page="home", prepare=_home),
    Shot("first-run-where.png", dialog=_wizard_at(0)),
    Shot("first-run-server.png", dialog=_wizard_at(1, _server)),
    Shot("first-run-accounts.png", dialog=_wizard_at(2, after=_admin)),
    Shot("first-run-bureau.png", dialog=_wizard_at(3)),
    Shot("first-run-data.png", dialog=_wizard_at(4)),
    Shot("items.png", page="items"),
    Shot("targets.png", page="targets"),
    Shot("inspectors.png", page="inspectors"),
    Shot("plans.png", page="plans", prepare=_select_plan),
    Shot("task-editor.png", dialog=_task_editor),
    Shot("draw-console.png", page="draw"),
    Shot("results.png", page="results", prepare=_results),
    Shot("publication.png", page="publication", prepare=_publication),
    Shot("dashboard.png", page="stats", prepare=_dashboard),
    Shot("settings-database.png", page="settings", prepare=_settings_tab(0)),
    Shot("settings-bureau.png", page="settings", prepare=_settings_tab(1)),
    Shot("settings-users.png", page="settings", prepare=_settings_tab(2)),
    Shot("settings-backup.png", page="settings", prepare=_settings_tab(3)),
    Shot("settings-audit.png", page="settings", prepare=_select_audit_row),
    Shot("help-guide.png", dialog=_guide),
    Shot("help-shortcuts.png", dialog=_shortcuts),
    Shot("help-about.png", dialog=_about),
)


def _settle(app: Any, rounds: int = 20) -> None:
    from PySide6.QtCore import QThread

    for _ in range(rounds):
        app.processEvents()
        QThread.msleep(15)


def take(shots: tuple[Shot, ...], out_dir: Path = GUIDE_IMAGES) -> list[Path]:
    """Start the app on a fresh demo database and grab every shot; the files written."""
    # A fixed folder: the path in the status bar is the same at every run.
    home = Path(tempfile.gettempdir()) / "dualrandom-screenshots"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.environ["DUALRANDOM_HOME"] = str(home)
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "xcb" if os.environ.get("DISPLAY") else "offscreen"

    from PySide6.QtWidgets import QApplication

    from app.models.db import open_database
    from app.services.access import auth
    from app.services.demo.fill import fill_demo
    from app.views.application import configure_application
    from app.views.context import AppContext
    from app.views.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    configure_application(app)
    # As a clerk on a single PC sees it: signed in without an account.
    auth.sign_in(auth.anonymous_principal())
    db = open_database(f"sqlite:///{home / 'demo.sqlite'}")
    fill_demo(db, targets=5_000, seed=2026, today=TODAY)
    _work_the_year(db)
    window = MainWindow(AppContext(db))
    window.resize(*SCREEN)
    window.show()
    _settle(app)
    scene = Scene(window, db)
    written = []
    for shot in shots:
        target = (out_dir / shot.file).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        widget: Any = window
        if shot.page:
            widget = window.show_page(shot.page)
        if shot.dialog:
            widget = shot.dialog(scene)
            widget.show()
        _settle(app)
        if shot.prepare:
            shot.prepare(scene, widget)
            _settle(app)
        grabbed = (widget if shot.dialog else window).grab()
        if not grabbed.save(str(target)):
            raise SystemExit(f"cannot write {target}")
        written.append(target)
        print(f"{target.relative_to(ROOT)}  {grabbed.width()}×{grabbed.height()}")
        if shot.dialog:
            widget.close()
            widget.deleteLater()
            _settle(app, 3)
    window.close()
    db.dispose()
    return written


def main(argv: list[str]) -> int:
    wanted = {a.removesuffix(".png") for a in argv}
    shots = tuple(s for s in SHOTS if not wanted or Path(s.file).stem in wanted)
    if wanted and not shots:
        print(f"no such screenshot: {' '.join(sorted(wanted))}", file=sys.stderr)
        return 2
    take(shots)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
