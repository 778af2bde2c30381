"""The live pool preview beside the task editor: debounced, computed off the GUI thread.

Every edit restarts a short timer; when it fires the editor's current spec
goes to `preview_pool` in a background job (one at a time, a waiting request
replaced by the newest). Only the answer to the newest request is shown.
`shutdown()` waits for the worker; the dialog calls it when it closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.planning import Severity, format_ratio, stratum_label
from app.services.plans.pool.preview import PoolPreview
from app.views.plans.models import SEVERITY_COLORS, Row, RowTableModel
from app.views.widgets.jobs import Latest

DEBOUNCE_MS = 250
STRATA_HEADERS = ("风险类别", "候选对象", "抽查规则", "预计抽取")
DEPT_HEADERS = ("部门", "每组最少", "可抽人员", "未入选人员")
OVERLAP_HEADERS = ("同期任务", "所属计划", "范围重叠", "预计重复检查")


def _table(model: RowTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QTableView.SelectionMode.NoSelection)
    # Three tables share the panel's height: they take what the dialog has
    # instead of asking for 192 px each (which ran the editor off a 720-line screen).
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    view.setMinimumHeight(90)
    return view


class PoolPreviewPanel(QWidget):
    """抽查对象预览: candidates and expected sample per class, inspectors, problems."""

    updated = Signal(object)  # the PoolPreview shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = Latest(self)
        self.runner.answered.connect(self.show_preview)
        self.runner.failed.connect(self._show_failure)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._fire)
        self._fn: Callable[[], Any] | None = None
        self.preview: PoolPreview | None = None

        self.strata_model = RowTableModel(STRATA_HEADERS, self)
        self.dept_model = RowTableModel(DEPT_HEADERS, self)
        self.overlap_model = RowTableModel(OVERLAP_HEADERS, self)
        self.summary = QLabel("修改任务后自动计算抽查对象与人员。")
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("previewProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.timing = QLabel()
        self.timing.setObjectName("previewTiming")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("抽查对象预览")
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(_table(self.strata_model), 3)
        layout.addWidget(QLabel("执法检查人员（在岗、执法证有效、具备本部门事项资质）"))
        layout.addWidget(_table(self.dept_model), 2)
        layout.addWidget(QLabel("同期其他任务（防止检查过多、多头检查）"))
        layout.addWidget(_table(self.overlap_model), 2)
        layout.addWidget(self.problems)
        layout.addWidget(self.timing)

    def request(self, fn: Callable[[], PoolPreview]) -> None:
        """Recompute with `fn` once the edits pause."""
        self._fn = fn
        self.timing.setText("计算中…")
        self._timer.start()

    def busy(self) -> bool:
        return self._timer.isActive() or self.runner.pending

    def shutdown(self) -> None:
        self._timer.stop()
        self.runner.shutdown()

    def _fire(self) -> None:
        if self._fn is not None:
            self.runner.request(self._fn)

    def _show_failure(self, message: str) -> None:
        self.timing.setText("")
        self.problems.setText(f"<span style='color:#c8102e'>预览失败：{message}</span>")

    def show_preview(self, preview: PoolPreview) -> None:
        self.preview = preview
        rows = []
        for s in preview.strata:
            rule = "不抽取（未设规则）"
            if s.rule is not None:
                rule = (
                    f"比例 {format_ratio(s.rule.ratio_bp)}"
                    if s.rule.ratio_bp is not None
                    else f"固定 {s.rule.count} 户"
                )
            grey = QColor("#8c8c8c") if s.rule is None else None
            rows.append(
                Row(
                    (stratum_label(s.stratum), f"{s.candidates:,}", rule, f"{s.expected:,}"),
                    key=s.stratum,
                    foreground=grey,
                )
            )
        self.strata_model.set_rows(rows)
        self.dept_model.set_rows(
            [
                Row(
                    (
                        d.name,
                        str(d.minimum),
                        str(d.eligible),
                        "，".join(f"{k} {v}" for k, v in d.excluded.items()) or "—",
                    ),
                    key=d.code,
                    foreground=SEVERITY_COLORS[Severity.BLOCKS_DRAW]
                    if d.eligible < d.minimum
                    else None,
                )
                for d in preview.departments
            ]
        )
        self.overlap_model.set_rows(
            [
                Row(
                    (
                        f"{o.task_code} {o.task_title}",
                        o.plan_code,
                        f"{o.shared:,} 户",
                        f"约 {o.expected_both:,.0f} 户",
                    ),
                    key=o.task_code,
                )
                for o in preview.overlaps
            ]
        )
        people = sum(d.eligible for d in preview.departments)
        self.summary.setText(
            f"候选对象 {preview.candidates:,} 户，预计抽取 {preview.expected:,} 户"
            f"（按 DRAW-1 向上取整）；可抽执法人员 {people} 人。"
        )
        self.problems.setText(
            "<br/>".join(
                f"<span style='color:{SEVERITY_COLORS[p.severity].name()}'>{_html(str(p))}</span>"
                for p in preview.problems
            )
            or "<span style='color:#1b7a3a'>未发现问题。</span>"
        )
        self.timing.setText(f"用时 {preview.seconds * 1000:.0f} 毫秒")
        self.updated.emit(preview)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
