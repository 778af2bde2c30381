"""系统设置 as an administrator uses it: database, users and roles, backups, audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text

from app import connection
from app.domain.auth import Role
from app.models import Department, Inspector
from app.services.access import auth
from app.services.access import users as user_admin
from app.services.access.auth import Principal
from app.services.system import backup
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.settings.models import AuditModel, BackupsModel, UsersModel
from app.views.settings.page import SettingsPage

pytestmark = pytest.mark.gui
PASSWORD = "Chouqu2026"


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def as_admin() -> Iterator[Principal]:
    p = auth.anonymous_principal()
    auth.sign_in(p)
    yield p
    auth.sign_in(None)


@pytest.fixture
def as_viewer() -> Iterator[Principal]:
    p = Principal(9, "leader", "领导", frozenset({Role.VIEWER}))
    auth.sign_in(p)
    yield p
    auth.sign_in(None)


@pytest.fixture
def page(qtbot, app_ctx: AppContext, as_admin: Principal) -> Iterator[SettingsPage]:
    with app_ctx.db.session() as s:
        s.add(Department(code="SJ", name="市场监管局"))
    widget = SettingsPage(app_ctx)
    qtbot.addWidget(widget)
    yield widget
    widget.database.wait()
    widget.audit.wait()


def test_navigation_opens_the_settings_page(main_window: MainWindow, as_admin: Principal) -> None:
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs == ["数据库", "用户与权限", "备份与恢复", "审计日志", "节假日与结果期限"]


def test_administrator_adds_and_edits_a_user(page: SettingsPage, qtmodeltester) -> None:
    tab = page.users
    dlg = tab.user_dialog(None)
    dlg.username.setText("zhang")
    dlg.display_name.setText("张三")
    dlg.password.setText("short")
    dlg.roles[Role.PLANNER].setChecked(True)
    dlg.department.setCurrentIndex(dlg.department.findText("市场监管局"))
    dlg._submit()
    assert "至少" in dlg.error.text() and dlg.result() == 0
    dlg.password.setText(PASSWORD)
    dlg._submit()
    assert dlg.result() == 1
    assert tab.model.rowCount() == 1
    assert tab.model.data(tab.model.index(0, 2)) == "计划管理员"
    assert tab.model.data(tab.model.index(0, 3)) == "市场监管局"
    assert "须修改初始密码" in tab.model.data(tab.model.index(0, 4))
    qtmodeltester.check(tab.model)
    tab.table.selectRow(0)
    edit = tab.user_dialog(tab.selected())
    edit.roles[Role.PUBLISHER].setChecked(True)
    edit._submit()
    assert tab.model.data(tab.model.index(0, 2)) == "计划管理员、审核/公示"
    tab.table.selectRow(0)
    tab.do_reset_password(tab.selected(), "Another2026")
    assert "已重设" in tab.notice.text()
    assert auth.login(tab._db, "zhang", "Another2026").must_change_password


def test_a_login_is_tied_to_its_inspector_record(page: SettingsPage) -> None:
    tab = page.users
    with tab._db.session() as s:
        dept = s.scalar(select(Department).where(Department.code == "SJ"))
        other = Department(code="YJ", name="应急管理局")
        s.add_all(
            [
                Inspector(name="李娜", department=dept, badge_no="37150002"),
                Inspector(name="孙伟", department=other, badge_no="37150101"),
            ]
        )
    dlg = tab.user_dialog(None)
    labels = [dlg.inspector.itemText(i) for i in range(dlg.inspector.count())]
    assert labels == ["（不关联）", "李娜（37150002，市场监管局）", "孙伟（37150101，应急管理局）"]
    dlg.username.setText("lina")
    dlg.password.setText(PASSWORD)
    dlg.roles[Role.INSPECTOR].setChecked(True)
    dlg.department.setCurrentIndex(dlg.department.findText("市场监管局"))
    dlg.inspector.setCurrentIndex(2)  # another department's inspector
    dlg._submit()
    assert "不属于所选部门" in dlg.error.text() and dlg.result() == 0
    dlg.inspector.setCurrentIndex(1)
    dlg._submit()
    assert dlg.result() == 1
    principal = auth.login(tab._db, "lina", PASSWORD)
    with tab._db.session() as s:
        assert s.get(Inspector, principal.inspector_id).name == "李娜"
    tab.table.selectRow(0)
    edit = tab.user_dialog(tab.selected())
    assert edit.inspector.currentText() == "李娜（37150002，市场监管局）"
    edit.inspector.setCurrentIndex(0)
    edit._submit()
    assert user_admin.list_users(tab._db)[0].inspector_id is None


def test_anonymous_login_cannot_be_switched_off_without_an_administrator(
    page: SettingsPage,
) -> None:
    tab = page.users
    assert tab.anonymous.isVisible() or not tab.anonymous.isHidden()
    assert tab.anonymous.isChecked()
    tab.anonymous.setChecked(False)
    assert tab.anonymous.isChecked()  # refused and put back
    assert "请先" in tab.notice.text()
    user_admin.create_user(tab._db, "admin", "", PASSWORD, [Role.ADMIN])
    tab.anonymous.setChecked(False)
    assert not auth.anonymous_allowed(tab._db)


def test_a_viewer_sees_no_user_management(qtbot, app_ctx: AppContext, as_viewer) -> None:
    page = SettingsPage(app_ctx)
    qtbot.addWidget(page)
    assert not page.users.add_button.isEnabled()
    assert "需要系统管理员权限" in page.users.notice.text()
    assert not page.backups.backup_button.isEnabled()
    assert not page.database.save_button.isEnabled()
    assert page.audit.allowed  # 只读/领导 may read the log


def test_back_up_now_and_restore(page: SettingsPage, qtbot, qtmodeltester) -> None:
    tab = page.backups
    tab.back_up_now()
    assert tab.model.rowCount() == 1 and "已备份到" in tab.notice.text()
    qtmodeltester.check(tab.model)
    with tab._ctx.db.session() as s:
        s.add(Department(code="YJ", name="应急管理局"))
    tab.confirm = lambda *_: True
    tab.after_restore = lambda: None
    tab.table.selectRow(0)
    with qtbot.waitSignal(tab.restored):
        tab.restore_selected()
    assert "原数据库文件保留为" in tab.notice.text()
    import sqlite3

    con = sqlite3.connect(tab.db_path)
    assert [r[0] for r in con.execute("SELECT name FROM departments")] == ["市场监管局"]
    con.close()


def test_restore_refuses_a_damaged_backup(page: SettingsPage) -> None:
    tab = page.backups
    dest = backup.backup_now(tab.db_path)
    data = dest.read_bytes()
    dest.write_bytes(data[: len(data) // 2])
    tab.refresh()
    tab.confirm = lambda *_: pytest.fail("must not ask")
    tab.table.selectRow(0)
    tab.restore_selected()
    assert "未通过完整性检查" in tab.notice.text()


def test_audit_log_view_filters_and_verifies(
    page: SettingsPage, qtbot, qtmodeltester, monkeypatch
) -> None:
    tab = page.audit
    db = tab._db
    for i in range(5):
        with db.session() as s:
            s.add(Department(code=f"D{i}", name=f"部门{i}"))
    monkeypatch.setattr(AuditModel, "PAGE", 2)
    tab.reload_entities()
    tab.search()
    assert tab.model.rowCount() == 2 and tab.model.canFetchMore()
    while tab.model.canFetchMore():
        tab.model.fetchMore()
    assert tab.model.rowCount() == 6
    qtmodeltester.check(tab.model)
    assert tab.model.data(tab.model.index(0, 4)) == "部门"
    tab.actor.setText("nobody")
    tab.search()
    assert tab.model.rowCount() == 0
    tab.actor.clear()
    tab.search()
    tab.table.selectRow(0)
    assert "修改后" in tab.detail.toPlainText()
    with qtbot.waitSignal(tab.verified, timeout=10_000) as ok:
        tab.verify()
    assert ok.args[0] is True and "审计日志完整：共 6 条" in tab.result.text()
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    with qtbot.waitSignal(tab.verified, timeout=10_000) as bad:
        tab.verify()
    assert bad.args[0] is False and "第 4 条" in tab.result.text()


def test_users_and_backups_models_pass_the_model_tester(qtmodeltester, tmp_path: Path) -> None:
    users = UsersModel()
    users.set_rows([])
    qtmodeltester.check(users)
    backups = BackupsModel()
    backups.set_rows([])
    qtmodeltester.check(backups)


@pytest.fixture
def memory_keyring() -> Iterator[dict]:
    store: dict = {}

    class Ring(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, s: str, u: str) -> str | None:
            return store.get((s, u))

        def set_password(self, s: str, u: str, p: str) -> None:
            store[(s, u)] = p

        def delete_password(self, s: str, u: str) -> None:
            store.pop((s, u), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Ring())
    yield store
    keyring.set_keyring(previous)


def test_database_tab_tests_and_saves_a_server(
    page: SettingsPage, qtbot, memory_keyring: dict
) -> None:
    tab = page.database
    assert "SQLite" in tab.current.text()
    with qtbot.waitSignal(tab.tested, timeout=10_000) as sqlite_ok:
        tab.test_connection()
    assert sqlite_ok.args[0] is True and "完好" in tab.status.text()
    tab.use_server.setChecked(True)
    tab.host.setText("127.0.0.1")
    tab.port.setValue(1)
    tab.database.setText("dr")
    tab.user.setText("clerk")
    tab.password.setText("s3cret")
    with qtbot.waitSignal(tab.tested, timeout=20_000) as down:
        tab.test_connection()
    assert down.args[0] is False and "无法连接" in tab.status.text()
    tab.save()
    saved = connection.settings_path().read_text(encoding="utf-8")
    assert "s3cret" not in saved and "127.0.0.1" in saved
    assert memory_keyring == {("DualRandom", "clerk@127.0.0.1:1/dr"): "s3cret"}
    assert "请重新启动程序" in tab.status.text() and tab.password.text() == ""
    tab.reset_default()
    assert connection.load() is None and tab.use_sqlite.isChecked()


def test_database_tab_without_keyring(page: SettingsPage) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        tab = page.database
        tab.use_server.setChecked(True)
        tab.host.setText("db.local")
        tab.password.setText("s3cret")
        tab.save()
    finally:
        keyring.set_keyring(previous)
    assert "密码未保存" in tab.status.text()
    assert "s3cret" not in connection.settings_path().read_text(encoding="utf-8")
