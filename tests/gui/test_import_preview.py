"""The import preview on the items page and the plan table import on the plans page."""

from __future__ import annotations

from pathlib import Path

import pytest
from published_files import add_members, joint_list, plan_table
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from app.models import InspectionItem
from app.services.registry.imports.engine import import_registry
from app.views.context import AppContext
from app.views.plans.page import PlansPage
from app.views.registry.items_page import ItemsPage

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_items_preview_then_import_with_a_column_by_hand(
    qtbot, app_ctx: AppContext, tmp_path: Path
) -> None:
    add_members(app_ctx.db)
    page = ItemsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    dialog = page.transfer.open_preview(str(joint_list(tmp_path / "清单.xlsx")))
    assert dialog is not None and dialog.isVisible()
    assert dialog.width() <= 1280 and dialog.height() <= 720
    assert dialog.combos[4].currentData() == "department"
    assert dialog.combos[3].currentData() == "target_type"
    dialog.combos[3].setCurrentIndex(0)  # 检查对象 not imported, by hand
    assert dialog.combos[3].currentData() is None
    with qtbot.waitSignal(page.transfer.finished, timeout=20_000):
        dialog.accept()
    summary = page.transfer.summary
    assert summary is not None and summary.isVisible()
    assert "新增 3" in summary.findChild(QLabel, "pageTitle").text()
    with app_ctx.db.session() as s:
        assert set(s.scalars(select(InspectionItem.target_type))) == {""}


def test_plan_table_import_from_the_plans_page(qtbot, app_ctx: AppContext, tmp_path: Path) -> None:
    add_members(app_ctx.db)
    import_registry(app_ctx.db, "items", joint_list(tmp_path / "清单.xlsx"))
    page = PlansPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    dialog = page.plan_import.open_preview(str(plan_table(tmp_path / "计划.xlsx")), 2026)
    assert dialog is not None and dialog.height() <= 720
    with qtbot.waitSignal(page.plan_import.finished, timeout=20_000):
        dialog.accept()
    code = page.selected_plan()
    assert code and code.endswith("-2026")
    assert page.task_model.rowCount() == 3
    assert "草稿计划" in page.message.text()
