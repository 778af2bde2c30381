"""Seconds to write 1,000 检查通知书 in one PDF (target: under 10 s).

    .venv/bin/python bench/notices_pdf.py [--count 1000] [--out /tmp/notices.pdf]

Realistic notices: 3–6 items, 2–4 inspectors, long enterprise names, a QR code
each. Prints the seconds, the pages and the file size.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.uscc import make_code
from app.reports.notice import (
    InspectionNotice,
    NoticeItem,
    NoticeMember,
    write_notices,
)

PLACES = ("聊城市东昌府区", "临清市", "阳谷县", "莘县", "东阿县", "冠县", "高唐县", "茌平区")
TRADES = ("食品", "建材", "农资", "五金机电", "医药", "粮油", "汽车销售", "特种设备", "日用百货")
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司", "经营部", "专业合作社")
SURNAMES = "王张李刘杨赵孙陈徐马高朱郭于宋韩董田欧阳司马"
GIVEN = ("伟", "芳", "建国", "志强", "海燕", "晓东", "秀英", "玉兰", "文杰", "红霞", "子涵")
ITEMS = (
    ("SJ-001", "食品生产企业落实食品安全主体责任情况检查", "食品生产监督管理科"),
    ("SJ-002", "工业产品生产许可证获证企业检查", "产品质量安全监督管理科"),
    ("SJ-003", "特种设备使用单位安全管理情况检查", "特种设备安全监察科"),
    ("SJ-004", "企业公示信息情况检查", "信用监督管理科"),
    ("SJ-005", "计量器具使用情况检查", "计量科"),
    ("SJ-006", "广告发布行为检查", "广告监督管理科"),
    ("SJ-007", "网络交易平台经营者履行法定义务情况检查", "网络交易监督管理科"),
)
BASIS = "《中华人民共和国产品质量法》第十五条；《中华人民共和国食品安全法》第一百一十条"


def make_notices(count: int) -> list[InspectionNotice]:
    rng = random.Random(4754)
    out = []
    for k in range(count):
        place = rng.choice(PLACES)
        name = (
            f"{place}{rng.choice(TRADES)}{rng.choice(TRADES)}"
            f"{'科技发展' if k % 3 == 0 else ''}{rng.choice(SUFFIXES)}"
        )
        if k % 10 == 0:
            name = f"山东省{place}鑫源{rng.choice(TRADES)}供应链管理集团有限公司第{k}分公司"
        items = tuple(
            NoticeItem(code, iname, dept, BASIS, ("现场检查", "书面检查"))
            for code, iname, dept in rng.sample(ITEMS, rng.randint(3, 6))
        )
        team = tuple(
            NoticeMember(
                rng.choice(SURNAMES) + rng.choice(GIVEN),
                f"15{rng.randint(10_000_000, 99_999_999)}",
                rng.choice(ITEMS)[2],
            )
            for _ in range(rng.randint(2, 4))
        )
        uscc = make_code("1", "371502", f"MA{k:06d}")
        ticket = hashlib.sha256(f"seed|T|{uscc}".encode()).hexdigest()
        out.append(
            InspectionNotice(
                issuer="聊城市市场监督管理局",
                doc_number=f"聊市监检通〔2026〕{k + 1}号",
                target_name=name,
                uscc=uscc,
                address=f"山东省{place}振兴路{rng.randint(1, 999)}号",
                task_code="LC-LH-2026-001",
                task_name="2026年度食品生产企业部门联合双随机抽查",
                is_joint=True,
                departments=("聊城市市场监督管理局", "聊城市应急管理局"),
                legal_basis="《中华人民共和国食品安全法》《市场监督管理行政处罚程序规定》",
                items=items,
                window_start=date(2026, 12, 10),
                window_end=date(2026, 12, 31),
                methods=("现场检查", "书面检查"),
                materials=("营业执照副本", "食品生产许可证", "进货查验记录和出厂检验记录"),
                team=team,
                contact="王芳　0635-8888888",
                issued_on=date(2026, 12, 4),
                qr_payload=f"DRAW-1|LC-LH-2026-001|{uscc}|{ticket}",
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/notices_bench.pdf"))
    args = parser.parse_args()
    notices = make_notices(args.count)
    start, cpu = time.perf_counter(), time.process_time()
    pages = write_notices(notices, args.out)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    size = args.out.stat().st_size / 1e6
    # CPU time too: on a shared machine the wall clock includes waiting for a core.
    print(f"{args.count} notices, {pages} pages, {size:.1f} MB: {seconds:.2f} s ({cpu:.2f} s CPU)")


if __name__ == "__main__":
    main()
