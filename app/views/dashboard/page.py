"""统计分析: headline tiles, four charts and the tables of a year or a date range.

Every number opens the inspections behind it (click a tile, a bar, a point,
or double-click a table cell). The figures are computed off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.stats import charts
from app.services.stats.dashboard import Dashboard, build_dashboard
from app.services.stats.drill import inspection_lines
from app.services.stats.figures import CoverageRow, Row, TaskRow
from app.services.stats.frames import Period
from app.views.context import AppContext
from app.views.dashboard.charts import STACK_ITEMS, ChartView
from app.views.dashboard.drill_dialog import DrillDialog
from app.views.widgets.jobs import Job, run_with_progress

DRILL_ROLE = Qt.ItemDataRole.UserRole
ROW_COLUMNS = (
    ("检查户次", "inspections"),
    ("结果已录入", "inspected"),
    ("发现问题", "with_problems"),
    ("问题发现率", "rate"),
    ("95%置信区间", "interval"),
    ("按时录入", "on_time"),
    ("逾期录入", "late"),
    ("逾期未录入", "overdue"),
)
DASH = "—"


class _Tile(QPushButton):
    """A headline figure; clicking it lists the inspections behind it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.setObjectName("statTile")
        self.setMinimumHeight(58)
        self.drill: tuple[str, str, str] | None = None

    def show_value(self, value: str, note: str, drill: tuple[str, str, str] | None) -> None:
        self.setText(f"{self.caption}\n{value}\n{note}" if note else f"{self.caption}\n{value}")
        self.drill = drill
        self.setEnabled(True)


# The first column's header of each breakdown table.
DIMENSION_HEADERS = {
    "risk": "风险分类",
    "department": "部门",
    "division": "区划",
    "item": "抽查事项",
}


def row_cells(r: Row) -> list[str]:
    iv = r.interval
    return [
        f"{r.inspections:,}",
        f"{r.inspected:,}",
        f"{r.with_problems:,}",
        f"{r.problem_rate * 100:.1f}%" if r.inspected else DASH,
        iv.text() if iv else DASH,
        f"{r.on_time:,}",
        f"{r.late:,}",
        f"{r.overdue:,}",
    ]


class StatsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.today: Callable[[], date] = date.today
        self.dashboard: Dashboard | None = None
        self._job: Job | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        bar = QHBoxLayout()
        title = QLabel("统计分析")
        title.setObjectName("pageTitle")
        bar.addWidget(title)
        bar.addSpacing(12)
        bar.addWidget(QLabel("年度"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today().year)
        bar.addWidget(self.year)
        self.use_range = QCheckBox("按日期范围")
        bar.addWidget(self.use_range)
        self.start = QDateEdit(QDate(self.today().year, 1, 1))
        self.end = QDateEdit(QDate(self.today().year, 12, 31))
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            w.setEnabled(False)
        self.use_range.toggled.connect(self.start.setEnabled)
        self.use_range.toggled.connect(self.end.setEnabled)
        bar.addWidget(self.start)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.end)
        self.refresh_button = QPushButton("统计(&R)")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        self.xlsx_button = QPushButton("导出 Excel(&X)")
        self.pdf_button = QPushButton("导出 PDF 报告(&P)")
        self.risk_button = QPushButton("风险分类建议(&K)")
        self.duty_button = QPushButton("尽职记录(&D)")
        self.xlsx_button.clicked.connect(lambda: self._export(".xlsx"))
        self.pdf_button.clicked.connect(lambda: self._export(".pdf"))
        self.risk_button.clicked.connect(self._risk)
        self.duty_button.clicked.connect(self._duty)
        for b in (self.xlsx_button, self.pdf_button, self.risk_button, self.duty_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.status = QLabel()
        layout.addWidget(self.status)

        tiles = QGridLayout()
        tiles.setSpacing(8)
        self.tiles = {
            key: _Tile(caption, self)
            for key, caption in (
                ("tasks", "抽查任务 计划/抽取/完成"),
                ("inspections", "双随机检查（户次）"),
                ("rate", "问题发现率"),
                ("results", "结果 按时/逾期/逾期未录入"),
                ("publication", "结果公示"),
                ("coverage", "名录库覆盖率"),
                ("multi", "多次被检查的企业"),
            )
        }
        for i, tile in enumerate(self.tiles.values()):
            tile.clicked.connect(lambda _c=False, t=tile: self._tile_clicked(t))
            tiles.addWidget(tile, 0, i)
        layout.addLayout(tiles)

        self.tabs = QTabWidget()
        chart_tab = QWidget()
        grid = QGridLayout(chart_tab)
        grid.setContentsMargins(0, 0, 0, 0)
        self.rate_chart = ChartView()
        self.stack_chart = ChartView()
        self.month_chart = ChartView()
        self.work_chart = ChartView()
        for i, view in enumerate(
            (self.rate_chart, self.stack_chart, self.month_chart, self.work_chart)
        ):
            view.drill.connect(self.open_drill)
            grid.addWidget(view, i // 2, i % 2)
        self.tabs.addTab(chart_tab, "图表")
        self.tables: dict[str, QTableWidget] = {}
        for key, label in (
            ("risk", "按风险分类"),
            ("department", "按部门"),
            ("division", "按区划"),
            ("item", "按事项"),
            ("tasks", "抽查任务"),
            ("coverage", "覆盖率"),
            ("workload", "人员工作量"),
        ):
            table = QTableWidget()
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.itemActivated.connect(self._cell_activated)
            self.tables[key] = table
            self.tabs.addTab(table, label)
        layout.addWidget(self.tabs, 1)

    # --- loading --------------------------------------------------------------------

    def period(self) -> Period:
        if self.use_range.isChecked():
            return Period(self.start.date().toPython(), self.end.date().toPython())  # type: ignore[arg-type]
        return Period.year(self.year.value())

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self.dashboard is None and self._job is None:
            self.refresh()

    def refresh(self) -> None:
        period, today, db = self.period(), self.today(), self._ctx.db
        self.status.setText(f"正在统计{period.label}…")
        self.refresh_button.setEnabled(False)
        job = Job(lambda _p, _c: build_dashboard(db, period, today), self)
        job.succeeded.connect(self.show_dashboard)
        job.failed.connect(lambda msg, _tb: self._failed(msg))
        job.done.connect(self._job_done)
        self._job = job
        job.start()

    def _job_done(self) -> None:
        self._job = None
        self.refresh_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.status.setText(f"统计失败：{message}")

    def hideEvent(self, event: object) -> None:
        # A closing window must not destroy a running worker thread.
        self.wait()
        super().hideEvent(event)  # type: ignore[arg-type]

    def wait(self) -> None:
        """Block until a running computation ended (tests)."""
        if self._job is not None:
            self._job.wait()

    def show_dashboard(self, d: Dashboard) -> None:
        self.dashboard = d
        t, tot = d.tasks, d.total
        iv = tot.interval
        self.status.setText(
            f"{d.period.label}　双随机检查口径；个案检查 {d.other['case']['inspections']} 户次、"
            f"专项检查 {d.other['special']['inspections']} 户次另计。点击数字、图形查看检查清单。"
        )
        self.tiles["tasks"].show_value(f"{t.planned} / {t.drawn} / {t.done}", "", None)
        self.tiles["inspections"].show_value(
            f"{tot.inspections:,}", f"已录入 {tot.inspected:,}", ("all", "", "inspections")
        )
        self.tiles["rate"].show_value(
            f"{tot.problem_rate * 100:.1f}%" if tot.inspected else DASH,
            f"95%区间 {iv.text()}" if iv else "",
            ("all", "", "with_problems"),
        )
        self.tiles["results"].show_value(
            f"{tot.on_time:,} / {tot.late:,} / {tot.overdue:,}", "", ("all", "", "late")
        )
        pub = d.publication
        self.tiles["publication"].show_value(
            f"{pub.on_time:,} / {pub.late:,} / {pub.overdue:,}",
            "按时 / 逾期 / 逾期未公示",
            None,
        )
        self.tiles["coverage"].show_value(
            f"{d.coverage.coverage * 100:.2f}%",
            f"{d.coverage.inspected_targets:,}/{d.coverage.registry:,} 户",
            ("all", "", "inspections"),
        )
        by = "、".join(f"{n}个部门 {c:,} 户" for n, c in d.multi_by_departments.items())
        self.tiles["multi"].show_value(f"{d.multi_visited:,} 户", by, ("multi", "", "inspections"))
        self.rate_chart.show_bars(charts.problem_rate_bars(d), percent=True)
        self.stack_chart.show_stack(charts.category_stack(d, limit=STACK_ITEMS))
        self.month_chart.show_lines(charts.monthly_lines(d))
        self.work_chart.show_bars(charts.workload_histogram(d))
        for key, rows in (
            ("risk", d.by_risk),
            ("department", d.by_department),
            ("division", d.by_division),
            ("item", d.by_item),
        ):
            self._fill_rows(self.tables[key], key, rows)
        self._fill_tasks(self.tables["tasks"], d.tasks_by_department)
        self._fill_coverage(
            self.tables["coverage"], [d.coverage, *d.coverage_by_risk, *d.coverage_by_division]
        )
        self._fill_workload(self.tables["workload"], d)

    def _fill(
        self, table: QTableWidget, headers: list[str], rows: Sequence[Sequence[tuple[str, object]]]
    ) -> None:
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, (text, drill) in enumerate(cells):
                item = QTableWidgetItem(text)
                if drill is not None:
                    item.setData(DRILL_ROLE, drill)
                    item.setToolTip("双击或回车查看检查清单")
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(r, c, item)
        table.resizeColumnsToContents()

    def _fill_rows(self, table: QTableWidget, dim: str, rows: list[Row]) -> None:
        data = []
        for r in rows:
            cells: list[tuple[str, object]] = [(r.label, (dim, r.key, "inspections"))]
            for text, (_h, measure) in zip(row_cells(r), ROW_COLUMNS, strict=True):
                ok = measure not in ("rate", "interval")
                cells.append((text, (dim, r.key, measure) if ok else (dim, r.key, "with_problems")))
            data.append(cells)
        self._fill(table, [DIMENSION_HEADERS[dim], *(h for h, _m in ROW_COLUMNS)], data)

    def _fill_tasks(self, table: QTableWidget, rows: list[TaskRow]) -> None:
        data = [
            [
                (r.label, None),
                (f"{r.planned:,}", None),
                (f"{r.drawn:,}", None),
                (f"{r.done:,}", None),
                (f"{r.targets_drawn:,}", ("department", r.key, "inspections")),
            ]
            for r in rows
        ]
        self._fill(table, ["部门", "计划任务", "已抽取", "已完成", "抽中对象"], data)

    def _fill_coverage(self, table: QTableWidget, rows: list[CoverageRow]) -> None:
        data = []
        for r in rows:
            dim = "all" if r.key == "all" else ("risk" if len(r.key) <= 3 else "division")
            data.append(
                [
                    (r.label, None),
                    (f"{r.registry:,}", None),
                    (
                        f"{r.inspected_targets:,}",
                        (dim, "" if dim == "all" else r.key, "inspections"),
                    ),
                    (f"{r.coverage * 100:.2f}%", None),
                ]
            )
        self._fill(table, ["范围", "名录库在营户数", "被检查户数", "覆盖率"], data)

    def _fill_workload(self, table: QTableWidget, d: Dashboard) -> None:
        data = [
            [(label, None), (f"{n:,}", ("inspector", key, "inspections"))]
            for key, label, n in d.workload
        ]
        self._fill(table, ["检查人员", "检查户次"], data)

    # --- drill-down -----------------------------------------------------------------

    def _tile_clicked(self, tile: _Tile) -> None:
        if tile.drill is not None:
            self.open_drill(tile.drill)

    def _cell_activated(self, item: QTableWidgetItem) -> None:
        drill = item.data(DRILL_ROLE)
        if drill:
            self.open_drill(tuple(drill))

    def drill_ids(self, drill: tuple[str, str, str]) -> list[int]:
        assert self.dashboard is not None
        return self.dashboard.ids(*drill)

    def open_drill(self, drill: object) -> DrillDialog | None:
        if self.dashboard is None:
            return None
        dim, key, measure = (str(x) for x in drill)  # type: ignore[attr-defined]
        ids = self.dashboard.ids(dim, key, measure)
        names = {
            "inspections": "检查",
            "inspected": "结果已录入",
            "with_problems": "发现问题",
            "on_time": "按时录入",
            "late": "逾期录入",
            "overdue": "逾期未录入",
        }
        title = f"{self._drill_label(dim, key)} · {names.get(measure, measure)}"
        dialog = DrillDialog(title, len(ids), inspection_lines(self._ctx.db, ids), self)
        dialog.setModal(True)
        dialog.show()
        self.last_dialog = dialog
        return dialog

    def _drill_label(self, dim: str, key: str) -> str:
        d = self.dashboard
        assert d is not None
        if dim == "all":
            return "全部双随机检查"
        if dim == "multi":
            return "多次被检查的企业"
        if dim in ("department", "item"):
            return d.names[dim].get(int(key), key)
        if dim == "category":
            item, code = key.split("|", 1)
            return f"{d.names['item'].get(int(item), item)} · {d.category_names.get(code, code)}"
        if dim == "inspectors":
            return f"{len(key.split(','))} 名检查人员"
        if dim == "inspector":
            return d.names["inspector"].get(int(key), key)
        return {"risk": f"风险分类 {key}", "month": f"{key} 月", "division": key}.get(dim, key)

    # --- exports and feedback -------------------------------------------------------

    def _export(self, suffix: str) -> None:
        d = self.dashboard
        if d is None:
            return
        kind = "Excel 文件 (*.xlsx)" if suffix == ".xlsx" else "PDF 文件 (*.pdf)"
        default = str(Path.home() / f"抽查统计_{d.period.start.year}{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, "导出统计", default, kind)
        if not path:
            return
        out = Path(path).with_suffix(suffix)
        from app.services.stats.export import write_export

        db = self._ctx.db
        self._export_job = run_with_progress(
            self,
            "正在导出…",
            lambda _p, _c: write_export(db, d, out),
            lambda _r: self._told("导出完成", f"已导出：{out}"),
            lambda msg: self._told("导出失败", msg, warn=True),
        )

    def _told(self, title: str, text: str, *, warn: bool = False) -> None:
        (QMessageBox.warning if warn else QMessageBox.information)(self, title, text)

    def _risk(self) -> None:
        from app.views.dashboard.risk_dialog import RiskDialog

        RiskDialog(self._ctx, self.period(), self).exec()

    def _duty(self) -> None:
        from app.services.stats.duty import DutyLine, duty_lines
        from app.views.dashboard.duty_dialog import DutyDialog

        db, period, today = self._ctx.db, self.period(), self.today()

        def show(lines: list[DutyLine]) -> None:
            self.duty_dialog = DutyDialog(lines, period, self)
            self.duty_dialog.open()

        self._duty_job = run_with_progress(
            self,
            "正在整理尽职记录…",
            lambda _p, _c: duty_lines(db, period, today),
            show,
            lambda msg: self._told("尽职记录", msg, warn=True),
        )
