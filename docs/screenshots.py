"""Regenerate the user guide's screenshots from the real app on a demo database.

    xvfb-run -a -s "-screen 0 1280x720x24" .venv/bin/python docs/screenshots.py [NAME …]

Runs on the xcb platform when a display is there (Xvfb in CI), offscreen
otherwise, with the shipped CJK font, at 1280×720 — the smallest screen the
program promises to fit. CI runs it after the tests, so the pictures never
go stale. A new page's screenshot is one line in SHOTS below:

    Shot("results.png", page="results"),

`page` is a key of app/views/pages.py; `dialog` builds a window from the
Scene; `prepare` puts the page or dialog into the state worth showing.
Pass names (without .png) to take only those.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUIDE_IMAGES = ROOT / "docs" / "user-guide" / "images"
# The demo's "today": the 2026 plan is filed and published, the 2027 one a draft.
TODAY = date(2026, 3, 16)
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


SHOTS: tuple[Shot, ...] = (
    Shot("../../images/main-window.png", page="targets"),
    Shot("home.png", page="home"),
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
