"""Issue 11.6: bad input reported in Chinese — never a traceback, a new empty database,
a replaced device file or a silently made folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from app import cli
from app.models import Department
from app.models.db import Database
from app.services.registry.query import TargetQuery, count_targets, fetch_targets
from tests.registry_data import add_targets, target_code
from tests.tamper import tamper
from tests.xlsx_files import target_rows, write_xlsx


def test_a_mistyped_db_path_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "名录.xlsx", target_rows([target_code(1)]))
    typo = tmp_path / "typo_dir" / "x.sqlite"
    for argv in (
        ["import", "targets", str(path), "--db", str(typo)],
        ["export", "targets", str(tmp_path / "o.xlsx"), "--db", str(typo)],
        ["plan", "list", "--db", str(typo)],
        ["audit", "verify", "--db", str(typo)],
        ["user", "list", "--db", str(typo)],
        ["backup", str(tmp_path / "b.sqlite"), "--db", str(typo)],
    ):
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert str(typo) in err and "不存在" in err and "Traceback" not in err, argv
    assert not typo.parent.exists()
    # Made on purpose with --create (in an existing folder).
    made = tmp_path / "new.sqlite"
    assert cli.main(["import", "targets", str(path), "--db", str(made), "--create"]) == 0
    assert made.exists()


def test_output_paths_that_are_folders_devices_or_in_missing_folders(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite_db.url
    device = Path("/dev/null")
    for out, expected in (
        (".", "文件夹"),
        (str(tmp_path), "文件夹"),
        (str(device), "不是普通文件"),
        (str(tmp_path / "没有" / "x.xlsx"), "不存在"),
    ):
        for argv in (
            ["export", "targets", out, "--db", db],
            ["template", "targets", out],
            ["manifest", "T-1", "--out", out, "--db", db],
            ["plan", "export", "P-1", out, "--db", db],
            ["bundle", "T-1", out, "--db", db],
        ):
            code = cli.main(argv)
            err = capsys.readouterr().err
            assert code in (1, 2) and expected in err and "Traceback" not in err, (argv, err)
    assert device.is_char_device()  # never replaced by a regular file
    assert not (tmp_path / "没有").exists()


def test_a_folder_as_input_is_called_a_folder(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", "targets", str(tmp_path), "--db", sqlite_db.url]) == 2
    err = capsys.readouterr().err
    assert "文件夹" in err and "文件不存在" not in err
    from app.excel.reader import SheetReader, WorkbookError
    from app.excel.templates import TEMPLATES

    with pytest.raises(WorkbookError, match="文件夹"):
        SheetReader(tmp_path, TEMPLATES["targets"])


def test_an_unreachable_database_exits_2_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    path = write_xlsx(tmp_path / "名录.xlsx", target_rows([target_code(1)]))
    for argv in (
        ["import", "targets", str(path), "--db", url],
        ["export", "targets", str(tmp_path / "o.xlsx"), "--db", url],
        ["plan", "list", "--db", url],
        ["manifest", "T-1", "--out", str(tmp_path / "m.json"), "--db", url],
        ["audit", "verify", "--db", url],
        ["user", "list", "--db", url],
        ["bundle", "T-1", str(tmp_path / "b.zip"), "--db", url],
    ):
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "127.0.0.1" in err and "Traceback" not in err, argv


@pytest.mark.parametrize("bad", ["\x00", "测试\x00", "\ud800", "a\udfffb", "\x00" * 5])
def test_search_text_with_nul_or_lone_surrogate(db: Database, bad: str) -> None:
    add_targets(db, 20)
    q = TargetQuery(text=bad)
    assert count_targets(db, q) >= 0
    fetch_targets(db, q, limit=10)


def test_restore_asks_before_using_a_backup_whose_audit_log_is_broken(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(sqlite_db.engine.url.database or "")
    for name in ("甲", "乙", "丙"):
        with sqlite_db.session() as s:
            s.add(Department(code=name, name=name))
    backup = tmp_path / "copy.sqlite"
    assert cli.main(["backup", str(backup), "--db", str(path)]) == 0
    from app.models.db import open_database

    copy = open_database(f"sqlite:///{backup}", migrate=False)
    with tamper(copy) as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2"))
    copy.dispose()
    sqlite_db.dispose()
    capsys.readouterr()
    assert cli.main(["restore", str(backup), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "审计日志" in err and "--yes" in err
    assert not list(tmp_path.glob("*before-restore*"))
    assert cli.main(["restore", str(backup), "--db", str(path), "--yes"]) == 0
    assert list(tmp_path.glob("*before-restore*"))


def test_backup_into_a_folder_given_with_a_trailing_slash(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(Path(sqlite_db.engine.url.database or ""))
    missing = tmp_path / "NEWDIR"
    assert cli.main(["backup", f"{missing}{os.sep}", "--db", path]) == 2
    assert "不存在" in capsys.readouterr().err
    assert not missing.exists()
    missing.mkdir()
    assert cli.main(["backup", f"{missing}{os.sep}", "--db", path]) == 0
    (made,) = missing.glob("test__*__manual.sqlite")
    assert made.is_file()
