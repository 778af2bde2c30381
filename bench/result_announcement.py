"""Seconds to write a results announcement (PDF) and its platform upload xlsx.

    .venv/bin/python bench/result_announcement.py [--count 1000] [--out /tmp/announcement]

A joint task's publication: `count` enterprises, 3 items of 3 departments
each, one in ten with a problem and a finding. Prints the seconds, the pages
and the file sizes of both files.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.publication import load_layout, upload_rows
from app.domain.uscc import make_code
from app.excel.publication_writer import write_upload_xlsx
from app.resources import national_layout_path
from app.services.publication.content import announcement

ITEMS = (
    ("SCJG-01", "食品销售者落实食品安全主体责任检查", "市场监管局"),
    ("YJ-01", "安全生产条件检查", "应急局"),
    ("WJ-01", "公共场所卫生检查", "卫生健康委"),
)
TRADES = ("食品", "建材", "农资", "五金机电", "医药", "粮油", "汽车销售", "日用百货")


def content(count: int) -> dict[str, object]:
    rng = random.Random(2026)
    enterprises = []
    for n in range(count):
        items = []
        for code, name, dept in ITEMS:
            problem = rng.random() < 0.1
            items.append(
                {
                    "item_code": code,
                    "item_name": name,
                    "department": dept,
                    "result": "未按规定公示应当公示的信息" if problem else "未发现问题",
                    "finding": "未按期公示年度报告，已责令限期改正" if problem else "",
                    "follow_up": "责令改正" if problem else "",
                    "inspected_on": "2026-05-12",
                }
            )
        enterprises.append(
            {
                "uscc": make_code("1", "371502", f"{n:08d}"),
                "name": f"聊城市{rng.choice(TRADES)}经营有限公司第{n}分公司",
                "inspected_on": "2026-05-12",
                "departments": sorted({i["department"] for i in items}),
                "items": items,
            }
        )
    return {
        "task_code": "LC-LH-2026-001",
        "task_title": "餐饮场所食品安全、消防安全与公共卫生联合检查",
        "inspection_kind": "双随机抽查",
        "is_joint": True,
        "departments": ["卫生健康委", "市场监管局", "应急局"],
        "window": "2026年4月1日至2026年6月30日",
        "published_on": "2026-07-10",
        "doc_number": "聊市监发〔2026〕3号",
        "enterprises": enterprises,
        "exempt_count": 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/announcement"))
    args = parser.parse_args()
    data = content(args.count)
    doc = announcement(
        data,
        issuer="聊城市市场监督管理局",
        title="聊城市市场监督管理局2026年度第003号抽查任务检查结果公告",
        doc_number="聊市监发〔2026〕3号",
        published_on=date(2026, 7, 10),
    )
    from app.reports.result_announcement import write_announcement

    pdf, xlsx = args.out.with_suffix(".pdf"), args.out.with_suffix(".xlsx")
    start = time.perf_counter()
    pages = write_announcement(doc, pdf)
    mid = time.perf_counter()
    layout = load_layout(national_layout_path())
    rows = write_upload_xlsx(layout, upload_rows(data, layout), xlsx)
    end = time.perf_counter()
    print(
        f"{args.count} 户：公告 PDF {mid - start:.2f} s，{pages} 页，{pdf.stat().st_size:,} 字节；"
        f"上传 xlsx {end - mid:.2f} s，{rows} 行，{xlsx.stat().st_size:,} 字节"
    )


if __name__ == "__main__":
    main()
