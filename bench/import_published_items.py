"""Import a published joint item list (merged 抽查领域, departments as written,
checkpoints in the item cell, no codes) into SQLite, then import it again.

    python bench/import_published_items.py [--rows 300 2000]

Item lists have hundreds of rows; each row looks its item up by department +
name and a joint row writes its partners' items and a joint item group, so
this prints the wall time of the first import and of the re-import (which
must change nothing).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook

from app.models import Department
from app.models.db import open_database
from app.services.registry.imports.engine import import_registry

MEMBERS = (("JTJ", "教育体育局"), ("GAJ", "公安局"), ("SCJGJ", "市场监管局"), ("WJW", "卫生健康委"))
WRITTEN = ("教育部门", "公安部门", "市场监管部门", "卫生健康部门")


def workbook(path: Path, rows: int) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某县部门联合抽查事项清单"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "抽查领域", "抽查事项", "检查对象", "发起部门", "配合部门", "抽查层级"])
    for n in range(rows):
        owner, partner = WRITTEN[n % 4], WRITTEN[(n + 1) % 4]
        ws.append([n + 1, f"领域{n // 5}" if n % 5 == 0 else None,
                   f"第{n}项检查：1.制度建立；2.台账记录；3.现场核查。", "单位", owner,
                   partner if n % 3 == 0 else "", "县级"])  # fmt: skip
        if n % 5 == 0 and n + 5 <= rows:
            ws.merge_cells(start_row=n + 3, start_column=2, end_row=n + 7, end_column=2)
    ws.append(["注：本清单自发布之日起施行。"])
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[300, 2000])
    args = parser.parse_args()
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            path = workbook(Path(tmp) / "list.xlsx", rows)
            db = open_database(f"sqlite:///{tmp}/bench.sqlite")
            with db.session() as s:
                s.add_all(
                    Department(code=c, name=n, sort_order=i) for i, (c, n) in enumerate(MEMBERS)
                )
            for label in ("first import", "re-import"):
                start = time.perf_counter()
                report = import_registry(db, "items", path)
                took = time.perf_counter() - start
                print(f"{rows:>6} rows  {label:<12} {took:6.2f} s  {report.text()}")
            db.dispose()


if __name__ == "__main__":
    main()
