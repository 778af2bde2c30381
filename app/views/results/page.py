"""检查与结果: a drawn task's inspections, their teams, result entry and review.

Only shows and asks: every change goes through app.services.inspections, whose
Chinese refusals appear in the message line. Keyboard: Ctrl+S saves the
entries, Ctrl+Enter approves, Ctrl+R sends back, Ctrl+N fills the remaining
items with 未发现问题 (after a confirmation).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.results import ResultState
from app.services.common.errors import USER_ERRORS
from app.services.inspections import entry, queries, review
from app.services.inspections.common import InspectionError
from app.services.inspections.creation import create_from_draw
from app.services.inspections.queries import InspectionDetail
from app.services.inspections.settings import category_list
from app.views.context import AppContext
from app.views.plans.models import Row, RowTableModel
from app.views.results.entry_grid import EntryGrid
from app.views.results.files import FileActions
from app.views.results.team_dialog import ReassignDialog

OK_STYLE = "color:#1b7a3a"
ERROR_STYLE = "color:#c8102e"
LIST_HEADERS = ("序号", "检查对象", "状态", "已录入", "录入期限")
NAME_COLUMN = 1
# The list's share of the page at 1280×720: its short columns and about thirteen
# characters of a name; the entry grid beside it keeps the rest.
LIST_WIDTH = 410
STATE_COLORS = {
    ResultState.RETURNED: QColor("#c8102e"),
    ResultState.PENDING_REVIEW: QColor("#b35900"),
    ResultState.APPROVED: QColor("#1b7a3a"),
    ResultState.PUBLISHED: QColor("#1f5fa8"),
}
ERRORS: tuple[type[Exception], ...] = (*USER_ERRORS, InspectionError, ValueError)


def _button(text: str, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    return b


class ResultsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = ctx.db
        self.today: Callable[[], date] = date.today
        self.detail: InspectionDetail | None = None
        self.model = RowTableModel(LIST_HEADERS, self)
        self._build()
        self.files = FileActions(self, self)
        self.reload_tasks()

    # -- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel("检查与结果")
        title.setObjectName("pageTitle")
        self.task_box = QComboBox()
        self.task_box.setMinimumWidth(320)
        self.task_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.create_button = _button("生成检查", "按抽取结果为每户抽中对象生成一次检查")
        self.create_button.clicked.connect(self.create_inspections)
        self.refresh_button = _button("刷新", "重新读取")
        self.refresh_button.clicked.connect(self.reload_tasks)
        self.file_bar = QHBoxLayout()
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(QLabel("抽查任务"))
        head.addWidget(self.task_box, 1)
        head.addWidget(self.create_button)
        head.addLayout(self.file_bar)
        head.addWidget(self.refresh_button)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setWordWrap(False)
        # Every column in sight at 1280×720: the short ones sized to their content,
        # the name takes what is left and is elided (the tooltip has it whole).
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(cur))

        self.header = QLabel("请选择左侧的检查。")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.team_label = QLabel()
        self.team_label.setWordWrap(True)
        self.reassign_button = _button(
            "更换检查人员…", "因病、回避等原因更换检查组成员（须说明原因）"
        )
        self.reassign_button.clicked.connect(self.reassign)
        team_bar = QHBoxLayout()
        team_bar.addWidget(self.team_label, 1)
        team_bar.addWidget(self.reassign_button)
        self.grid = EntryGrid()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid)
        self.save_button = _button("保存结果 (Ctrl+S)", "保存已选择结果类型的事项，提交审核")
        self.save_button.clicked.connect(self.save)
        self.fill_button = _button("其余事项未发现问题…", "把未录入的事项全部录为“未发现问题”")
        self.fill_button.clicked.connect(self.fill_remaining)
        self.approve_button = _button("审核通过", "审核人（非检查组成员）确认本次检查结果")
        self.approve_button.clicked.connect(self.approve)
        self.return_button = _button("审核退回…", "退回检查组修改，须填写原因")
        self.return_button.clicked.connect(self.send_back)
        actions = QHBoxLayout()
        for b in (self.save_button, self.fill_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for b in (self.approve_button, self.return_button):
            actions.addWidget(b)
        self.reviews = QLabel()
        self.reviews.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        rl.addWidget(self.header)
        rl.addLayout(team_bar)
        rl.addWidget(scroll, 1)
        rl.addLayout(actions)
        rl.addWidget(self.reviews)
        self.splitter = splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([LIST_WIDTH, 1080 - LIST_WIDTH])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        for key, slot in (
            ("Ctrl+S", self.save),
            ("Ctrl+Return", self.approve),
            ("Ctrl+R", self.send_back),
            ("Ctrl+N", self.fill_remaining),
        ):
            QShortcut(QKeySequence(key), self).activated.connect(slot)
        self._enable()

    # -- messages ---------------------------------------------------------------------

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)

    def _try(self, fn: Callable[[], str | None]) -> bool:
        try:
            text = fn()
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return False
        if text:
            self.say(text)
        return True

    # -- loading ----------------------------------------------------------------------

    @property
    def task_code(self) -> str | None:
        code = self.task_box.currentData()
        return str(code) if code else None

    def reload_tasks(self) -> None:
        current = self.task_code
        tasks = queries.task_rows(self.db)
        self.task_box.blockSignals(True)
        self.task_box.clear()
        for t in tasks:
            note = "待生成检查" if t.drawn else f"{t.inspections} 户"
            self.task_box.addItem(f"{t.code}  {t.title}（{t.state_label}，{note}）", t.code)
        if current:
            self.task_box.setCurrentIndex(max(0, self.task_box.findData(current)))
        self.task_box.blockSignals(False)
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else (self.detail.inspection_id if self.detail else None)
        rows = []
        if self.task_code:
            try:
                found = queries.task_inspections(self.db, self.task_code, today=self.today())
            except ERRORS as exc:
                self.say(str(exc), ok=False)
                found = []
            for r in found:
                rows.append(
                    Row(
                        (
                            str(r.rank or ""),
                            r.target_name,
                            r.state_label,
                            f"{r.entered}/{r.items}",
                            r.due_short,
                        ),
                        key=r.inspection_id,
                        foreground=STATE_COLORS.get(r.state),
                        tooltip=(
                            f"{r.target_name}\n{r.uscc}\n检查组：{r.team}\n"
                            f"状态：{r.state_label}，已录入 {r.entered}/{r.items} 项\n"
                            f"录入期限：{r.due_text}"
                        ),
                    )
                )
        self.model.set_rows(rows)
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.view.selectRow(row)
            self.show_inspection(int(keep))  # type: ignore[arg-type]
        else:
            self.detail = None
            self.grid.clear()
            self.header.setText("请选择左侧的检查。" if rows else "本任务还没有检查。")
            self.team_label.clear()
            self.reviews.clear()
        self._enable()

    def _select(self, index: object) -> None:
        key = self.model.key(index.row())  # type: ignore[attr-defined]
        if key is not None and (self.detail is None or self.detail.inspection_id != key):
            self.show_inspection(int(key))

    def open_inspection(self, inspection_id: int) -> None:
        """Show one inspection (the home page's to-do lines land here)."""
        detail = queries.inspection_detail(self.db, inspection_id)
        if detail.task_code and detail.task_code != self.task_code:
            self.task_box.setCurrentIndex(max(0, self.task_box.findData(detail.task_code)))
        self.reload(keep=inspection_id)
        first = self.grid.first_editable()
        if first is not None:
            first.setFocus()

    def show_inspection(self, inspection_id: int) -> None:
        d = queries.inspection_detail(self.db, inspection_id)
        self.detail = d
        due = queries.due_text(d.due_date, d.due_estimated)
        warn = f"<br><span style='color:#b35900'>⚠ {d.due_note}</span>" if d.due_note else ""
        self.header.setText(
            f"<b>{d.target_name}</b>　{d.uscc}<br>检查期 {d.window_start:%Y-%m-%d} 至 "
            f"{d.window_end:%Y-%m-%d}　状态 <b>{d.state.label}</b>　结果录入期限 <b>{due}</b>{warn}"
        )
        team = "；".join(
            f"{m.position}. {m.name}（{m.department}，{m.badge_no}）{m.note}" for m in d.team
        )
        history = [m for m in d.members if not m.current]
        if history:
            team += "　已更换：" + "、".join(m.name for m in history)
        self.team_label.setText("检查组：" + team)
        today = self.today()
        default = min(max(today, d.window_start), d.window_end)
        self.grid.show_results(
            d.results, category_list(self.db), default, (d.window_start, d.window_end)
        )
        self.reviews.setText("审核记录：" + "；".join(d.reviews) if d.reviews else "")
        self._enable()

    def _enable(self) -> None:
        d = self.detail
        states = {r.state for r in d.results} if d else set()
        self.create_button.setEnabled(self.task_code is not None)
        self.save_button.setEnabled(d is not None)
        self.fill_button.setEnabled(ResultState.NOT_ENTERED in states)
        self.approve_button.setEnabled(d is not None and d.state is ResultState.PENDING_REVIEW)
        self.return_button.setEnabled(
            bool(states & {ResultState.PENDING_REVIEW, ResultState.APPROVED})
        )
        self.reassign_button.setEnabled(
            d is not None and d.state.value not in ("approved", "published")
        )

    # -- actions ----------------------------------------------------------------------

    def create_inspections(self) -> None:
        code = self.task_code
        if code and self._try(lambda: create_from_draw(self.db, code).message):
            self.reload_tasks()

    def save(self) -> None:
        d = self.detail
        if d is None:
            return
        values = self.grid.inputs()
        if not values:
            self.say("请先为事项选择结果类型。", ok=False)
            return
        if self._try(
            lambda: entry.enter_results(
                self.db, d.inspection_id, values, today=self.today(), expected_version=d.version
            )
        ):
            self.reload(keep=d.inspection_id)

    def fill_remaining(self) -> None:
        d = self.detail
        if d is None or not self.fill_button.isEnabled():
            return
        remaining = [r.item_name for r in d.results if r.state is ResultState.NOT_ENTERED]
        answer = QMessageBox.question(
            self,
            "其余事项未发现问题",
            f"将以下 {len(remaining)} 个未录入的事项录为“未发现问题”：\n"
            + "\n".join(remaining)
            + "\n\n检查日期和检查方式取第一行的填写。确定吗？",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        line = self.grid.lines[0]
        qd = line.day.date()
        day = date(qd.year(), qd.month(), qd.day())
        method = line.method.currentText()
        ok = self._try(
            lambda: "已录入 {} 项“未发现问题”，待审核。".format(
                entry.fill_no_problem(
                    self.db,
                    d.inspection_id,
                    inspected_on=day,
                    method=method,
                    today=self.today(),
                    expected_version=d.version,
                )
            )
        )
        if ok:
            self.reload(keep=d.inspection_id)

    def approve(self) -> None:
        d = self.detail
        if d is None or not self.approve_button.isEnabled():
            return
        if self._try(lambda: review.approve(self.db, d.inspection_id, expected_version=d.version)):
            self.reload(keep=d.inspection_id)

    def send_back(self) -> None:
        d = self.detail
        if d is None or not self.return_button.isEnabled():
            return
        reason, ok = QInputDialog.getMultiLineText(self, "审核退回", "退回原因（检查组将看到）：")
        if not ok:
            return
        if self._try(
            lambda: review.send_back(self.db, d.inspection_id, reason, expected_version=d.version)
        ):
            self.reload(keep=d.inspection_id)

    def reassign(self) -> None:
        d = self.detail
        if d is None:
            return
        dialog = ReassignDialog(self.db, d, self.today(), self)
        dialog.finished.connect(lambda _r: self._reassigned(dialog))
        self.dialog = dialog
        dialog.open()

    def _reassigned(self, dialog: ReassignDialog) -> None:
        if dialog.outcome:
            self.say(dialog.outcome)
            self.reload()
