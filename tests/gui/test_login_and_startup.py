"""Start-up: one instance, login or first administrator, a damaged file, a server that is down."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication

import app.views.auth as gate
from app.domain.auth import Role
from app.models import Department
from app.models.db import Database, open_database
from app.services.access import auth
from app.services.access.auth import StartMode
from app.services.system import backup
from app.views import startup
from app.views.auth.dialogs import ChangePasswordDialog, CreateAdminDialog, LoginDialog
from app.views.single_instance import SingleInstance

pytestmark = pytest.mark.gui
PASSWORD = "Chouqu2026"


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    yield
    auth.sign_in(None)


def test_login_dialog_shows_refusals_and_lock_out(qtbot, sqlite_db: Database) -> None:
    auth.create_first_admin(sqlite_db, "admin", "", PASSWORD)
    dlg = LoginDialog(lambda u, p: auth.login(sqlite_db, u, p), sqlite_db.describe())
    qtbot.addWidget(dlg)
    dlg._submit()
    assert dlg.error.text() == "请输入用户名。"
    dlg.username.setText("admin")
    dlg.password.setText("wrong-pass-1")
    dlg._submit()
    assert "还可再试 4 次" in dlg.error.text() and dlg.password.text() == ""
    for _ in range(4):
        dlg.password.setText("wrong-pass-1")
        dlg._submit()
    assert "已被锁定 15 分钟" in dlg.error.text()
    dlg.password.setText(PASSWORD)
    dlg._submit()
    assert "已被锁定" in dlg.error.text() and dlg.principal is None


def test_login_dialog_accepts_the_right_password(qtbot, sqlite_db: Database) -> None:
    auth.create_first_admin(sqlite_db, "admin", "管理员", PASSWORD)
    dlg = LoginDialog(lambda u, p: auth.login(sqlite_db, u, p), sqlite_db.describe())
    qtbot.addWidget(dlg)
    dlg.username.setText("admin")
    dlg.password.setText(PASSWORD)
    dlg._submit()
    assert dlg.result() == 1 and dlg.principal is not None
    assert dlg.principal.display_name == "管理员"


def test_create_admin_dialog(qtbot, sqlite_db: Database) -> None:
    dlg = CreateAdminDialog(
        lambda u, d, p: auth.create_first_admin(sqlite_db, u, d, p), sqlite_db.describe()
    )
    qtbot.addWidget(dlg)
    dlg.username.setText("admin")
    dlg.password.setText(PASSWORD)
    dlg.confirm.setText("different1")
    dlg._submit()
    assert dlg.error.text() == "两次输入的密码不一致。"
    dlg.password.setText("weak")
    dlg.confirm.setText("weak")
    dlg._submit()
    assert "至少" in dlg.error.text()
    dlg.password.setText(PASSWORD)
    dlg.confirm.setText(PASSWORD)
    dlg._submit()
    assert dlg.result() == 1 and Role.ADMIN in dlg.principal.roles


def test_sign_in_at_start_paths(qtbot, sqlite_db: Database, monkeypatch) -> None:
    # A fresh single-PC install opens without a dialog, with the administrator's rights.
    p = gate.sign_in_at_start(sqlite_db)
    assert p is not None and p.username.startswith("local:")
    assert auth.current_principal() == p
    # Once login is required, the login dialog decides.
    from app.services.access import users as user_admin

    auth.create_first_admin(sqlite_db, "admin", "", PASSWORD)
    user_admin.create_user(sqlite_db, "zhang", "张三", PASSWORD, [Role.PLANNER])
    user_admin.set_anonymous_allowed(sqlite_db, False)
    assert auth.start_mode(sqlite_db) is StartMode.LOGIN

    def fill_and_submit(self: LoginDialog) -> int:
        self.username.setText("zhang")
        self.password.setText(PASSWORD)
        self._submit()
        return self.result()

    def change(self: ChangePasswordDialog) -> int:
        self.old.setText(PASSWORD)
        self.new.setText("Mine2026zz")
        self.confirm.setText("Mine2026zz")
        self._submit()
        return self.result()

    monkeypatch.setattr(LoginDialog, "exec", fill_and_submit)
    monkeypatch.setattr(ChangePasswordDialog, "exec", change)
    p = gate.sign_in_at_start(sqlite_db)
    assert p is not None and p.username == "zhang"
    assert auth.login(sqlite_db, "zhang", "Mine2026zz").must_change_password is False
    monkeypatch.setattr(LoginDialog, "exec", lambda self: 0)
    assert gate.sign_in_at_start(sqlite_db) is None


def test_server_down_at_start_is_a_message(monkeypatch) -> None:
    told: list[tuple[str, str, str | None]] = []
    url = "postgresql+psycopg://clerk:s3cret@127.0.0.1:1/dr?connect_timeout=2"
    db = startup.open_or_recover(url, "/tmp/x.log", report=lambda *a: told.append(a))
    assert db is None
    ((title, message, details),) = told
    assert title == "无法打开数据库"
    assert message.startswith("无法打开数据库（PostgreSQL：clerk@127.0.0.1:1/dr）")
    assert "s3cret" not in message and "Traceback" not in message
    assert details == "日志文件：/tmp/x.log"


def _damaged_with_backup(tmp_path: Path) -> Path:
    path = tmp_path / "office.sqlite"
    db = open_database(f"sqlite:///{path}")
    with db.session() as s:
        s.add(Department(code="SJ", name="市场监管局"))
    backup.backup_now(path, kind="auto")
    db.dispose()
    path.write_bytes(b"\0garbage" * 512)
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    return path


def test_damaged_file_offers_the_latest_backup(tmp_path: Path) -> None:
    path = _damaged_with_backup(tmp_path)
    asked: list[Path] = []
    db = startup.open_or_recover(
        f"sqlite:///{path}", "log", ask=lambda p, problem, latest: asked.append(p) or True,
        report=lambda *a: pytest.fail(f"unexpected error {a}"),
    )  # fmt: skip
    assert asked == [path] and db is not None
    try:
        with db.session() as s:
            assert s.query(Department).count() == 1
    finally:
        db.dispose()
    assert list(tmp_path.glob("office.before-restore-*.sqlite"))


def test_damaged_file_left_alone_when_the_user_quits(tmp_path: Path) -> None:
    path = _damaged_with_backup(tmp_path)
    before = path.read_bytes()
    db = startup.open_or_recover(f"sqlite:///{path}", "log", ask=lambda *a: False)
    assert db is None and path.read_bytes() == before


def test_damaged_file_without_backup_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "lost.sqlite"
    path.write_bytes(b"\0garbage" * 512)
    told: list[tuple] = []
    db = startup.open_or_recover(f"sqlite:///{path}", "log", report=lambda *a: told.append(a))
    assert db is None
    assert told and "无法打开数据库" in told[0][1]


# The offscreen platform cannot raise a window; a desktop one does.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_start_opens_a_fresh_install_and_a_second_start_activates_it(
    qtbot, qapp, tmp_path: Path
) -> None:
    from app.gui import start

    hook = sys.excepthook
    started = start(str(tmp_path / "fresh.sqlite"))
    try:
        assert started is not None
        _app, window, _db = started
        qtbot.addWidget(window)
        assert window.isVisible()
        assert auth.current_principal().username.startswith("local:")
        (instance,) = [c for c in qapp.findChildren(SingleInstance)]
        if startup.last_backup_job is not None:
            startup.last_backup_job.wait(30_000)
        assert backup.list_backups(tmp_path / "fresh.sqlite")[0].kind == "auto"
        with qtbot.waitSignal(instance.activated, timeout=5000), pytest.raises(SystemExit) as ex:
            start(str(tmp_path / "fresh.sqlite"))
        assert ex.value.code == 0
    finally:
        for guard in QApplication.instance().findChildren(SingleInstance):
            guard.close()
            guard.setParent(None)
        if started is not None:
            started[2].dispose()
        sys.excepthook = hook
