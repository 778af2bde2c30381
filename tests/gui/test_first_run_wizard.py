"""首次使用向导: single PC or server, accounts, the bureau, the first data; cancel saves nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url

from app import connection
from app.config import default_db_path
from app.models.db import open_database
from app.services.access import auth
from app.services.access.auth import StartMode
from app.services.system.bureau import load_bureau
from app.services.system.first_run import (
    FirstRunPlan,
    apply_first_run,
    needs_first_run,
    single_pc_settings,
)
from app.views import startup
from app.views.application import configure_application
from app.views.setup_pages import PAGE_ACCOUNTS, PAGE_BUREAU, PAGE_DATA, PAGE_DONE, PAGE_SERVER
from app.views.setup_wizard import FirstRunWizard
from app.views.single_instance import SingleInstance
from tests.services.test_first_run import MemoryKeyring

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
PASSWORD = "Admin-2026-ok"


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def wizard(qtbot, qapp) -> Iterator[FirstRunWizard]:
    configure_application(qapp)
    w = FirstRunWizard()
    w.demo_targets = 300
    qtbot.addWidget(w)
    w.show()
    yield w
    w.server.wait()
    if w.job is not None:
        w.job.wait()


def test_single_pc_with_demo_data_and_no_accounts(qtbot, wizard: FirstRunWizard) -> None:
    assert wizard.where.single.isChecked()
    wizard.next()
    assert wizard.currentId() == PAGE_ACCOUNTS and wizard.accounts.none.isChecked()
    wizard.next()
    assert wizard.currentId() == PAGE_BUREAU
    form = wizard.bureau.form
    form.full_name.setText("")
    wizard.next()  # refused: the full name is on every document
    assert wizard.currentId() == PAGE_BUREAU and "单位全称" in wizard.bureau.error.text()
    form.full_name.setText("临清市市场监督管理局")
    form.short_name.setText("临清市市场监管局")
    form.division_code.setText("371581")
    form.doc_prefix.setText("临市监发")
    wizard.next()
    assert wizard.currentId() == PAGE_DATA
    wizard.data.demo.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_DONE
    assert "临清市市场监督管理局" in wizard.done_page.summary.text()
    assert "本机免登录" in wizard.done_page.summary.text()
    wizard.accept()
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=60_000)
    assert wizard.outcome is not None and wizard.outcome.principal is None
    db = open_database(wizard.outcome.url)
    try:
        assert load_bureau(db).doc_prefix == "临市监发"
        assert auth.start_mode(db) is StartMode.ANONYMOUS
    finally:
        db.dispose()
    assert connection.load() is not None and not connection.load().is_server


def test_accounts_are_checked_when_leaving_the_page(qtbot, wizard: FirstRunWizard) -> None:
    wizard.next()
    page = wizard.accounts
    page.admin.setChecked(True)
    page.username.setText("admin")
    page.display_name.setText("王科长")
    page.password.setText(PASSWORD)
    page.repeat.setText(PASSWORD + "x")
    assert page.error.text() == ""  # nothing said before the clerk moves on
    wizard.next()
    assert wizard.currentId() == PAGE_ACCOUNTS and "不一致" in page.error.text()
    page.repeat.setText(PASSWORD)
    wizard.next()
    assert wizard.currentId() == PAGE_BUREAU


def test_cancel_saves_nothing(wizard: FirstRunWizard) -> None:
    wizard.next()
    wizard.reject()
    assert wizard.outcome is None
    assert not default_db_path().exists() and not connection.settings_path().exists()


@pytest.mark.pg
def test_a_shared_server_needs_a_successful_test(qtbot, wizard: FirstRunWizard) -> None:
    base = os.environ.get("DUALRANDOM_TEST_PG_URL")
    if not base:
        pytest.skip("DUALRANDOM_TEST_PG_URL 未设置：跳过 PostgreSQL")
    u = make_url(base)
    wizard.where.server.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_SERVER
    page = wizard.server
    page.host.setText(u.host or "127.0.0.1")
    page.port.setValue(1)
    page.database.setText(u.database or "")
    page.user.setText(u.username or "")
    assert not page.isComplete()
    page.test()
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=20_000)
    assert not page.isComplete() and "拒绝连接" in page.status.text()
    page.port.setValue(u.port or 5432)
    page.test()
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=20_000)
    assert page.isComplete(), page.status.text()
    page.port.setValue(1)  # a change after the test asks for a new one
    assert not page.isComplete()


# The offscreen platform cannot raise a window; a desktop one does.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_start_runs_the_wizard_on_a_fresh_pc(qtbot, qapp, monkeypatch, tmp_path: Path) -> None:
    from app import gui
    from app.views import setup_wizard

    keyring_before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    seen: list[bool] = []

    def wizard_says_single_pc() -> object:
        seen.append(True)
        return apply_first_run(FirstRunPlan(single_pc_settings()))

    monkeypatch.setattr(setup_wizard, "run_first_run_wizard", wizard_says_single_pc)
    hook = sys.excepthook
    started = gui.start(None)
    try:
        assert seen and started is not None
        _app, window, db = started
        qtbot.addWidget(window)
        assert db.url.endswith(str(default_db_path()))
        # The next start finds the database: no wizard.
        assert not needs_first_run(None)
        if startup.last_backup_job is not None:
            startup.last_backup_job.wait(30_000)
    finally:
        for guard in QApplication.instance().findChildren(SingleInstance):
            guard.close()
            guard.setParent(None)
        if started is not None:
            started[2].dispose()
        sys.excepthook = hook
        keyring.set_keyring(keyring_before)
