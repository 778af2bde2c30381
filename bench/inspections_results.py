"""Seconds for the inspections of a large drawn task: create, template, import, review, to-do, PDFs.

    .venv/bin/python bench/inspections_results.py [--targets 20000] [--db PATH]

Builds a SQLite registry (bench/_draw_db.py: a joint task of two items
drawing 3%/5%/10%/400 by risk class), draws it, then times each step on
all of the task's inspections. Prints one line per step.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook

from app.models.db import open_database
from app.services.draws.ceremony import DrawCeremony
from app.services.inspections import documents, queries, review, transfer
from app.services.inspections.creation import create_from_draw
from app.services.inspections.todo import load_todo
from bench._draw_db import TASK_CODE, build_registry


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dr-bench-insp-"))
    path = args.db or folder / "bench.sqlite"
    build_registry(path, args.targets, date(2026, 3, 1))
    db = open_database(f"sqlite:///{path}")
    c = DrawCeremony.open(db, TASK_CODE, "张三", workstation="BENCH")
    c.add_witness("李建国", "市人大代表", "20261204")
    c.compute()
    c.index_targets()
    summary = timed("create inspections", lambda: create_from_draw(db, TASK_CODE))
    print(f"  inspections: {summary.created}")
    xlsx = folder / "results.xlsx"
    rows = timed("results template", lambda: transfer.write_template(db, TASK_CODE, xlsx))
    print(f"  rows: {rows}")
    wb = load_workbook(xlsx)
    ws = wb["检查结果"]
    heads = {str(c.value).rstrip("*"): c.column for c in ws[1]}
    for (lead,) in ws.iter_rows(min_row=2, min_col=1, max_col=1):
        r = lead.row
        ws.cell(r, heads["检查结果"], "未发现问题")
        ws.cell(r, heads["检查日期"], "2026-05-12")
        ws.cell(r, heads["检查方式"], "实地核查")
    # The person column: the lead of each team, read back from the template's own rows.
    listed = queries.task_inspections(db, TASK_CODE, today=date(2026, 5, 20))
    team_of = {i.uscc: i.lead for i in listed}
    for row in ws.iter_rows(min_row=2):
        ws.cell(row[0].row, heads["检查人员"], team_of[row[1].value])
    wb.save(xlsx)
    timed("home to-do (all open)", lambda: load_todo(db, date(2026, 7, 27)))
    report = timed(
        "import results", lambda: transfer.import_results(db, xlsx, today=date(2026, 5, 20))
    )
    print(f"  {report.summary()}")
    timed("approve all", lambda: review.approve_all(db, TASK_CODE, reviewer="审核员"))
    timed("home to-do (all approved)", lambda: load_todo(db, date(2026, 7, 27)))
    pdf = folder / "notices.pdf"
    timed(
        "notices PDF (all inspections)",
        lambda: documents.write_task_notices(db, TASK_CODE, pdf, issued_on=date(2026, 3, 20)),
    )
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
