"""首页 本年概览 for a bureau head: coverage, problem rate, overdue counts (off the GUI thread)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.services.stats.dashboard import Dashboard, build_dashboard
from app.services.stats.frames import Period
from app.views.context import AppContext
from app.views.widgets.jobs import Job


class YearGlance(QFrame):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.today: Callable[[], date] = date.today
        self._job: Job | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(280)
        self.setMaximumWidth(360)
        layout = QVBoxLayout(self)
        self.title = QLabel("本年概览")
        self.title.setObjectName("sectionTitle")
        layout.addWidget(self.title)
        self.body = QLabel("正在统计…")
        self.body.setWordWrap(True)
        layout.addWidget(self.body)
        layout.addStretch(1)
        hint = QLabel("详见“统计分析”页（可逐项查看检查清单）。")
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def refresh(self) -> None:
        if self._job is not None:
            return
        db, year, today = self._ctx.db, self.today().year, self.today()
        job = Job(lambda _p, _c: build_dashboard(db, Period.year(year), today), self)
        job.succeeded.connect(self.show_figures)
        job.failed.connect(lambda msg, _tb: self.body.setText(f"统计失败：{msg}"))
        job.done.connect(self._done)
        self._job = job
        job.start()

    def _done(self) -> None:
        self._job = None

    def hideEvent(self, event: object) -> None:
        # A closing window must not destroy a running worker thread.
        self.wait()
        super().hideEvent(event)  # type: ignore[arg-type]

    def wait(self) -> None:
        if self._job is not None:
            self._job.wait()

    def show_figures(self, d: Dashboard) -> None:
        t, tot, iv = d.tasks, d.total, d.total.interval
        rate = f"{tot.problem_rate * 100:.1f}%" if tot.inspected else "—"
        pub = d.publication
        lines = [
            f"抽查任务：计划 {t.planned}，已抽取 {t.drawn}，已完成 {t.done}",
            f"双随机检查：{tot.inspections:,} 户次，结果已录入 {tot.inspected:,}",
            f"名录库覆盖率：{d.coverage.coverage * 100:.2f}%"
            f"（{d.coverage.inspected_targets:,}/{d.coverage.registry:,} 户）",
            f"问题发现率：{rate}" + (f"（95%区间 {iv.text()}）" if iv else ""),
            f"结果逾期未录入：{tot.overdue:,}　逾期录入：{tot.late:,}",
            f"公示逾期：{pub.late + pub.overdue:,}",
            f"多次被检查的企业：{d.multi_visited:,} 户",
        ]
        self.title.setText(f"{d.period.start.year}年概览")
        self.body.setText("\n".join(lines))
