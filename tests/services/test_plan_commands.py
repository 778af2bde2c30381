"""`dualrandom plan list|export` and `dualrandom manifest`, and the export files."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from planning_data import joint_plan, joint_task, seed_registry, single_task

from app.commands import plans as plan_commands
from app.draw.protocol import canonical, sha256_hex
from app.draw.validate import load_manifest_bytes
from app.models.db import Database
from app.services.plans import planning
from app.services.plans.export import ExportError, export_plan


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dualrandom")
    parser.add_argument("--db", default=None)
    plan_commands.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    if getattr(args, "sub_db", None):
        args.db = args.sub_db
    return args.run(args)


@pytest.fixture
def filled(db: Database) -> Database:
    seed_registry(db)
    planning.create_plan(db, joint_plan())
    planning.save_task(db, "LC-LH-2026", joint_task())
    planning.save_task(db, "LC-LH-2026", single_task())
    planning.file_plan(db, "LC-LH-2026", date(2026, 1, 20))
    planning.publish_plan(db, "LC-LH-2026")
    planning.create_plan(db, joint_plan("LC-LH-2027", 2027))
    return db


def test_plan_list_json_is_the_last_line(filled: Database, capsys: pytest.CaptureFixture) -> None:
    assert _run(["plan", "list", "--db", filled.url, "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "已公开" in out[0] or "已公开" in "\n".join(out)
    doc = json.loads(out[-1])
    assert doc == {
        "plans": [
            {"code": "LC-LH-2027", "year": 2027, "state": "draft", "tasks": []},
            {
                "code": "LC-LH-2026",
                "year": 2026,
                "state": "published",
                "tasks": [
                    {"code": "LC-LH-2026-001", "state": "published"},
                    {"code": "LC-SCJGJ-2026-001", "state": "published"},
                ],
            },
        ]
    }


def test_plan_list_text_only(filled: Database, capsys: pytest.CaptureFixture) -> None:
    assert _run(["plan", "list", "--db", filled.url]) == 0
    out = capsys.readouterr().out
    assert "LC-LH-2026-001" in out and "{" not in out


def test_manifest_command_writes_canonical_bytes(
    filled: Database, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "m.json"
    argv = ["manifest", "LC-LH-2026-001", "--out", str(out), "--db", filled.url]
    assert _run([*argv, "--on", "2026-03-01"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    data = out.read_bytes()
    assert printed[-1] == f"manifest_hash: {sha256_hex(data)}"
    assert canonical(json.loads(data)) == data
    assert load_manifest_bytes(data).candidate_ids
    text = "\n".join(printed)
    for reason in ("非存续状态", "不在范围", "人员非在岗", "执法证过期", "无资质", "回避"):
        assert reason in text


def test_manifest_command_refuses_unknown_task(
    filled: Database, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    argv = ["manifest", "NOPE", "--out", str(tmp_path / "m.json"), "--db", filled.url]
    assert _run(argv) == 2
    assert "找不到抽查任务“NOPE”" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()


def test_export_xlsx_and_pdf(filled: Database, tmp_path: Path) -> None:
    assert _run(["plan", "export", "LC-LH-2026", str(tmp_path / "p.xlsx"), "--db", filled.url]) == 0
    wb = load_workbook(tmp_path / "p.xlsx")
    assert wb.sheetnames == ["计划", "抽查任务"]
    rows = list(wb["抽查任务"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["LC-LH-2026-001", "LC-SCJGJ-2026-001"]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["A 类抽查"] == "3%" and first["D 类抽查"] == "3 户"
    assert first["未分类抽查"] == "不抽取" and first["状态"] == "已公开"
    assert "WJ-01 公共场所卫生检查（一般检查事项）" in first["抽查事项"]

    pdf = export_plan(filled, "LC-LH-2026", tmp_path / "p.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "聊城市2026年度部门联合双随机抽查工作计划" in text
        assert "LC-SCJGJ-2026-001" in text and "公共场所卫生检查" in text
        pages = text.count("\f")
        squeezed = text.replace(" ", "")
        assert all(f"第{n}页共{pages}页" in squeezed for n in range(1, pages + 1))
    assert not list(tmp_path.glob(".*partial"))


def test_export_refusals(filled: Database, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(ExportError, match=r"\.docx"):
        export_plan(filled, "LC-LH-2026", tmp_path / "p.docx")
    with pytest.raises(ExportError, match="文件夹不存在"):
        export_plan(filled, "LC-LH-2026", tmp_path / "missing" / "p.pdf")
    assert _run(["plan", "export", "NOPE", str(tmp_path / "p.pdf"), "--db", filled.url]) == 2
    assert "找不到计划“NOPE”" in capsys.readouterr().err


def test_commands_are_registered_in_the_cli(filled: Database, capsys) -> None:
    from app.cli import main

    assert main(["plan", "list", "--db", filled.url, "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert [p["code"] for p in json.loads(last)["plans"]] == ["LC-LH-2027", "LC-LH-2026"]
