"""Settings → 审计日志 → 校验 names a change to `users` made around the program (PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.domain.auth import Role
from app.models.db import Database
from app.services.access import auth
from app.services.access import users as user_admin
from app.views.application import configure_application
from app.views.context import AppContext
from app.views.settings.page import SettingsPage


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
