"""Synthetic target-registry workbooks for the import and export benchmarks, cached in /tmp."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from app.domain.uscc import make_code
from app.excel.templates import TARGETS

CACHE_DIR = Path("/tmp/dualrandom-bench")

DIVISIONS = ("371502", "371503", "371521", "371522", "371524", "371525", "371526", "371581")
TRADES = ("商贸", "餐饮", "建材", "农资", "食品", "五金", "电子", "物流", "医药", "服装")
SUFFIXES = ("有限公司", "有限责任公司", "经营部", "农民专业合作社", "个体工商户")
STATUSES = ("存续", "存续", "存续", "在业", "吊销", "注销")
RISKS = ("A", "B", "B", "C", "D", "")
INDUSTRIES = ("F5211 百货零售", "H6210 正餐服务", "C1391 谷物磨制", "G5430 道路货物运输")
TAGS = ("", "", "", "食品生产", "特种设备使用单位、食品生产")


def target_row(i: int, rng: random.Random) -> list[object]:
    division = DIVISIONS[i % len(DIVISIONS)]
    kind = "2" if i % 5 == 4 else ("3" if i % 7 == 3 else "1")
    code = make_code(kind, division, f"{i:08d}")
    name = f"聊城市{rng.choice(TRADES)}{i}{rng.choice(SUFFIXES)}"
    founded = date(1995, 1, 1) + timedelta(days=rng.randrange(11_000))
    return [
        code,
        name,
        rng.choice(("张伟", "王芳", "李娜", "刘洋")),
        f"山东省聊城市东昌府区柳园路{rng.randrange(1, 999)}号",
        division,
        {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}[kind],
        rng.choice(INDUSTRIES),
        rng.choice(STATUSES),
        rng.choice(RISKS),
        founded.isoformat(),
        f"1{rng.randrange(3_000_000_000, 9_999_999_999)}",
        rng.choice(TAGS),
    ]


def targets_workbook(n: int) -> Path:
    """A workbook of n valid target rows under the template header (cached)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"targets-{n}.xlsx"
    if path.exists():
        return path
    started = time.perf_counter()
    rng = random.Random(n)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("检查对象名录")
    ws.append(TARGETS.headers)
    for i in range(n):
        ws.append(target_row(i, rng))
    tmp = path.with_suffix(".part")
    wb.save(tmp)
    tmp.rename(path)
    print(f"generated {path} ({n:,} rows) in {time.perf_counter() - started:.1f} s")
    return path
