"""Publication from the command line: publish, list, correct, files, follow-ups, cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from inspection_data import TODAY, VISIT, drawn_task
from openpyxl import load_workbook
from pdf_text import flat, pages
from publication_data import ON_SITE, approved_task
from sqlalchemy import func, select

from app.cli import main
from app.domain.results import FollowUp, InspectionKind
from app.models.db import Database
from app.models.inspections import Inspection, InspectionResult
from app.models.publication import Publication
from app.models.registry import InspectionItem, Inspector, Target
from app.services.inspections import entry, review


def _run(argv: list[str], db: Database, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([*argv, "--db", db.url])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_publish_writes_pdf_then_the_stored_xlsx_and_lists_it(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task = approved_task(db)
    bad, text = _run(["publish", task, str(tmp_path / "x.txt")], db, capsys)
    assert bad == 2 and ".pdf 或 .xlsx" in text
    code, text = _run(["publish", task, str(tmp_path / "a.pdf")], db, capsys)
    assert code == 0, text
    assert "抽查任务检查结果公告" in flat("".join(pages(tmp_path / "a.pdf")))
    code, text = _run(["publish", task, str(tmp_path / "a.xlsx")], db, capsys)
    assert code == 0 and "未重复公示" in text and (tmp_path / "a.xlsx").stat().st_size > 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Publication)) == 1
    code, text = _run(["publication", "list", "--year", "2026", "--json"], db, capsys)
    rows = [json.loads(line) for line in text.splitlines()]
    assert code == 0 and rows[0]["state"] == "published" and len(rows[0]["files"]) == 2
    file_id = rows[0]["files"][0]["id"]
    code, _ = _run(["publication", "file", str(file_id), str(tmp_path / "copy")], db, capsys)
    assert code == 0 and (tmp_path / "copy").read_bytes()[:4] == b"%PDF"


def test_correct_from_the_command_line(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task = approved_task(db)
    assert _run(["publish", task, str(tmp_path / "a.pdf")], db, capsys)[0] == 0
    with db.session() as s:
        r = s.scalar(select(InspectionResult).where(InspectionResult.category_code == "02"))
        assert r is not None
        uscc, item = r.inspection.target.uscc, r.item.code
    code, text = _run(
        [
            "publication",
            "correct",
            task,
            str(tmp_path / "b.pdf"),
            "--reason",
            "结果类型录入错误",
            "--change",
            f"{uscc},{item},01",
        ],
        db,
        capsys,
    )
    assert code == 0, text
    assert "更正为“未发现问题”" in text
    assert "结果类型录入错误" in flat("".join(pages(tmp_path / "b.pdf")))
    code, text = _run(["publication", "list", "--year", "2026", "--json"], db, capsys)
    states = sorted(json.loads(line)["state"] for line in text.splitlines())
    assert states == ["corrected", "published"]


def test_follow_up_list_and_close(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    approved_task(db)
    code, text = _run(["followup", "list", "--json"], db, capsys)
    rows = [json.loads(line) for line in text.splitlines()]
    assert code == 0 and len(rows) == 1 and rows[0]["kind"] == "rectify"
    fid = str(rows[0]["id"])
    code, text = _run(
        ["followup", "close", fid, "--date", "2026-06-01", "--outcome", " "], db, capsys
    )
    assert code == 2 and "处置结果" in text
    code, text = _run(
        ["followup", "close", fid, "--date", "2026-06-01", "--outcome", "已改正并复查"], db, capsys
    )
    assert code == 0, text
    code, text = _run(["followup", "list", "--json"], db, capsys)
    assert text.strip() == ""


def test_exemption_shows_no_penalty_wording_in_the_announcement(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task = approved_task(db)
    with db.session() as s:
        r = s.scalar(select(InspectionResult).where(InspectionResult.category_code == "02"))
        assert r is not None
        item = r.item.code
    code, text = _run(["exemptions", "add", item, "--violation", "未按期公示年度报告"], db, capsys)
    assert code == 0, text
    code, _ = _run(["exemptions", "export", str(tmp_path / "ex.pdf")], db, capsys)
    ex_text = flat("".join(pages(tmp_path / "ex.pdf")))
    assert (
        code == 0 and "轻微违法违规经营行为免罚清单" in ex_text and "未按期公示年度报告" in ex_text
    )
    code, _ = _run(["exemptions", "export", str(tmp_path / "ex.xlsx")], db, capsys)
    assert code == 0
    assert _run(["publish", task, str(tmp_path / "a.pdf")], db, capsys)[0] == 0
    text = flat("".join(pages(tmp_path / "a.pdf")))
    assert "责令改正，依法不予处罚" in text and "免罚清单情形" in text
    with db.session() as s:
        kinds = sorted(s.scalars(select(Publication.kind)))
    assert kinds == ["exemptions", "exemptions", "results"]


def test_case_inspection_from_entry_to_publication(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drawn_task(db)
    with db.session() as s:
        uscc = s.scalar(select(Target.uscc).order_by(Target.id))
        item = s.scalar(select(InspectionItem.code).order_by(InspectionItem.id))
        badges = list(s.scalars(select(Inspector.badge_no).order_by(Inspector.id).limit(2)))
    argv = ["inspection", "add-case", "--source", "投诉举报", "--reference", "TS-2026-0012"]
    argv += ["--target", str(uscc), "--item", str(item), "--start", "2026-05-01"]
    argv += ["--end", "2026-05-31", "--department", "SCJGJ"]
    code, text = _run([*argv, "--team", badges[0]], db, capsys)
    assert code == 2 and "至少需要 2 名" in text
    code, text = _run([*argv, "--team", badges[0], "--team", badges[1]], db, capsys)
    assert code == 0 and "CASE-" in text, text
    with db.session() as s:
        ins = s.scalar(select(Inspection).where(Inspection.task_id.is_(None)))
        assert ins is not None and ins.kind == InspectionKind.CASE.value
        iid, item_id = ins.id, ins.results[0].item_id
    entry.enter_results(
        db,
        iid,
        [entry.ResultInput(item_id, "01", VISIT, ON_SITE, FollowUp.NONE.value)],
        today=TODAY,
    )
    review.approve(db, iid, reviewer="审核员")
    code, text = _run(["publish", f"CASE-{iid}", str(tmp_path / "c.pdf")], db, capsys)
    assert code == 0, text
    body = flat("".join(pages(tmp_path / "c.pdf")))
    assert "个案检查" in body and "投诉举报TS-2026-0012" in body and str(uscc) in body
    assert date.today() is not None


def test_a_provinces_upload_layout_is_loaded_from_its_file(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task = approved_task(db)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"columns": [{"header": "X", "field": "nope"}]}), encoding="utf-8")
    code, text = _run(["publication", "layout", str(bad)], db, capsys)
    assert code == 2 and "nope" in text
    layout = {
        "name": "山东省格式",
        "sheet": "结果",
        "columns": [
            {"header": "统一代码", "field": "uscc"},
            {"header": "主体名称", "field": "target_name"},
            {"header": "抽查结果", "field": "result"},
        ],
    }
    good = tmp_path / "sd.json"
    good.write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    code, text = _run(["publication", "layout", str(good)], db, capsys)
    assert code == 0 and "山东省格式（3 列）" in text
    assert _run(["publish", task, str(tmp_path / "up.xlsx")], db, capsys)[0] == 0
    ws = load_workbook(tmp_path / "up.xlsx")["结果"]
    assert [c.value for c in ws[1]] == ["统一代码", "主体名称", "抽查结果"]
    assert ws.max_row > 1 and len(str(ws.cell(row=2, column=1).value)) == 18
