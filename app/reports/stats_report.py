"""统计分析报告 (for the 年底专题上报): headline figures, the four charts, the tables.

The charts are drawn with reportlab.graphics from the same numbers the page
shows in QtCharts; the caller fills `StatsReport`, this module only lays out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

from app.domain.stats import ITEM_LABEL_CHARS, short_labels
from app.reports.official import TABLE, cn_date, para, styles
from app.reports.pages import Footer, NumberedPages
from app.reports.tables import grid

PALETTE = [
    "#2f6db5", "#e07b39", "#3a9d5d", "#c23b3b", "#8a5bb8", "#7f7f7f",
    "#c9a227", "#1fa2a8", "#d46a9f", "#5c6f2e", "#a0522d", "#4b4b9b",
]  # fmt: skip


@dataclass(frozen=True)
class BarChartData:
    title: str
    labels: list[str]
    values: list[float]
    percent: bool = False


@dataclass(frozen=True)
class StackChartData:
    title: str
    labels: list[str]
    series: list[tuple[str, list[int]]]


@dataclass(frozen=True)
class LineChartData:
    title: str
    labels: list[str]
    series: list[tuple[str, list[int] | None]]  # None: no data (drawn as a note)


@dataclass(frozen=True)
class TableData:
    title: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class StatsReport:
    issuer: str  # the bureau's full name (落款)
    title: str
    period_label: str
    summary: list[str]
    charts: list[BarChartData | StackChartData | LineChartData]
    tables: list[TableData]
    issued_on: date = field(default_factory=date.today)
    notes: list[str] = field(default_factory=list)


def _title(d: Drawing, text: str, font: str, width: float, height: float) -> None:
    d.add(String(width / 2, height - 12, text, fontName=font, fontSize=10, textAnchor="middle"))


def _bar_drawing(c: BarChartData, font: str, width: float) -> Drawing:
    height = 62 * mm
    d = Drawing(width, height)
    _title(d, c.title, font, width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 24, width - 50, height - 46
    values = [v * 100 for v in c.values] if c.percent else list(c.values)
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = c.labels or ["（无）"]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100 if c.percent else max(values, default=0) * 1.15 + 1
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor(PALETTE[0])
    chart.barLabelFormat = "%.1f%%" if c.percent else "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    d.add(chart)
    return d


def _legend(d: Drawing, names: list[str], font: str, x: float, y: float, cols: int) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = font
    legend.fontSize = 7
    legend.columnMaximum = cols
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[i % len(PALETTE)]), n) for i, n in enumerate(names)
    ]
    d.add(legend)


def _stack_drawing(c: StackChartData, font: str, width: float) -> Drawing:
    """Horizontal stacked bars: item names read across at the left, the first item on top."""
    size, row = 7, 14
    labels = short_labels(c.labels, ITEM_LABEL_CHARS) or ["（无）"]
    names = [n for n, _v in c.series]
    label_w = min(width * 0.3, max(stringWidth(t, font, size) for t in labels) + 6)
    legend_w = min(width * 0.3, max((stringWidth(n, font, size) for n in names), default=0) + 16)
    plot_h = row * len(labels)
    height = max(40 * mm, plot_h + 50)
    d = Drawing(width, height)
    _title(d, c.title, font, width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w + 4, 20
    chart.width, chart.height = width - chart.x - legend_w - 12, plot_h
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.reverseDirection = 1
    chart.data = [list(v) for _n, v in c.series] or [[0]]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.barWidth = 9
    chart.valueAxis.valueMin = 0
    totals = [sum(v[i] for _n, v in c.series) for i in range(len(c.labels))]
    chart.valueAxis.valueMax = max(totals, default=0) * 1.1 + 1
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = size
    for i in range(len(c.series)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
    d.add(chart)
    _legend(d, names, font, width - legend_w, chart.y + plot_h, 12)
    return d


def _line_drawing(c: LineChartData, font: str, width: float) -> Drawing:
    height = 62 * mm
    d = Drawing(width, height)
    _title(d, c.title, font, width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 50, height - 54
    shown = [(n, v) for n, v in c.series if v is not None]
    chart.data = [list(v) for _n, v in shown] or [[0] * len(c.labels)]
    chart.categoryAxis.categoryNames = c.labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max((max(v) for _n, v in shown if v), default=0) * 1.15 + 1
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    for i in range(len(shown)):
        chart.lines[i].strokeColor = colors.HexColor(PALETTE[i])
        chart.lines[i].strokeWidth = 1.5
    d.add(chart)
    names = [n if v is not None else f"{n}：—（暂无数据）" for n, v in c.series]
    legend = Legend()
    legend.x, legend.y = 40, 12
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 150
    legend.colorNamePairs = [(colors.HexColor(PALETTE[i]), n) for i, n in enumerate(names)]
    d.add(legend)
    return d


def write_stats_report(report: StatsReport, path: Path) -> None:
    st = styles(12)
    font = st.font
    width = A4[0] - TABLE.left - TABLE.right
    story: list[Any] = [
        para(report.title, st.title),
        para(f"统计期间：{report.period_label}", st.doc_number),
    ]
    story.append(para("一、总体情况", st.heading))
    story += [para(line, st.body) for line in report.summary]
    story.append(para("二、图表", st.heading))
    for chart in report.charts:
        if isinstance(chart, BarChartData):
            drawing = _bar_drawing(chart, font, width)
        elif isinstance(chart, StackChartData):
            drawing = _stack_drawing(chart, font, width)
        else:
            drawing = _line_drawing(chart, font, width)
        story += [drawing, Spacer(1, 3 * mm)]
    story.append(para("三、统计表", st.heading))
    for table in report.tables:
        rows: list[list[Any]] = [[para(h, st.head) for h in table.headers]]
        rows += [[para(c, st.cell) for c in row] for row in table.rows] or [
            [para("（无）", st.cell)] + [""] * (len(table.headers) - 1)
        ]
        first = width * 0.24 if len(table.headers) > 2 else width * 0.5
        rest = (width - first) / max(1, len(table.headers) - 1)
        block = [
            para(table.title, st.plain),
            grid(rows, [first] + [rest] * (len(table.headers) - 1), font_size=8),
        ]
        story += [KeepTogether(block), Spacer(1, 3 * mm)]
    for note in report.notes:
        story.append(para(note, st.small))
    story += [
        Spacer(1, 8 * mm),
        para(report.issuer, st.signature),
        para(cn_date(report.issued_on), st.signature),
    ]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=TABLE.left,
        rightMargin=TABLE.right,
        topMargin=TABLE.top,
        bottomMargin=TABLE.bottom + 4 * mm,
        title=report.title,
        author=report.issuer,
        subject="双随机抽查统计分析",
    )
    doc.build(story, canvasmaker=NumberedPages(Footer(font, left=report.title, margin=TABLE.left)))
