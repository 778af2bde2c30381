"""The draw record PDF read back, and the `draw --task` / `bundle` commands."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.cli import main
from app.models.db import Database
from app.services.draws.bundle import record_pdf
from app.services.draws.ceremony import DrawCeremony


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(data)
    run = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def test_record_pdf_has_everything_needed_to_check_and_sign(
    db: Database, task_code: str, tmp_path: Path
) -> None:
    DrawCeremony.open(db, task_code, "张三").abort("见证人未按时到场")
    c = DrawCeremony.open(db, task_code, "张三")
    c.add_witness("李建国", "市人大代表", "0038194556")
    c.add_witness("王秀英", "市政协委员", "778120")
    outcome = c.compute()
    text = _pdf_text(record_pdf(db, task_code), tmp_path)
    flat = "".join(text.split())
    r = outcome.result
    assert "随机抽取记录" in text and task_code in text
    assert "第1页共" in flat
    for s in r["strata"]:
        assert f"{s['selected']}/{s['candidates']}" in flat
    for value in (r["manifest_hash"], r["nonce_commitment"], r["nonce"], r["seed"]):
        assert value in flat  # printed in groups; whitespace removed here
    assert outcome.result_hash in flat
    assert "0038194556" in text and "778120" in text and "市人大代表" in text
    assert "见证人未按时到场" in text
    for t in r["targets"]:
        assert t["id"] in text and t["ticket"][:12] in text
    assert "（主查）" in text
    assert "监督见证人（李建国，市人大代表）" in flat and "监督人员" in text
    assert "操作人员（张三）" in flat
    assert r["software"] in text
    assert "pythonverify.pymanifest.jsonresult.json" in flat


def test_draw_task_command_records_the_draw_and_bundle_verifies(
    db: Database, task_code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "draw",
            "--task",
            task_code,
            "--witness",
            "000123",
            "--witness-name",
            "李建国",
            "--witness-unit",
            "市人大代表",
            "--witness",
            "987654321",
            "--witness-name",
            "王秀英",
            "--witness-unit",
            "市政协委员",
            "--operator",
            "张三",
            "--db",
            db.url,
        ]
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    stored = DrawCeremony.resume(db, task_code)
    assert stored is not None
    outcome = stored.outcome()
    assert out[-1] == f"result_hash: {outcome.result_hash}"
    info = stored.info()
    assert (info.operator, [w.unit for w in info.witnesses]) == (
        "张三",
        ["市人大代表", "市政协委员"],
    )

    # A second run is refused: the task has a result; no silent redraw.
    again = ["draw", "--task", task_code, "--witness", "123456", "--witness-name", "李建国"]
    assert main([*again, "--operator", "张三", "--db", db.url]) == 2
    assert "监督人员确认" in capsys.readouterr().err

    zipped = tmp_path / "out" / "bundle.zip"
    # A folder that is not there is not made silently (issue 11, output paths).
    assert main(["bundle", task_code, str(zipped), "--db", db.url]) == 2
    assert "不存在" in capsys.readouterr().err
    zipped.parent.mkdir()
    assert main(["bundle", task_code, str(zipped), "--db", db.url]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].endswith(outcome.result_hash)
    with zipfile.ZipFile(zipped) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "x")
    assert {"manifest.json", "result.json", "draw-record.pdf", "verify.py", "verify.html"} <= names
    assert "README.txt" in names
    assert (tmp_path / "x" / "result.json").read_bytes() == outcome.result_bytes
    run = subprocess.run(
        [sys.executable, "verify.py", "manifest.json", "result.json"],
        cwd=tmp_path / "x",
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and "VERIFIED" in run.stdout


def test_draw_task_names_every_witness_and_the_operator(
    db: Database, task_code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """No "见证人1" on a signature line, no operating-system account as the operator."""
    base = ["draw", "--task", task_code, "--witness", "000123", "--witness", "456789"]
    named = [*base, "--witness-name", "李建国", "--witness-name", "王秀英"]
    assert main([*base, "--witness-name", "李建国", "--operator", "张三", "--db", db.url]) == 2
    assert "每位见证人都须写明姓名" in capsys.readouterr().err
    assert main([*named, "--db", db.url]) == 2
    assert "操作人员姓名" in capsys.readouterr().err
    assert DrawCeremony.resume(db, task_code) is None
    # Units are optional and matched by position.
    assert main([*named, "--witness-unit", "市人大代表", "--operator", "张三", "--db", db.url]) == 0
    info = DrawCeremony.resume(db, task_code).info()
    assert info.operator == "张三"
    assert [(w.name, w.unit) for w in info.witnesses] == [("李建国", "市人大代表"), ("王秀英", "")]


def test_draw_task_refuses_bad_digits_before_storing_anything(db: Database, task_code: str) -> None:
    assert main(["draw", "--task", task_code, "--witness", "12345", "--db", db.url]) == 2
    assert DrawCeremony.resume(db, task_code) is None
    assert main(["bundle", task_code, "x.zip", "--db", db.url]) == 2
