"""统计分析报告: the result-category chart prints item names a reader can tell apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pdf_text import flat, pages

from app.domain.stats import ITEM_LABEL_CHARS, elide, short_labels
from app.reports.stats_report import StackChartData, StatsReport, write_stats_report

ITEMS = [
    "食品生产企业落实食品安全主体责任情况检查",
    "特种设备使用单位落实安全主体责任监督检查",
    "药品零售企业经营质量管理规范执行情况检查",
    "餐饮服务提供者食品安全管理制度落实检查",
    "工业产品生产许可证获证企业监督检查",
    "旅馆业治安管理检查",
    "计量器具使用单位强制检定情况检查",
    "广告发布者广告发布登记及审查制度检查",
]


def test_item_labels_are_whole_or_elided_with_an_ellipsis() -> None:
    assert elide("旅馆业治安管理检查", 12) == "旅馆业治安管理检查"
    assert elide(ITEMS[0], 12) == "食品生产企业落实食品安…"
    labels = short_labels([ITEMS[0], ITEMS[0][:11] + "其他检查", "公共场所卫生检查"], 12)
    assert len(set(labels)) == 3  # a category axis needs distinct labels
    assert labels[0] == "食品生产企业落实食品安…"
    assert labels[1].startswith("食品生产企业") and labels[1].endswith("（2）")
    assert labels[2] == "公共场所卫生检查"
    assert all(len(x) <= ITEM_LABEL_CHARS for x in labels)


def test_the_pdf_chart_prints_each_item_name(tmp_path: Path) -> None:
    chart = StackChartData(
        "结果类型（按事项）",
        ITEMS,
        [
            ("未发现问题", [30 - 3 * i for i in range(len(ITEMS))]),
            ("发现问题已责令改正", [i % 3 for i in range(len(ITEMS))]),
            ("通过登记的住所（经营场所）无法联系", [1] * len(ITEMS)),
        ],
    )
    report = StatsReport(
        issuer="聊城市市场监督管理局",
        title="2026年双随机抽查统计分析报告",
        period_label="2026年",
        summary=["共检查 200 户次。"],
        charts=[chart],
        tables=[],  # the chart alone carries the item names
        issued_on=date(2026, 12, 31),
    )
    pdf = tmp_path / "stats.pdf"
    write_stats_report(report, pdf)
    text = flat("".join(pages(pdf)))
    missing = [name for name in ITEMS if name[:6] not in text]
    assert not missing, f"item names not readable in the chart: {missing}"
    # Each name as far as the chart prints it, not cut to a character or two.
    assert [x for x in short_labels(ITEMS, ITEM_LABEL_CHARS) if x not in text] == []
    # The legend names every result category in full.
    assert "通过登记的住所（经营场所）无法联系" in text and "发现问题已责令改正" in text
