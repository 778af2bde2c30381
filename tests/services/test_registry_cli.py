"""`dualrandom import|export|template` as scripts call them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli
from tests.registry_data import target_code
from tests.xlsx_files import read_back, read_sheets, target_rows, write_xlsx


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    # Only this module's commands: the contract under test, whatever else is registered.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("app.commands.registry",))
    return cli.main(argv)


def test_import_json_is_the_last_line_and_rejects_still_exit_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    rows = target_rows([target_code(1), target_code(2), "坏代码"], {"成立日期": ["", "昨天", ""]})
    path = write_xlsx(tmp_path / "名录.xlsx", rows)
    report = tmp_path / "报告.xlsx"
    argv = [
        "import",
        "targets",
        str(path),
        "--db",
        db,
        "--create",
        "--json",
        "--report",
        str(report),
    ]
    code = _run(argv, monkeypatch)
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert json.loads(out[-1]) == {
        "total": 3, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 1, "warnings": 1
    }  # fmt: skip
    assert any("第 4 行未导入" in line for line in out)
    rejected = read_sheets(report)[1][1:]
    assert len(rejected) == 1 and rejected[0][0] == 4 and "坏代码" in rejected[0][1]

    assert _run(["import", "targets", str(path), "--db", db, "--json"], monkeypatch) == 0
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (again["unchanged"], again["rejected"]) == (2, 1)


def test_unreadable_file_exits_2_with_a_chinese_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "名录.xlsx"
    fake.write_text("统一社会信用代码,名称\n", encoding="utf-8")
    argv = [
        "import",
        "targets",
        str(fake),
        "--db",
        str(tmp_path / "x.sqlite"),
        "--create",
        "--json",
    ]
    code = _run(argv, monkeypatch)
    captured = capsys.readouterr()
    assert code == 2
    assert "无法读取文件“名录.xlsx”" in captured.err and "不是 Excel" in captured.err
    assert captured.out == ""


def test_export_and_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.sqlite")  # a plain path works as --db too
    path = write_xlsx(tmp_path / "in.xlsx", target_rows([target_code(n) for n in range(4)]))
    assert _run(["import", "targets", str(path), "--db", db, "--create"], monkeypatch) == 0
    out = tmp_path / "导出.xlsx"
    assert _run(["export", "targets", str(out), "--db", db], monkeypatch) == 0
    rows = read_back(out)
    assert rows[0][:2] == ["统一社会信用代码*", "名称*"] and len(rows) == 5
    tpl = tmp_path / "模板.xlsx"
    assert _run(["template", "items", str(tpl)], monkeypatch) == 0
    assert read_back(tpl)[0][0] == "事项编码*"
    assert "已导出检查对象名录库 4 行" in capsys.readouterr().out


def test_registry_commands_are_registered() -> None:
    assert "app.commands.registry" in cli.COMMAND_MODULES


def test_unwritable_output_is_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "没有这个文件夹" / "模板.xlsx"
    assert _run(["template", "targets", str(out)], monkeypatch) == 1
    assert "无法写入文件" in capsys.readouterr().err
