"""风险分类建议: review suggestions one by one or in bulk, and their effect on the next draw."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import USER_ERRORS
from app.services.stats import risk_feedback as rf
from app.services.stats.frames import Period
from app.views.context import AppContext
from app.views.widgets.jobs import Job, run_with_progress
from app.views.widgets.list_model import RowListModel


class SuggestionModel(RowListModel[rf.SuggestionLine]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                ("编号", lambda ln: str(ln.id)),
                ("统一社会信用代码", lambda ln: ln.uscc),
                ("检查对象", lambda ln: ln.target_name),
                ("现分类", lambda ln: ln.current_class),
                ("建议前", lambda ln: ln.from_class),
                ("建议", lambda ln: ln.to_class),
                ("理由", lambda ln: ln.reason),
                ("依据检查", lambda ln: "、".join(map(str, ln.basis))),
                ("状态", lambda ln: ln.state_label),
                ("处理人", lambda ln: ln.decided_by),
                ("说明", lambda ln: ln.decision_note),
            ],
            parent,
        )


class RiskDialog(QDialog):
    def __init__(self, ctx: AppContext, period: Period, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._period = ctx, period
        self._job: Job | None = None
        self.setWindowTitle("信用风险分类建议")
        self.resize(1120, 620)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.generate_button = QPushButton(f"按{period.end:%Y-%m-%d}前的检查结果生成建议(&G)")
        self.generate_button.clicked.connect(self.generate)
        top.addWidget(self.generate_button)
        self.filter = QComboBox()
        self.filter.addItem("待处理", rf.PENDING)
        self.filter.addItem("全部", None)
        self.filter.currentIndexChanged.connect(self.reload)
        top.addWidget(QLabel("显示"))
        top.addWidget(self.filter)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(
            QLabel(
                "最近一次检查发现问题的建议上调一级；连续两次未发现问题的建议下调一级。"
                "采纳后才改变检查对象的风险分类，每项处理都记入审计日志。"
            )
        )
        self.model = SuggestionModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table, 1)
        act = QHBoxLayout()
        act.addWidget(QLabel("处理说明"))
        self.note = QLineEdit()
        self.note.setPlaceholderText("不采纳时必填")
        act.addWidget(self.note, 1)
        self.accept_button = QPushButton("采纳所选(&A)")
        self.reject_button = QPushButton("不采纳所选(&N)")
        self.accept_all_button = QPushButton("全部采纳(&L)")
        self.accept_button.clicked.connect(lambda: self.decide(True, self.selected_ids()))
        self.reject_button.clicked.connect(lambda: self.decide(False, self.selected_ids()))
        self.accept_all_button.clicked.connect(lambda: self.decide(True, self.pending_ids()))
        for b in (self.accept_button, self.reject_button, self.accept_all_button):
            act.addWidget(b)
        layout.addLayout(act)
        eff = QHBoxLayout()
        eff.addWidget(QLabel("对下次抽取的影响：任务"))
        self.task = QComboBox()
        self.task.currentIndexChanged.connect(self.show_effect)
        eff.addWidget(self.task, 1)
        layout.addLayout(eff)
        self.effect = QTableWidget(0, 6)
        self.effect.setHorizontalHeaderLabels(
            [
                "风险分类",
                "抽查比例",
                "可抽对象（现）",
                "可抽对象（全部采纳后）",
                "预计抽取（现）",
                "预计抽取（采纳后）",
            ]
        )
        self.effect.setMaximumHeight(170)
        self.effect.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.effect)
        self.lines: list[rf.SuggestionLine] = []
        try:
            self.task.addItems(rf.task_codes(ctx.db))
        except USER_ERRORS as exc:
            QMessageBox.warning(self, "风险分类建议", str(exc))
        self.reload()

    def reload(self) -> None:
        self.lines = rf.list_suggestions(self._ctx.db, self.filter.currentData())
        self.model.set_rows(self.lines)
        self.table.resizeColumnsToContents()  # sizes from the rows in view
        self.show_effect()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.lines[r].id for r in rows if self.lines[r].state == rf.PENDING]

    def pending_ids(self) -> list[int]:
        return [ln.id for ln in self.lines if ln.state == rf.PENDING]

    def generate(self) -> None:
        db, until = self._ctx.db, self._period.end
        self._job = run_with_progress(
            self,
            "正在按检查结果生成建议…",
            lambda _p, _c: rf.generate(db, until),
            lambda n: self._done("生成建议", f"新生成 {n} 条风险分类建议。"),
            lambda msg: self._done("生成建议", msg, warn=True),
        )

    def decide(self, accept: bool, ids: list[int]) -> None:
        if not ids:
            QMessageBox.information(self, "风险分类建议", "请先选择待处理的建议。")
            return
        db, note = self._ctx.db, self.note.text()
        verb = "采纳" if accept else "不采纳"

        def decided(n: int) -> None:
            self.status_text = f"已{verb} {n} 条建议。"
            self.note.clear()
            self._done("风险分类建议", self.status_text)

        self._job = run_with_progress(
            self,
            f"正在{verb} {len(ids):,} 条建议…",
            lambda progress, cancelled: rf.decide(
                db, ids, accept, note, progress=progress, cancelled=cancelled
            ),
            decided,
            lambda msg: self._done("风险分类建议", msg, warn=True),
        )

    def _done(self, title: str, text: str, *, warn: bool = False) -> None:
        (QMessageBox.warning if warn else QMessageBox.information)(self, title, text)
        self.reload()

    def show_effect(self) -> None:
        code = self.task.currentText()
        if not code:
            self.effect.setRowCount(0)
            return
        try:
            rows = rf.sample_effect(self._ctx.db, code)
        except USER_ERRORS as exc:
            self.effect.setRowCount(0)
            self.effect.setToolTip(str(exc))
            return
        self.effect.setRowCount(len(rows))
        for r, e in enumerate(rows):
            delta = e.sample_after - e.sample_now
            cells = [
                e.stratum,
                e.rule,
                f"{e.pool_now:,}",
                f"{e.pool_after:,}",
                f"{e.sample_now:,}",
                f"{e.sample_after:,}（{delta:+d}）",
            ]
            for c, text in enumerate(cells):
                self.effect.setItem(r, c, QTableWidgetItem(text))
        self.effect.resizeColumnsToContents()
