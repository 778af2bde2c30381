"""Time the target registry table over a million rows.

    python bench/targets_table.py [--targets N] [--db PATH] [--keep]

Fills a SQLite file with N targets (app.services.demo.fill when present, else a
bulk insert of generated rows), then, in this process and offscreen:
- opening the 检查对象库 page in the main window until the first rows are painted;
- name-substring searches (≥ 3 characters: FTS5 trigram; 2: LIKE) to first rows;
- a sort by name, by an unindexed column, and the next keyset page;
- filters with a sort, and the background count of each query.
The issue's bars: first rows < 0.3 s, a name-substring search < 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import func, insert, select

from app.domain.uscc import make_code
from app.models import Target
from app.models.db import Database, open_database

DIVISIONS = ("371502", "371503", "371521", "371522", "371524", "371525", "371526", "371581")
PLACES = "东昌府茌平阳谷莘县东阿冠县高唐临清聊城水城江北古楼柳园新区湖西"
WORDS = "鑫源盛泰华丰达顺兴隆昌恒通宏远瑞祥福康佳美德利安和信诚永新旺金银海天宇星光明辉晨阳"
TRADES = ("商贸", "食品", "机械", "建材", "科技", "餐饮", "超市", "药房", "五金", "服装", "物流")
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司", "店", "经营部", "专业合作社")
STATUSES = ("存续",) * 14 + ("在业",) * 3 + ("吊销", "注销", "迁出")


def _rows(n: int, seed: int = 1) -> Iterator[dict[str, object]]:
    rnd = random.Random(seed)
    for i in range(n):
        division = rnd.choice(DIVISIONS)
        kind = rnd.choice("1112")
        name = (
            "".join(rnd.choice(PLACES) for _ in range(2))
            + "".join(rnd.choice(WORDS) for _ in range(2))
            + rnd.choice(TRADES)
            + rnd.choice(SUFFIXES)
        )
        yield {
            "uscc": make_code(kind, division, f"{i:08d}"),
            "name": name,
            "legal_rep": rnd.choice("王李张刘陈杨赵黄周吴") + rnd.choice(WORDS),
            "address": f"聊城市{rnd.choice(PLACES)}路{rnd.randint(1, 999)}号",
            "division_code": division,
            "entity_type": "个体工商户" if kind == "2" else "企业",
            "industry_code": f"F52{rnd.randint(10, 99)}",
            "industry_name": rnd.choice(TRADES),
            "reg_status": rnd.choice(STATUSES),
            "risk_class": rnd.choice(("A", "B", "B", "C", "D", None)),
            "founded_on": date(2000, 1, 1) + timedelta(days=rnd.randint(0, 9000)),
            "phone": f"13{rnd.randint(100000000, 999999999)}",
            "tags": [],
            "version": 1,
        }


def fill(db: Database, n: int) -> str:
    try:
        from app.services.demo.fill import fill_demo
    except ImportError:
        fill_demo = None
    if fill_demo is not None:
        fill_demo(db, targets=n)
        return "app.services.demo.fill"
    batch: list[dict[str, object]] = []
    with db.engine.begin() as conn:
        for row in _rows(n):
            batch.append(row)
            if len(batch) == 20_000:
                conn.execute(insert(Target), batch)
                batch = []
        if batch:
            conn.execute(insert(Target), batch)
    return "bulk insert"


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="reuse (or create) this SQLite file")
    args = parser.parse_args(argv)

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="dualrandom-bench-")
        args.db = Path(tmp.name) / "targets.sqlite"
    db = open_database(f"sqlite:///{args.db}")
    with db.engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(Target)).scalar_one()
    if have < args.targets:
        if have:
            print(f"{args.db} holds {have:,} targets; use an empty file", file=sys.stderr)
            return 2
        seconds, how = timed(lambda: fill(db, args.targets))
        print(f"filled {args.targets:,} targets in {seconds:.1f} s ({how})")
    db.dispose()
    try:
        run_timings(f"sqlite:///{args.db}")
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


def settle(app: object) -> None:
    """Let the page's delayed background count run and show, so it does not overlap."""
    from app.views.registry.background import wait_for_background

    deadline = time.perf_counter() + 0.3
    while time.perf_counter() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)
    wait_for_background()
    app.processEvents()  # type: ignore[attr-defined]


def run_timings(url: str) -> None:
    from PySide6.QtWidgets import QApplication

    from app.services.registry.query import TargetQuery, count_targets, fetch_targets, has_fts
    from app.views.application import configure_application
    from app.views.context import AppContext
    from app.views.main_window import MainWindow
    from app.views.registry.background import wait_for_background

    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    db = open_database(url)
    window = MainWindow(AppContext(db))
    window.show()
    app.processEvents()
    print(f"search index: {'FTS5 trigram' if has_fts(db) else 'none (LIKE)'}")

    def shown() -> object:
        page = window.show_page("targets")
        page.table.viewport().repaint()  # paint now: the rows are on screen
        return page

    seconds, page = timed(shown)
    model = page.model  # type: ignore[attr-defined]
    print(f"open page → first {model.rowCount()} rows painted: {seconds * 1000:.0f} ms")
    settle(app)
    print(f"  {page.count_label.text()}")  # type: ignore[attr-defined]

    def query(label: str, q: TargetQuery) -> None:
        seconds, _ = timed(lambda: model.set_query(q))
        first = model.rowCount()
        next_s = 0.0
        if model.canFetchMore():
            next_s, _ = timed(model.fetchMore)
        settle(app)
        count_s, total = timed(lambda: count_targets(db, q))
        print(
            f"{label:<34} first {first:>3} rows {seconds * 1000:6.0f} ms | "
            f"next page {next_s * 1000:5.0f} ms | count {total:>9,} in {count_s * 1000:5.0f} ms"
        )

    sample = fetch_targets(db, TargetQuery(), limit=1)[0].name
    rare = sample[:4]
    query("sort by name ↑", TargetQuery(sort_key="name"))
    query("sort by name ↓", TargetQuery(sort_key="name", descending=True))
    query("sort by 成立日期 (no index) ↓", TargetQuery(sort_key="founded_on", descending=True))
    query("sort by 信用风险 ↓ (NULLs)", TargetQuery(sort_key="risk_class", descending=True))
    query(f"search “{rare}” (4 chars)", TargetQuery(text=rare))
    query("search “超市” (2 chars, LIKE)", TargetQuery(text="超市"))
    query("search “有限公司” (very common)", TargetQuery(text="有限公司"))
    query("search “有限公司”, sorted by name", TargetQuery(text="有限公司", sort_key="name"))
    query(f"search “{sample[-3:]}” (3 chars)", TargetQuery(text=sample[-3:]))
    query("search code “MA” (2 chars)", TargetQuery(text="MA"))
    query(
        "莘县 + 未分类, sorted by name",
        TargetQuery(division_code="371522", risk_class="未分类", sort_key="name"),
    )
    query(
        "search “超市有限” + 莘县 + A类",
        TargetQuery(text="超市有限", division_code="371522", risk_class="A"),
    )
    query(
        "可抽取 + 企业 + search “超市”",
        TargetQuery(reg_status="可抽取", entity_type="企业", text="超市"),
    )
    wait_for_background()
    window.close()
    db.dispose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
