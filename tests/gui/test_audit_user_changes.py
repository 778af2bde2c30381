"""Settings → 审计日志 → 校验 names a change to `users` made around the program (PostgreSQL),
and 核实… acknowledges one with a reason."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from app.domain.auth import Role
from app.models.db import Database
from app.services.access import auth
from app.services.access import users as user_admin
from app.views.application import configure_application
from app.views.context import AppContext
from app.views.settings.page import SettingsPage

# Set to a folder to look at the dialog and the page.
SCREENSHOTS = Path(os.environ["SHOTS"]) if os.environ.get("SHOTS") else None


@pytest.fixture
def page(qapp, qtbot, db: Database) -> Iterator[SettingsPage]:
    configure_application(qapp)
    admin = auth.create_first_admin(db, "admin", "管理员", "Admin2026x")
    with auth.acting_as(admin):
        user_admin.create_user(db, "zhangsan", "张三", "Clerk2026x", {Role.PLANNER})
    auth.sign_in(admin)
    widget = SettingsPage(AppContext(db))
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.tabs.setCurrentWidget(widget.audit)
    widget.show()
    try:
        yield widget
    finally:
        widget.database.wait()
        widget.audit.wait()
        auth.sign_in(None)


@pytest.mark.pg
def test_the_check_shows_a_role_raised_with_psql(page: SettingsPage, qtbot, db: Database) -> None:
    tab = page.audit
    with qtbot.waitSignal(tab.verified, timeout=10_000) as ok:
        tab.verify()
    assert ok.args[0] is True, tab.result.text()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE users SET roles = '[\"admin\"]' WHERE username = 'zhangsan'"))
    with qtbot.waitSignal(tab.verified, timeout=10_000) as bad:
        tab.verify()
    message = tab.result.text()
    assert bad.args[0] is False
    assert "用户表在应用之外被修改" in message
    assert "用户 zhangsan，角色 planner→admin（审计日志中无对应记录）" in message
    # Many findings: the first few, one a line, and where to see them all.
    with db.engine.begin() as conn:
        for n in range(6):
            conn.execute(text(f"UPDATE users SET failed_attempts = {n + 1} WHERE id = 1"))
    with qtbot.waitSignal(tab.verified, timeout=10_000):
        tab.verify()
    lines = tab.result.text().splitlines()
    assert len(lines) == 7 and re.match(r"［变更 \d+］用户表在应用之外被修改", lines[1])
    assert "另有 2 处" in lines[-1] and "dualrandom audit verify" in lines[-1]


def test_nothing_to_acknowledge_without_a_finding(page: SettingsPage, qtbot) -> None:
    tab = page.audit
    with qtbot.waitSignal(tab.verified, timeout=10_000) as ok:
        tab.verify()
    assert ok.args[0] is True
    assert not tab.ack_button.isEnabled()


@pytest.mark.pg
def test_a_finding_is_acknowledged_with_a_reason(page: SettingsPage, qtbot, db: Database) -> None:
    tab = page.audit
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = false WHERE username = 'zhangsan'"))
        conn.execute(text("UPDATE users SET roles = '[\"admin\"]' WHERE username = 'zhangsan'"))
    with qtbot.waitSignal(tab.verified, timeout=10_000) as bad:
        tab.verify()
    assert bad.args[0] is False
    assert tab.ack_button.isEnabled()
    first, second = (int(n) for n in re.findall(r"［变更 (\d+)］", tab.result.text()))

    qtbot.mouseClick(tab.ack_button, Qt.MouseButton.LeftButton)
    dialog = tab.ack_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.change.count() == 2 and dialog.change.currentData() == first
    assert "状态 启用→停用" in dialog.detail.text()
    if SCREENSHOTS:
        dialog.grab().save(str(SCREENSHOTS / "audit_acknowledge.png"))
    dialog.ok_button.click()  # no reason yet
    assert "须写明理由" in dialog.error.text() and dialog.isVisible()

    dialog.change.setCurrentIndex(1)
    assert "角色 planner→admin" in dialog.detail.text()
    dialog.reason.setText("信息科张工排查权限问题时临时改动，已改回")
    with qtbot.waitSignal(tab.verified, timeout=10_000) as still:
        dialog.ok_button.click()
    assert not dialog.isVisible()
    # The other change is still open; the acknowledged one is listed apart.
    assert still.args[0] is False
    lines = tab.result.text().splitlines()
    assert lines[1].startswith(f"［变更 {first}］用户表在应用之外被修改")
    assert f"［变更 {second}］用户表在应用之外被修改" not in tab.result.text()
    assert lines[2].startswith("已由管理员核实的用户表直接修改")
    assert lines[3].startswith(f"［变更 {second}］已核实的用户表直接修改：")
    assert "核实人 admin" in lines[3] and lines[3].endswith("已改回")

    qtbot.mouseClick(tab.ack_button, Qt.MouseButton.LeftButton)
    dialog = tab.ack_dialog
    assert dialog.change.count() == 1
    dialog.reason.setText("同一次排查")  # keyClicks cannot type Chinese
    with qtbot.waitSignal(tab.verified, timeout=10_000) as good:
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert good.args[0] is True, tab.result.text()
    assert tab.result.text().startswith("审计日志完整")
    assert tab.result.text().count("已核实的用户表直接修改") == 2
    assert not tab.ack_button.isEnabled()
    if SCREENSHOTS:
        qtbot.wait(200)  # let the layout take the longer result
        page.grab().save(str(SCREENSHOTS / "audit_acknowledged.png"))
