"""`dualrandom audit verify`, `backup`, `restore` and `user` as a script would call them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from app import cli
from app.models import Department
from app.models.db import Database
from app.services.access import auth
from tests.tamper import tamper


def _run(argv: list[str]) -> int:
    return cli.main(argv)


def _add(db: Database, *names: str) -> None:
    for name in names:
        with db.session() as s:
            s.add(Department(code=name, name=name))


def test_audit_verify(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _add(db, "甲", "乙", "丙")
    assert _run(["audit", "verify", "--db", db.url]) == 0
    assert "审计日志完整：共 3 条" in capsys.readouterr().out
    with tamper(db) as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE seq = 3"))
    assert _run(["audit", "verify", "--db", db.url]) == 1
    out = capsys.readouterr().out
    assert "第 3 条" in out and "被改动" in out and "此前的 2 条完好" in out


def test_audit_verify_reports_a_server_that_is_down(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2"
    assert _run(["audit", "verify", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "无法读取审计日志" in err and "127.0.0.1:1" in err and "Traceback" not in err


def test_backup_and_restore(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(sqlite_db.engine.url.database)
    _add(sqlite_db, "甲")
    out = tmp_path / "copy.sqlite"
    assert _run(["backup", str(out), "--db", str(path)]) == 0
    assert "已备份" in capsys.readouterr().out
    folder = tmp_path / "folder"
    folder.mkdir()
    assert _run(["backup", str(folder), "--db", str(path)]) == 0
    assert len(list(folder.glob("test__*__manual.sqlite"))) == 1
    _add(sqlite_db, "乙")
    sqlite_db.dispose()
    assert _run(["restore", str(out), "--db", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "原数据库文件保留为" in printed
    assert _run(["audit", "verify", "--db", str(path)]) == 0


def test_restore_refuses_a_bad_file(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    path = sqlite_db.engine.url.database
    sqlite_db.dispose()
    assert _run(["restore", str(bad), "--db", path]) == 2
    assert "未通过检查，数据库未做任何更改" in capsys.readouterr().err


def test_backup_of_postgresql_points_to_the_guide(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["backup", "x.sqlite", "--db", "postgresql+psycopg://u@h/db"]) == 2
    err = capsys.readouterr().err
    assert "pg_dump" in err and "docs/admin-guide.md" in err


def test_user_commands(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    monkeypatch.setattr("sys.stdin", io.StringIO("Admin2026x\n"))
    assert _run(["user", "create-admin", "admin", "--password-stdin", "--db", db.url]) == 0
    for _ in range(5):
        with pytest.raises(auth.LoginError):
            auth.login(db, "admin", "wrong-pass-9")
    if db.engine.dialect.name == "postgresql":
        # A server database always asks for a login: the locked-out administrator is
        # recovered with the owner's connection (the test server's role owns it).
        assert _run(["user", "list", "--db", db.url]) == 2
        assert "须登录" in capsys.readouterr().err
        monkeypatch.setattr("sys.stdin", io.StringIO("Fresh2026y\n"))
        argv = ["user", "reset-password", "admin", "--recovery", "--password-stdin"]
        assert _run([*argv, "--db", db.url, "--admin-db", db.url]) == 0
        assert auth.login(db, "admin", "Fresh2026y").must_change_password
        return
    assert _run(["user", "list", "--db", db.url]) == 0
    assert "已锁定" in capsys.readouterr().out
    assert _run(["user", "unlock", "admin", "--db", db.url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Fresh2026y\n"))
    assert _run(["user", "reset-password", "admin", "--password-stdin", "--db", db.url]) == 0
    assert auth.login(db, "admin", "Fresh2026y").must_change_password
    assert _run(["user", "unlock", "ghost", "--db", db.url]) == 2
    assert "不存在" in capsys.readouterr().err
