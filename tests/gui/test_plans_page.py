"""The plans page driven like a planner would: joint task, live pool, cap, filing, adjustment."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from planning_data import seed_registry
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.planning import PlanState
from app.services.plans import planning
from app.views.context import AppContext
from app.views.plans.page import PlansPage
from app.views.plans.plan_editor import PlanEditorDialog
from app.views.plans.task_editor import TaskEditorDialog
from app.views.plans.versions import VersionsDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def ctx(app_ctx: AppContext) -> AppContext:
    app_ctx.rows = seed_registry(app_ctx.db)  # type: ignore[attr-defined]
    return app_ctx


@pytest.fixture
def page(qtbot, ctx: AppContext) -> PlansPage:
    page = PlansPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def _active(rows, divisions=None) -> Counter:
    return Counter(
        t.stratum for t in rows if t.active and (divisions is None or t.division in divisions)
    )


def _wait_preview(qtbot, dialog: TaskEditorDialog) -> None:
    qtbot.waitUntil(lambda: dialog.preview.preview is not None and not dialog.preview.busy())


def _save(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def _strata(dialog: TaskEditorDialog) -> dict[str, tuple[str, str]]:
    return {r.key: (r.cells[1], r.cells[3]) for r in dialog.preview.strata_model.rows()}


def _new_plan(qtbot, page: PlansPage) -> None:
    dialog = page.open_new_plan()
    assert isinstance(dialog, PlanEditorDialog)
    dialog.code.setText("LC-LH-2026")
    dialog.year.setValue(2026)
    dialog.title_edit.setText("聊城市2026年度部门联合双随机抽查工作计划")
    dialog.lead.setCurrentIndex(dialog.lead.findData("SCJGJ"))
    dialog.departments.set_checked(["SCJGJ", "YJJ", "WJW"])
    _save(dialog)
    qtbot.waitUntil(lambda: page.dialog is None)


def _new_joint_task(qtbot, page: PlansPage, ratio_a: str) -> TaskEditorDialog:
    dialog = page.open_new_task()
    assert isinstance(dialog, TaskEditorDialog)
    dialog.code.setText("LC-LH-2026-001")
    dialog.title_edit.setText("餐饮场所食品安全、消防安全与公共卫生联合检查")
    for code in ("SCJG-01", "YJ-01", "WJ-01"):
        dialog.items.set_code_checked(code)
    dialog.team_size.setValue(3)
    dialog.rule_modes["A"].setCurrentIndex(1)
    dialog.rule_values["A"].setText(ratio_a)
    return dialog


def test_joint_task_pool_cap_filing_adjustment_versions(
    qtbot, qtmodeltester, page: PlansPage, ctx: AppContext, tmp_path: Path
) -> None:
    rows = ctx.rows  # type: ignore[attr-defined]
    _new_plan(qtbot, page)
    assert page.plan_model.key(0) == "LC-LH-2026"
    assert page.selected_plan() == "LC-LH-2026"

    # A joint task of three departments: the minimums follow the chosen items.
    dialog = _new_joint_task(qtbot, page, "20")
    assert set(dialog._minimums) == {"SCJGJ", "YJJ", "WJW"}
    _wait_preview(qtbot, dialog)
    everyone = _active(rows)
    assert _strata(dialog)["A"][0] == f"{everyone['A']:,}"
    assert _strata(dialog)["A"][1] == str((everyone["A"] * 2000 + 9999) // 10000)
    people = {r.key: r.cells[2] for r in dialog.preview.dept_model.rows()}
    assert people == {"SCJGJ": "4", "YJJ": "2", "WJW": "1"}

    # The pool numbers follow an edit of the scope.
    dialog.divisions.set_code_checked("371502")
    local = _active(rows, {"371502"})
    qtbot.waitUntil(lambda: _strata(dialog)["A"][0] == f"{local['A']:,}")

    # 20% is above the 8% cap of 公共场所卫生检查: shown, and filing is blocked.
    _wait_preview(qtbot, dialog)
    assert dialog.preview.preview.blocks_filing
    assert "不能备案" in dialog.preview.problems.text()
    for model in (
        dialog.preview.strata_model,
        dialog.preview.dept_model,
        dialog.preview.overlap_model,
    ):
        qtmodeltester.check(model)
    _save(dialog)  # a draft may be saved as it is
    qtbot.waitUntil(lambda: page.dialog is None)
    assert page.task_model.key(0) == "LC-LH-2026-001"
    assert not page.file_selected()
    assert "不能备案" in page.message.text() and "比例上限 8%" in page.message.text()
    assert planning.get_plan(ctx.db, "LC-LH-2026").state is PlanState.DRAFT

    # Fix the ratio, file: the plan locks.
    page.select_task("LC-LH-2026-001")
    dialog = page.open_edit_task()
    dialog.rule_values["A"].setText("3")
    _wait_preview(qtbot, dialog)
    _save(dialog)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert page.file_selected(), page.message.text()
    assert "已备案" in page.message.text()
    assert page.edit_task.text() == "调整任务…"

    # Adjust with a reason: refused without one, saved as version 2 with it.
    page.select_task("LC-LH-2026-001")
    dialog = page.open_edit_task()
    assert dialog.reason.isVisibleTo(dialog)
    dialog.rule_values["B"].setText("4")
    _wait_preview(qtbot, dialog)
    _save(dialog)
    assert "调整原因" in dialog.error.text() and dialog.isVisible()
    dialog.reason.setText("按市联席办通知下调 B 类比例")
    _save(dialog)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert "第 2 版" in page.message.text()

    # Both versions side by side, the change highlighted.
    versions = page.open_versions()
    assert isinstance(versions, VersionsDialog)
    qtmodeltester.check(versions.model)
    assert versions.model.headerData(1, Qt.Orientation.Horizontal) == "第 1 版"
    assert versions.model.headerData(2, Qt.Orientation.Horizontal) == "第 2 版"
    changed = [r for r in versions.model.rows() if r.background is not None]
    assert [(r.cells[0], r.cells[1], r.cells[2]) for r in changed] == [
        ("LC-LH-2026-001｜B 类抽查", "5%", "4%")
    ]
    versions.only_changed.setChecked(True)
    assert versions.model.rowCount() == 1
    versions.reject()
    qtbot.waitUntil(lambda: page.dialog is None)

    for model in (page.plan_model, page.task_model):
        qtmodeltester.check(model)
    job = page.export_to(tmp_path / "plan.pdf")
    assert job is not None
    qtbot.waitUntil(lambda: "已导出计划" in page.message.text(), timeout=30_000)
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert page.publish_selected()
    assert page.plan_model.rows()[0].cells[2] == "已公开"


def test_unreadable_ratio_is_named_and_not_previewed(qtbot, page: PlansPage) -> None:
    _new_plan(qtbot, page)
    dialog = _new_joint_task(qtbot, page, "12.345")
    assert "A 类" in dialog.error.text() and "两位小数" in dialog.error.text()
    dialog.rule_values["A"].setText("1.5")
    assert dialog.error.text() == ""
    _wait_preview(qtbot, dialog)
    dialog.reject()
    qtbot.waitUntil(lambda: page.dialog is None)


def test_delete_task_in_a_filed_plan_asks_for_a_reason(qtbot, page: PlansPage, ctx) -> None:
    _new_plan(qtbot, page)
    dialog = _new_joint_task(qtbot, page, "3")
    _save(dialog)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert page.file_selected(), page.message.text()
    page.select_task("LC-LH-2026-001")
    ask = page.ask_delete_task()
    ask._ok()
    assert ask.error.text() == "请填写调整原因。"
    ask.edit.setText("任务取消")
    ask._ok()
    qtbot.waitUntil(lambda: page.dialog is None)
    # The only task of a filed plan cannot go.
    assert "至少保留一个抽查任务" in page.message.text()


def test_main_window_builds_the_plans_page(main_window) -> None:
    assert isinstance(main_window.page("plans"), PlansPage)


def test_new_task_dialog_opens_without_an_error_and_complains_on_edit_and_save(
    qtbot, page: PlansPage
) -> None:
    _new_plan(qtbot, page)
    dialog = page.open_new_task()
    assert isinstance(dialog, TaskEditorDialog)
    assert dialog.error.text() == ""  # nothing typed yet: nothing wrong yet
    dialog.code.setText("LC-LH-2026-009")
    assert dialog.error.text() == "请选择至少一个抽查事项。"
    dialog.items.set_code_checked("SCJG-01")
    assert dialog.error.text() == ""
    dialog.rule_values["A"].setText("abc")
    assert "A" in dialog.error.text() or "低风险" in dialog.error.text()
    dialog.rule_values["A"].setText("3")
    dialog.title_edit.setText("")
    _save(dialog)
    assert dialog.error.text()  # the service's refusal is shown on save
    dialog.reject()
