"""QtCharts renderings of app.services.stats.charts; a click emits a bar's drill-down."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from app.domain.stats import elide
from app.services.stats.charts import Bars, Drill, Lines, Stack

# QtCharts elides a whole category label to "…" once its row is lower than about
# 23 px; the dashboard's quarter of a 1280×720 screen has room for six item rows.
# The 按事项 tab lists every item.
STACK_ITEMS = 6


class ChartView(QChartView):
    """A chart whose bars and points open the inspections behind them."""

    drill = Signal(object)  # Drill

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(300, 200)
        self._keep: list[object] = []

    def _new_chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)
        return chart

    def _axes(self, chart: QChart, series: object, labels: list[str], top: float) -> None:
        x = QBarCategoryAxis()
        # Bands like 241–260 under eight bars: on two lines they stay whole (axis labels
        # are rich text).
        x.append([lb.replace("–", "–<br>") for lb in labels] or ["（无）"])
        y = QValueAxis()
        y.setRange(0, top if top > 0 else 1)
        y.setLabelFormat("%d")
        y.setTickCount(5)
        if top != 100:  # a rate keeps 0–100; counts get round ticks (0, 50, 100 …)
            y.applyNiceNumbers()
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)  # type: ignore[attr-defined]
        series.attachAxis(y)  # type: ignore[attr-defined]

    def show_bars(self, data: Bars, *, percent: bool = False) -> None:
        chart = self._new_chart(data.title)
        bar = QBarSet("问题发现率" if percent else "人数")
        bar.append([v * 100 if percent else v for v in data.values])
        bar.setLabelColor(Qt.GlobalColor.black)
        series = QBarSeries()
        series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value%" if percent else "@value")
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsPrecision(3)
        chart.addSeries(series)
        chart.legend().setVisible(False)
        top = max([v * 100 if percent else v for v in data.values], default=0)
        self._axes(chart, series, data.labels, 100 if percent else top * 1.15 + 1)
        drills = list(data.drills)
        bar.clicked.connect(lambda i: self._emit(drills, i))
        self._keep = [bar, series]

    def show_stack(self, data: Stack) -> None:
        """Horizontal bars: item names read across on the left, the biggest item on top.

        Names are elided to a dozen characters; hovering a bar shows the whole
        name, the result category and the count.
        """
        chart = self._new_chart(data.title)
        chart.setMargins(QMargins(4, 2, 4, 2))
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.7)
        n = len(data.labels)
        sets = []
        for (name, counts), drills in zip(data.series, data.drills, strict=True):
            s = QBarSet(elide(name, 10))
            s.append([float(c) for c in reversed(counts)])  # category 0 is drawn at the bottom
            s.clicked.connect(lambda i, d=drills: self._emit(d, n - 1 - i))
            s.hovered.connect(
                lambda on, i, name=name, counts=counts: self._hover(
                    on, f"{data.labels[n - 1 - i]}\n{name}：{counts[n - 1 - i]} 户次"
                )
            )
            series.append(s)
            sets.append(s)
        chart.addSeries(series)
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)
        font = legend.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() - 1))
        legend.setFont(font)
        y = QBarCategoryAxis()
        y.append(list(reversed(data.short_labels())) or ["（无）"])
        y.setLabelsFont(font)
        totals = [sum(c[i] for _n, c in data.series) for i in range(n)]
        x = QValueAxis()
        x.setRange(0, max(totals, default=0) * 1.1 + 1)
        x.setLabelFormat("%d")
        x.setTickCount(5)
        x.applyNiceNumbers()
        x.setLabelsFont(font)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(y)
        series.attachAxis(x)
        self._keep = [series, *sets]

    def _hover(self, on: bool, text: str) -> None:
        if on:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()

    def show_lines(self, data: Lines) -> None:
        chart = self._new_chart(data.title)
        x = QBarCategoryAxis()
        x.append(data.labels)
        y = QValueAxis()
        top = max((max(v) for _n, v in data.series if v), default=0)
        y.setRange(0, top * 1.15 + 1)
        y.setLabelFormat("%d")
        y.setTickCount(5)
        y.applyNiceNumbers()
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        keep: list[object] = []
        drills = list(data.drills)
        for name, values in data.series:
            line = QLineSeries()
            line.setName(name if values is not None else f"{name}（—，公示未接入）")
            line.setPointsVisible(True)
            for i, v in enumerate(values or []):
                line.append(i, v)
            chart.addSeries(line)
            line.attachAxis(x)
            line.attachAxis(y)
            line.clicked.connect(lambda p, d=drills: self._emit(d, self._nearest(p)))
            keep.append(line)
        self._keep = keep

    @staticmethod
    def _nearest(point: QPointF) -> int:
        return max(0, round(point.x()))

    def _emit(self, drills: list[Drill], index: int) -> None:
        if 0 <= index < len(drills):
            self.drill.emit(drills[index])
