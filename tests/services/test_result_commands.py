"""Results and the working-day clock from the command line: template, import, review, holidays."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from inspection_data import first_inspection, inspected_task
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.cli import main
from app.domain.results import ResultState
from app.models.db import Database
from app.models.inspections import Holiday, Inspection, InspectionResult
from app.models.registry import Target


@pytest.fixture
def task(db: Database) -> str:
    return inspected_task(db)


def _run(argv: list[str], db: Database, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([*argv, "--db", db.url])
    out = capsys.readouterr()
    return code, out.out + out.err


def _template(db: Database, task: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "results.xlsx"
    code, text = _run(["template", "results", task, str(out)], db, capsys)
    assert code == 0, text
    return out


def test_template_is_prefilled_with_a_category_drop_down(
    db: Database, task: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _template(db, task, tmp_path, capsys)
    wb = load_workbook(path)
    ws = wb["检查结果"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["任务编号*", "统一社会信用代码*", "名称", "事项编码*"]
    with db.session() as s:
        n = len(s.scalars(select(Inspection)).all())
        usccs = set(s.scalars(select(Target.uscc).join(Inspection)))
    assert ws.max_row - 1 == n * 3  # one row per target and item
    assert {r[1].value for r in ws.iter_rows(min_row=2)} == usccs
    ranges = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    category_col = "G"
    assert any(k.startswith(category_col) and "选项" in v for k, v in ranges.items())
    assert wb["选项"]["A2"].value == "未发现问题"


def _fill(path: Path, rows: dict[int, dict[str, object]]) -> None:
    wb = load_workbook(path)
    ws = wb["检查结果"]
    cols = {str(c.value).rstrip("*"): c.column for c in ws[1]}
    for row, values in rows.items():
        for name, value in values.items():
            ws.cell(row=row, column=cols[name], value=value)
    wb.save(path)


def test_import_results_with_reasons_then_review(
    db: Database, task: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _template(db, task, tmp_path, capsys)
    iid, team = first_inspection(db)
    wb = load_workbook(path)
    ws = wb["检查结果"]
    names = {r[4].value: r[0].row for r in ws.iter_rows(min_row=2, max_row=4)}
    lead = team[0].name
    with db.session() as s:
        second = s.scalar(select(Target.uscc).where(Target.uscc == ws["B5"].value))
        ins2 = s.scalar(select(Inspection).join(Target).where(Target.uscc == second))
        other = ins2.team[0].inspector.name
    good = {"检查结果": "未发现问题", "检查日期": "2026-05-12", "检查方式": "实地核查"}
    _fill(
        path,
        {
            2: {**good, "检查人员": lead},
            3: {**good, "检查人员": team[1].name},
            4: {**good, "检查人员": team[2].name},
            5: {**good, "检查结果": "查无此类", "检查人员": other},
            6: {**good, "检查日期": "2026-07-01", "检查人员": other},
            7: {**good, "检查人员": "路人甲"},
            8: {**good, "事项编码": "WJ-02", "检查人员": lead},
            9: {**good, "统一社会信用代码": "91371500MA3C00000X", "检查人员": lead},
        },
    )
    assert len(names) == 3
    report = tmp_path / "report.xlsx"
    code, text = _run(
        ["import", "results", str(path), "--json", "--report", str(report)], db, capsys
    )
    assert code == 0, text
    summary = json.loads(text.strip().splitlines()[-1])
    with db.session() as s:
        total = len(s.scalars(select(InspectionResult)).all())
    assert summary["total"] == total
    assert summary["inserted"] == 3 and summary["rejected"] == 5
    assert (
        summary["inserted"] + summary["updated"] + summary["unchanged"] + summary["rejected"]
        == total
    )
    for reason in ("不在结果类型清单", "检查期", "不是本检查组成员", "不是任务", "不在任务"):
        assert reason in text
    rejected = load_workbook(report)["未导入的行"]
    assert rejected.max_row == 6
    # The same file again: the three entries are unchanged.
    code, text = _run(["import", "results", str(path), "--json"], db, capsys)
    again = json.loads(text.strip().splitlines()[-1])
    assert again["inserted"] == 0 and again["unchanged"] == total - 5
    with db.session() as s:
        assert s.get(Inspection, iid).state == ResultState.PENDING_REVIEW.value
    # Review from the command line: return with a reason, then approve all.
    code, text = _run(["review", task, "--return", str(iid)], db, capsys)
    assert code == 2 and "--reason" in text
    code, text = _run(
        ["review", task, "--return", str(iid), "--reason", "日期有误", "--reviewer", "审核员"],
        db,
        capsys,
    )
    assert code == 0, text
    with db.session() as s:
        assert s.get(Inspection, iid).state == ResultState.RETURNED.value
    code, text = _run(["review", task, "--approve-all", "--reviewer", "审核员"], db, capsys)
    assert code == 0 and "审核通过 0 户" in text
    code, text = _run(["review", task, "--approve-all", "--reviewer", lead], db, capsys)
    assert code == 0


def test_import_unreadable_file_exits_2(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, _ = _run(["import", "results", str(bad), "--json"], db, capsys)
    assert code == 2


def test_registry_template_form_still_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["template", "items", str(out)]) == 0 and out.exists()
    assert main(["template", "items", "X", str(out)]) == 2
    assert main(["template", "results", str(out)]) == 2


def test_workdays_and_holidays_import(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _run(["workdays", "2026-09-18", "20"], db, capsys)
    assert code == 0 and text.strip().splitlines()[-1] == "2026-10-22"
    code, text = _run(["workdays", "2026-12-25", "20"], db, capsys)
    lines = text.strip().splitlines()
    assert lines[-1] == "2027-01-22" and "估算" in lines[-2]
    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "类型", "名称"])
    ws.append([date(2027, 1, 1), "放假", "元旦"])
    ws.append(["2027-02-20", "调休上班", "春节"])
    ws.append(["2027-02-22", "调休上班", "春节"])  # a Monday: refused
    ws.append(["2027-01-01", "放假", "元旦"])  # repeated
    ws.append(["2027-13-01", "放假", ""])
    path = tmp_path / "h.xlsx"
    wb.save(path)
    code, text = _run(["holidays", "import", str(path), "--json"], db, capsys)
    assert code == 0
    summary = json.loads(text.strip().splitlines()[-1])
    assert summary == {
        "total": 5,
        "inserted": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 3,
        "warnings": 0,
    }
    with db.session() as s:
        assert len(s.scalars(select(Holiday)).all()) == 2
    code, text = _run(["workdays", "2026-12-25", "20"], db, capsys)
    lines = text.strip().splitlines()
    assert lines[-1] == "2027-01-25" and len(lines) == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_text("x")
    assert _run(["holidays", "import", str(bad)], db, capsys)[0] == 2


def test_review_signs_in_where_the_database_has_accounts(
    db: Database, task: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from app.domain.auth import Role
    from app.services.access import users
    from app.services.inspections import entry
    from app.services.inspections.entry import ResultInput

    iid, team = first_inspection(db)
    with db.session() as s:
        items = [r.item_id for r in s.get(Inspection, iid).results]
    entry.enter_results(
        db,
        iid,
        [ResultInput(i, "01", date(2026, 5, 12), "实地核查") for i in items],
        today=date(2026, 5, 20),
    )
    users.create_user(db, "shenhe", "审核员甲", "Secret-2026", [Role.PUBLISHER])
    users.create_user(
        db, "zuyuan", "组员", "Secret-2026", [Role.PUBLISHER], None, team[0].inspector_id
    )
    code, text = _run(["review", task, "--approve-all", "--reviewer", "某人"], db, capsys)
    assert code == 2 and "--user" in text
    monkeypatch.setattr("sys.stdin", io.StringIO("Secret-2026\n"))
    code, text = _run(
        ["review", task, "--approve-all", "--user", "zuyuan", "--password-stdin"], db, capsys
    )
    assert code == 0 and "审核通过 0 户" in text and "检查组成员" in text
    monkeypatch.setattr("sys.stdin", io.StringIO("Secret-2026\n"))
    code, text = _run(
        ["review", task, "--approve-all", "--user", "shenhe", "--password-stdin"], db, capsys
    )
    assert code == 0 and "审核通过 1 户" in text
    with db.session() as s:
        assert s.get(Inspection, iid).state == ResultState.APPROVED.value
        assert {r.reviewer_name for r in s.get(Inspection, iid).results} == {"审核员甲"}


def test_inspections_list_json(db: Database, task: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(["inspections", "list", task, "--json"], db, capsys)
    rows = [json.loads(line) for line in text.strip().splitlines()]
    assert code == 0 and len(rows) == 15
    assert rows[0]["due_date"] == "2026-07-28" and rows[0]["state"] == "not_entered"
