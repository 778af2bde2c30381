"""统计分析 on a year counted by hand (tests/stats_data.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from stats_data import TODAY, build

from app.cli import main
from app.domain.stats import wilson
from app.models.db import Database
from app.models.publication import Publication
from app.services.stats.charts import category_stack
from app.services.stats.dashboard import build_dashboard
from app.services.stats.drill import inspection_lines
from app.services.stats.duty import duty_lines
from app.services.stats.frames import Period


def test_headline_counts_by_hand(db: Database) -> None:
    build(db)
    head = build_dashboard(db, Period.year(2026), today=TODAY).headline()
    assert head["year"] == 2026
    assert head["tasks"] == {"planned": 3, "drawn": 2, "done": 1}
    assert head["inspections"] == 6
    assert head["by_risk_class"] == {
        "A": {"inspected": 2, "with_problems": 1, "problem_rate": 0.5},
        "B": {"inspected": 1, "with_problems": 1, "problem_rate": 1.0},
        "C": {"inspected": 1, "with_problems": 0, "problem_rate": 0.0},
        "D": {"inspected": 0, "with_problems": 0, "problem_rate": 0.0},
    }
    assert head["unclassified"] == {"inspected": 1, "with_problems": 0}
    assert (head["results_on_time"], head["results_late"], head["results_overdue"]) == (4, 1, 1)
    assert head["enterprises_visited_more_than_once"] == 1
    assert (head["inspected"], head["with_problems"], head["problem_rate"]) == (5, 2, 0.4)
    assert head["targets_drawn"] == 3
    assert head["coverage"] == round(5 / 7, 4)
    # T1 and T2 end 06-30: results due 20 working days later, 07-28; none published by 08-01.
    assert head["publication"] == {"on_time": 0, "late": 0, "overdue": 6}
    assert head["other_inspections"]["case"] == {
        "inspections": 1,
        "inspected": 1,
        "with_problems": 1,
    }
    assert head["other_inspections"]["special"]["inspections"] == 0


def test_breakdowns_and_charts(db: Database) -> None:
    k = build(db)
    d = build_dashboard(db, Period.year(2026), today=TODAY)
    dept = {r.label: (r.inspections, r.inspected, r.with_problems) for r in d.by_department}
    assert dept == {"市场监管局": (6, 5, 1), "应急管理局": (3, 3, 1)}
    item = {r.key: (r.inspections, r.inspected, r.with_problems) for r in d.by_item}
    assert item == {
        str(k.item["SJ-001"]): (6, 6, 1),
        str(k.item["SJ-002"]): (3, 2, 0),
        str(k.item["YJ-001"]): (3, 3, 1),
    }
    assert d.item_categories[str(k.item["SJ-001"])] == {"01": 4, "05": 1, "07": 1}
    assert d.item_categories[str(k.item["YJ-001"])] == {"01": 2, "02": 1}
    div = {r.key: (r.inspections, r.with_problems) for r in d.by_division}
    assert div == {"371502": (4, 1), "371522": (2, 1)}
    # Tasks per department: WJ has none and has no line; the draft T4 is not planned.
    tasks = {r.label: (r.planned, r.drawn, r.done, r.targets_drawn) for r in d.tasks_by_department}
    assert tasks == {"市场监管局": (2, 2, 1, 3), "应急管理局": (2, 1, 1, 0)}
    assert [m for m in d.monthly if m[1]] == [
        ("2026-04", 2, 0),
        ("2026-05", 2, 0),
        ("2026-06", 1, 0),
    ]
    assert d.multi_by_departments == {2: 1}
    work = {label.split("（")[0]: n for _key, label, n in d.workload}
    assert work == {"张三": 5, "李四": 4, "王五": 3}  # 王五's case visit i7 apart
    assert (d.coverage.registry, d.coverage.inspected_targets) == (7, 5)
    cov = {r.key: (r.registry, r.inspected_targets) for r in d.coverage_by_risk}
    assert cov == {"A": (2, 1), "B": (1, 1), "C": (2, 1), "D": (1, 1), "未分类": (1, 1)}
    b = next(r for r in d.by_risk if r.key == "B")
    assert b.interval == wilson(1, 1)
    # The result-category chart carries whole item names; the renderings elide them.
    stack = category_stack(d)
    assert stack.labels == ["食品经营者经营条件检查", "企业公示信息检查", "危险化学品经营许可检查"]
    assert stack.title == "结果类型（按事项）"
    assert dict(stack.series)["未发现问题"] == [4, 2, 2]
    top = category_stack(d, limit=2)
    assert top.labels == stack.labels[:2] and "最多的 2 项" in top.title


def test_drill_down_lists_the_inspections_behind_a_number(db: Database) -> None:
    k = build(db)
    d = build_dashboard(db, Period.year(2026), today=TODAY)
    i = k.inspection
    assert d.ids("risk", "A", "with_problems") == [i["i4"]]
    assert d.ids("all", "", "late") == [i["i2"]]
    assert d.ids("all", "", "overdue") == [i["i3"]]
    assert d.ids("department", str(k.dept["YJ"])) == [i["i4"], i["i5"], i["i6"]]
    assert d.ids("category", f"{k.item['SJ-001']}|05") == [i["i2"]]
    assert d.ids("month", "2026-05") == [i["i4"], i["i5"]]
    assert d.ids("multi") == [i["i1"], i["i4"]]
    assert d.ids("inspector", str(k.inspector["王五"])) == [i["i4"], i["i5"], i["i6"]]
    lines = inspection_lines(db, d.ids("risk", "B"))
    assert [(ln.target_name, ln.risk_class, ln.problem) for ln in lines] == [
        ("测试企业t3", "C", True)
    ]


def test_empty_year_and_date_range(db: Database) -> None:
    build(db)
    head = build_dashboard(db, Period.year(2027), today=TODAY).headline()
    assert head["tasks"] == {"planned": 0, "drawn": 0, "done": 0}
    assert head["inspections"] == 0
    assert head["by_risk_class"]["D"] == {"inspected": 0, "with_problems": 0, "problem_rate": 0.0}
    assert head["enterprises_visited_more_than_once"] == 0
    d = build_dashboard(db, Period.year(2027), today=TODAY)
    assert d.by_department == [] and d.workload == []
    assert d.ids("risk", "A") == []
    old = build_dashboard(db, Period.year(2025), today=TODAY).headline()
    assert (old["inspections"], old["tasks"]["done"]) == (1, 1)


def test_wilson_known_values() -> None:
    assert wilson(0, 0) is None
    iv = wilson(1, 1)
    assert iv is not None and (iv.low, iv.high) == (0.2065, 1.0)
    iv = wilson(2, 5)
    assert iv is not None and (iv.low, iv.high) == (0.1176, 0.7693)


def test_command_json_last_line(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    build(db)
    url = db.engine.url.render_as_string(hide_password=False)
    assert main(["stats", "--year", "2026", "--db", url, "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    data = json.loads(last)
    assert list(data)[:7] == [
        "year",
        "tasks",
        "inspections",
        "by_risk_class",
        "results_on_time",
        "results_late",
        "enterprises_visited_more_than_once",
    ]
    assert data["year"] == 2026 and data["tasks"] == {"planned": 3, "drawn": 2, "done": 1}
    assert data["by_risk_class"]["B"]["problem_rate"] == 1.0


def test_duty_record_per_inspector(db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.services.stats.duty import duty_lines, summary, write_duty_xlsx

    k = build(db)
    lines = duty_lines(db, Period.year(2026), TODAY)
    by = {(ln.inspector, ln.inspection_id): ln.results for ln in lines}
    i = k.inspection
    assert by[("张三", i["i1"])] == "按时"
    assert by[("张三", i["i2"])] == "逾期"
    assert by[("李四", i["i3"])] == "逾期未录入"
    assert ("赵六", i["i1"]) not in by  # replaced: no longer on the team
    assert by[("王五", i["i7"])] == "按时"  # case inspections are duties too
    rows = {r[1].split("（")[0]: r[2:] for r in summary(lines)}
    assert rows["张三"] == [5, 4, 3, 1, 1]  # i1 i2 i3 i4 i6; i3 not visited, overdue
    wang = duty_lines(db, Period.year(2026), TODAY, inspector_id=k.inspector["王五"])
    assert [ln.inspection_id for ln in wang] == [i["i4"], i["i5"], i["i6"], i["i7"]]
    out = tmp_path / "duty.xlsx"
    write_duty_xlsx(lines, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "明细"]
    assert wb["明细"].max_row == len(lines) + 1


def test_exports_read_back(db: Database, tmp_path: Path) -> None:
    import subprocess

    from openpyxl import load_workbook

    from app.services.stats.export import write_export

    build(db)
    d = build_dashboard(db, Period.year(2026), today=TODAY)
    xlsx, pdf = tmp_path / "s.xlsx", tmp_path / "s.pdf"
    write_export(db, d, xlsx)
    write_export(db, d, pdf)
    wb = load_workbook(xlsx)
    risk = {r[0]: r[1:4] for r in wb["按风险分类"].iter_rows(min_row=2, values_only=True)}
    assert risk["A"] == (2, 2, 1) and risk["D"] == (1, 0, 0)
    head = dict(wb["总体情况"].iter_rows(min_row=2, values_only=True))
    assert head["问题发现率"] == 0.4 and head["公示按时"] == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    compact = "".join(text.split())
    assert "2026年双随机抽查统计分析报告" in compact
    assert "问题发现率（按风险分类）" in compact
    assert "发现问题2户次" in compact and "第1页共" in compact


def test_permissions_and_department_scope(db: Database) -> None:
    from app.domain.auth import Role
    from app.services.access.auth import PermissionDenied, Principal, acting_as
    from app.services.stats.duty import duty_lines

    k = build(db)
    nobody = Principal(9, "x", "无角色", frozenset())
    with acting_as(nobody), pytest.raises(PermissionDenied):
        build_dashboard(db, Period.year(2026), today=TODAY)
    with acting_as(nobody), pytest.raises(PermissionDenied):
        inspection_lines(db, [1])
    yj = Principal(3, "yj", "应急", frozenset({Role.VIEWER}), department_id=k.dept["YJ"])
    with acting_as(yj):
        names = {ln.inspector for ln in duty_lines(db, Period.year(2026), TODAY)}
    assert names == {"王五"}


def test_command_writes_xlsx_and_refuses_other_suffixes(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(db)
    url = db.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "统计.xlsx"
    assert main(["stats", "--year", "2026", "--db", url, "--out", str(out)]) == 0
    assert out.exists() and "已导出" in capsys.readouterr().out
    assert main(["stats", "--year", "2026", "--db", url, "--out", str(tmp_path / "a.csv")]) == 2
    assert "只能是 .xlsx 或 .pdf" in capsys.readouterr().err


def _published(db: Database, task_id: int, on: date, corrects: int | None = None) -> int:
    """A results publication as the 公示 page stores it (files left out: not counted here)."""
    with db.session() as s:
        pub = Publication(
            kind="results",
            year=2026,
            subject_key=f"results:{task_id}:ALL",
            title="检查结果公告",
            task_id=task_id,
            version_no=2 if corrects else 1,
            corrects_id=corrects,
            published_on=on,
            published_by="审核员",
            content={},
            content_sha256="0" * 64,
        )
        s.add(pub)
        s.flush()
        return pub.id


def test_publication_on_time_late_and_overdue_by_hand(db: Database) -> None:
    known = build(db)
    # T1 published 07-20 (within its 07-28 deadline), corrected 07-31 (the first day counts);
    # T2 published 07-30, two days late.
    first = _published(db, known.task["T1"], date(2026, 7, 20))
    _published(db, known.task["T1"], date(2026, 7, 31), corrects=first)
    _published(db, known.task["T2"], date(2026, 7, 30))
    dash = build_dashboard(db, Period.year(2026), today=TODAY)
    assert dash.headline()["publication"] == {"on_time": 3, "late": 3, "overdue": 0}
    assert [(m, p) for m, _n, p in dash.monthly if p] == [("2026-07", 6)]
    lines = {ln.inspection_id: ln.published for ln in duty_lines(db, Period.year(2026), TODAY)}
    assert lines[known.inspection["i1"]] == "按时公示"
    assert lines[known.inspection["i4"]] == "逾期公示"
    assert lines[known.inspection["i7"]] == "—"  # a case inspection: not a random one
