"""Every page and dialog fits a 1280×720 screen (office PCs and projectors).

The screen is pinned to 1280×720 (the offscreen platform's own is 800×800);
the main window visits every page and must neither grow past the screen nor
ask for more; each dialog's minimum size, preferred size and the size it
opens at must fit the screen with its window frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDialog, QWidget

from app.models.db import Database
from app.services.demo.fill import fill_demo
from app.services.plans import queries as plan_queries
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.pages import PAGES
from app.views.widgets import screen

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

SCREEN = QSize(1280, 720)
# What a dialog may use: the screen less its title bar and borders.
ROOM = SCREEN - screen.FRAME_ALLOWANCE


@pytest.fixture
def small_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screen, "available_geometry", lambda widget=None: QRect(0, 0, 1280, 720))


@pytest.fixture
def demo_ctx(app_ctx: AppContext) -> AppContext:
    fill_demo(app_ctx.db, targets=400, seed=7, today=date(2026, 3, 2))
    return app_ctx


def _fits(size: QSize, room: QSize) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


@pytest.fixture
def window(qtbot, demo_ctx: AppContext, small_screen: None) -> Iterator[MainWindow]:
    w = MainWindow(demo_ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


def test_the_main_window_fits_on_every_page(qtbot, window: MainWindow) -> None:
    assert _fits(window.size(), ROOM), window.size()
    grown = []
    for spec in PAGES:
        window.show_page(spec.key)
        qtbot.wait(20)
        if not _fits(window.minimumSizeHint(), ROOM) or not _fits(window.size(), ROOM):
            grown.append((spec.key, window.minimumSizeHint(), window.size()))
    assert not grown, f"pages that widen the window past 1280×720: {grown}"
    frame = window.frameGeometry()
    assert frame.width() <= SCREEN.width() and frame.height() <= SCREEN.height()


def _dialogs(db: Database, parent: QWidget) -> dict[str, Callable[[], QDialog]]:
    from app.services.access.users import department_choices
    from app.views.auth.dialogs import ChangePasswordDialog, CreateAdminDialog, LoginDialog
    from app.views.draw.console_dialogs import ReasonDialog as DrawReasonDialog
    from app.views.plans.plan_editor import PlanEditorDialog, ReasonDialog
    from app.views.plans.task_editor import TaskEditorDialog
    from app.views.plans.versions import VersionsDialog
    from app.views.registry.inspector_dialog import InspectorDialog
    from app.views.registry.item_dialog import ItemDialog
    from app.views.registry.joint_groups_dialog import DepartmentsDialog, JointGroupsDialog
    from app.views.registry.target_dialog import TargetDialog
    from app.views.settings.users_tab import UserDialog

    plan = plan_queries.list_plans(db)[0]
    detail = plan_queries.get_plan(db, plan.code)
    task = detail.tasks[0]
    return {
        "login": lambda: LoginDialog(lambda u, p: None, "SQLite：demo.sqlite", parent),
        "create admin": lambda: CreateAdminDialog(lambda u, d, p: None, "demo", parent),
        "change password": lambda: ChangePasswordDialog(lambda o, n: None, parent),
        "new item": lambda: ItemDialog(db, None, parent),
        "edit item": lambda: ItemDialog(db, 1, parent),
        "new target": lambda: TargetDialog(db, None, parent),
        "edit target": lambda: TargetDialog(db, 1, parent),
        "new inspector": lambda: InspectorDialog(db, None, parent),
        "edit inspector": lambda: InspectorDialog(db, 1, parent),
        "joint groups": lambda: JointGroupsDialog(db, parent),
        "departments": lambda: DepartmentsDialog(db, parent),
        "new plan": lambda: PlanEditorDialog(db, parent=parent),
        "edit plan": lambda: PlanEditorDialog(db, detail.spec, detail.state.locked, parent),
        "new task": lambda: TaskEditorDialog(db, plan.code, plan.year, False, parent=parent),
        "edit task": lambda: TaskEditorDialog(
            db, plan.code, plan.year, detail.state.locked, task.spec, parent=parent
        ),
        "versions": lambda: VersionsDialog(db, plan.code, parent),
        "plan reason": lambda: ReasonDialog("删除抽查任务", "请填写原因：", parent),
        "draw reason": lambda: DrawReasonDialog(parent, "作废", "请说明原因", True, True),
        "user": lambda: UserDialog(department_choices(db), lambda d: None, None, parent),
    }


def test_every_dialog_fits(qtbot, window: MainWindow) -> None:
    from app.resources import user_guide_path
    from app.views.help import AboutDialog, DocumentViewer, ShortcutsDialog
    from app.views.setup_wizard import FirstRunWizard

    makers = _dialogs(window.ctx.db, window)
    makers["about"] = lambda: AboutDialog(window.ctx.db, window)
    makers["shortcuts"] = lambda: ShortcutsDialog(window)
    makers["user guide"] = lambda: DocumentViewer(user_guide_path(), "用户指南", window)
    makers["first run"] = lambda: FirstRunWizard(window)
    too_big = []
    for name, make in makers.items():
        dialog = make()
        dialog.show()
        qtbot.waitExposed(dialog)
        sizes = {
            "minimum": dialog.minimumSizeHint(),
            "hint": dialog.sizeHint().boundedTo(dialog.maximumSize()),
            "actual": dialog.size(),
        }
        for what, size in sizes.items():
            if not _fits(size, ROOM):
                too_big.append((name, what, size.width(), size.height()))
        dialog.reject()
        dialog.deleteLater()
    assert not too_big, f"dialogs past 1280×720: {too_big}"
