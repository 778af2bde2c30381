"""公示: what was made public per year (待公示 / 已公示 / 已更正), follow-ups, case inspections.

Only shows and asks: publishing, corrections, closing follow-ups and
registering case inspections go through app.services (which check
permissions); their Chinese refusals appear in the message line. Keyboard:
Ctrl+P publishes the selected 待公示 task, Ctrl+E corrects the selected
record, Ctrl+S saves its files, F5 refreshes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.publication import PublicationState
from app.services.common.errors import USER_ERRORS
from app.services.inspections import documents
from app.services.inspections.cases import CaseRow, list_cases
from app.services.inspections.common import InspectionError
from app.services.publication import follow_ups, overview, records
from app.services.publication.records import PublicationError, PublicationRow
from app.services.publication.results import publish_results
from app.views.context import AppContext
from app.views.plans.models import Row, RowTableModel
from app.views.publication.dialogs import CaseDialog, CloseDialog, CorrectionDialog
from app.views.widgets.jobs import Job, run_with_progress

ERRORS: tuple[type[Exception], ...] = (*USER_ERRORS, PublicationError, InspectionError, ValueError)
OK_STYLE = "color:#1b7a3a"
ERROR_STYLE = "color:#c8102e"
STATE_COLORS = {
    PublicationState.DUE: QColor("#b35900"),
    PublicationState.PUBLISHED: QColor("#1b7a3a"),
    PublicationState.CORRECTED: QColor("#6b6b6b"),
}
LATE = QColor("#c8102e")
PUB_HEADERS = ("状态", "类型", "标题", "文号", "公示日期", "公示期限", "发布人", "文件")
FU_HEADERS = ("部门", "类型", "检查对象", "事项", "任务", "期限", "状态")
CASE_HEADERS = ("编号", "类型", "来源", "来源编号", "检查对象", "状态", "录入期限")


def _table(model: RowTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _pub_row(r: PublicationRow) -> Row:
    colour = LATE if r.overdue and r.state is PublicationState.DUE else STATE_COLORS[r.state]
    state = r.state_label + ("·逾期" if r.overdue else "")
    tip = f"更正原因：{r.reason}" if r.reason else None
    return Row(
        (
            state,
            r.kind.label,
            r.title,
            r.doc_number or "—",
            f"{r.published_on:%Y-%m-%d}" if r.published_on else "—",
            f"{r.due_date:%Y-%m-%d}" if r.due_date else "—",
            r.published_by or "—",
            "、".join(f.name for f in r.files) or "—",
        ),
        key=r,
        foreground=colour,
        tooltip=tip,
    )


class PublicationPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = ctx.db
        self.today: Callable[[], date] = date.today
        self.pub_model = RowTableModel(PUB_HEADERS, self)
        self.fu_model = RowTableModel(FU_HEADERS, self)
        self.case_model = RowTableModel(CASE_HEADERS, self)
        self.job: Job | None = None
        self._build()
        self.reload()

    # -- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel("公示")
        title.setObjectName("pageTitle")
        self.year_box = QComboBox()
        self.year_box.currentIndexChanged.connect(lambda _i: self.reload_publications())
        self.publish_button = QPushButton("公示结果(&P)…")
        self.publish_button.setToolTip("公示所选“待公示”任务的已审核结果（Ctrl+P）")
        self.correct_button = QPushButton("更正(&E)…")
        self.save_button = QPushButton("保存文件(&S)…")
        refresh = QPushButton("刷新")
        self.publish_button.clicked.connect(self.publish_selected)
        self.correct_button.clicked.connect(self.correct_selected)
        self.save_button.clicked.connect(self.save_selected)
        refresh.clicked.connect(self.reload)
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addSpacing(16)
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year_box)
        bar.addStretch(1)
        for b in (self.publish_button, self.correct_button, self.save_button, refresh):
            bar.addWidget(b)

        self.pub_view = _table(self.pub_model)
        self.pub_view.doubleClicked.connect(lambda _i: self.save_selected())
        self.fu_view = _table(self.fu_model)
        close = QPushButton("办结(&C)…")
        close.clicked.connect(self.close_selected)
        self.fu_all = QComboBox()
        self.fu_all.addItems(["只看未完结", "全部"])
        self.fu_all.currentIndexChanged.connect(lambda _i: self.reload_follow_ups())
        fu_bar = QHBoxLayout()
        fu_bar.addWidget(self.fu_all)
        fu_bar.addStretch(1)
        fu_bar.addWidget(close)
        fu_page = QWidget()
        fu_layout = QVBoxLayout(fu_page)
        fu_layout.addLayout(fu_bar)
        fu_layout.addWidget(self.fu_view)

        self.case_view = _table(self.case_model)
        add_case = QPushButton("登记个案/专项检查(&N)…")
        add_case.clicked.connect(self.add_case)
        case_notice = QPushButton("检查通知书…")
        case_notice.clicked.connect(lambda: self.case_documents("notices"))
        case_checklist = QPushButton("检查记录表…")
        case_checklist.clicked.connect(lambda: self.case_documents("checklists"))
        case_bar = QHBoxLayout()
        case_bar.addWidget(QLabel("不经随机抽取的检查：录入、审核与公示同双随机抽查，统计时单列。"))
        case_bar.addStretch(1)
        for button in (case_notice, case_checklist, add_case):
            case_bar.addWidget(button)
        case_page = QWidget()
        case_layout = QVBoxLayout(case_page)
        case_layout.addLayout(case_bar)
        case_layout.addWidget(self.case_view)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.pub_view, "公示记录")
        self.tabs.addTab(fu_page, "后续处置")
        self.tabs.addTab(case_page, "个案与专项检查")
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        for keys, slot in (
            ("Ctrl+P", self.publish_selected),
            ("Ctrl+E", self.correct_selected),
            ("Ctrl+S", self.save_selected),
            ("F5", self.reload),
        ):
            QShortcut(QKeySequence(keys), self, slot)

    # -- loading ----------------------------------------------------------------------

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)

    def reload(self) -> None:
        current = self.year_box.currentData()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        try:
            years = overview.years(self.db, self.today())
        except ERRORS as exc:
            years = [self.today().year]
            self.say(str(exc), ok=False)
        for y in years:
            self.year_box.addItem(f"{y}年度", y)
        index = self.year_box.findData(current) if current is not None else 0
        self.year_box.setCurrentIndex(max(index, 0))
        self.year_box.blockSignals(False)
        self.reload_publications()
        self.reload_follow_ups()
        self.reload_cases()

    def reload_publications(self) -> None:
        year = self.year_box.currentData()
        if year is None:
            return
        try:
            rows = overview.page_rows(self.db, int(year), self.today())
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return
        self.pub_model.set_rows([_pub_row(r) for r in rows])

    def reload_follow_ups(self) -> None:
        try:
            rows = follow_ups.list_follow_ups(
                self.db, self.today(), open_only=self.fu_all.currentIndex() == 0
            )
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return
        self.fu_model.set_rows(
            [
                Row(
                    (
                        r.department,
                        r.kind.label,
                        f"{r.target_name}（{r.uscc}）",
                        r.item,
                        r.task_code,
                        f"{r.due_date:%Y-%m-%d}",
                        r.status_text,
                    ),
                    key=r,
                    foreground=LATE if r.overdue else None,
                    tooltip=r.outcome or r.finding or None,
                )
                for r in rows
            ]
        )

    def reload_cases(self) -> None:
        try:
            rows = list_cases(self.db)
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return
        self.case_model.set_rows(
            [
                Row(
                    (
                        r.code,
                        r.kind.label,
                        r.source,
                        r.reference,
                        f"{r.target_name}（{r.uscc}）",
                        r.state.label,
                        f"{r.due_date:%Y-%m-%d}" if r.due_date else "—",
                    ),
                    key=r,
                )
                for r in rows
            ]
        )

    # -- actions ----------------------------------------------------------------------

    def selected(self) -> PublicationRow | None:
        rows = self.pub_view.selectionModel().selectedRows()
        key = self.pub_model.key(rows[0].row()) if rows else None
        return key if isinstance(key, PublicationRow) else None

    def _task_code(self, row: PublicationRow) -> str:
        return row.subject_key.split(":")[1]

    def publish_selected(self) -> None:
        row = self.selected()
        if row is None or row.state is not PublicationState.DUE:
            self.say("请先选择一条“待公示”的任务。", ok=False)
            return
        self.publish(self._task_code(row))

    def publish(self, code: str) -> Job:
        db = self.db

        def work(_progress: Any, _cancelled: Any) -> str:
            return publish_results(db, code, published_on=self.today()).message

        def done(message: str) -> None:
            self.say(message)
            self.reload()

        self.job = run_with_progress(
            self, "公示抽查结果", work, done, lambda m: self.say(m, ok=False)
        )
        return self.job

    def correct_selected(self) -> None:
        row = self.selected()
        if (
            row is None
            or row.state is not PublicationState.PUBLISHED
            or row.kind.value != "results"
        ):
            self.say("请先选择一条“已公示”的抽查结果记录。", ok=False)
            return
        dialog = CorrectionDialog(self.db, self._task_code(row), row.publication_id or 0, self)
        if dialog.exec():
            self.say(dialog.outcome)
            self.reload()

    def save_selected(self) -> None:
        row = self.selected()
        if row is None or not row.files:
            self.say("所选记录没有已公示的文件。", ok=False)
            return
        folder = QFileDialog.getExistingDirectory(self, "保存公示文件到")
        if folder:
            self.save_files(row, Path(folder))

    def save_files(self, row: PublicationRow, folder: Path) -> list[Path]:
        try:
            out = [records.save_file(self.db, f.file_id, folder / f.name) for f in row.files]
        except ERRORS as exc:
            self.say(str(exc), ok=False)
            return []
        self.say("已保存：" + "、".join(p.name for p in out))
        return out

    def close_selected(self) -> None:
        rows = self.fu_view.selectionModel().selectedRows()
        key = self.fu_model.key(rows[0].row()) if rows else None
        if not isinstance(key, follow_ups.FollowUpRow) or key.status.value != "open":
            self.say("请先选择一条未完结的后续处置。", ok=False)
            return
        dialog = CloseDialog(self.db, key, self.today(), self)
        if dialog.exec():
            self.say(dialog.outcome)
            self.reload_follow_ups()

    def selected_case(self) -> CaseRow | None:
        rows = self.case_view.selectionModel().selectedRows()
        key = self.case_model.key(rows[0].row()) if rows else None
        return key if isinstance(key, CaseRow) else None

    def case_documents(self, kind: str, target: str | None = None) -> Job | None:
        """The selected case's 检查通知书 or 检查记录表 as a PDF, written in the background."""
        case = self.selected_case()
        if case is None:
            self.say("请先选择一项个案或专项检查。", ok=False)
            return None
        title = "检查通知书" if kind == "notices" else "检查记录表"
        if target is None:
            target, _ = QFileDialog.getSaveFileName(
                self, title, f"{case.code}-{title}.pdf", "PDF 文件 (*.pdf)"
            )
        if not target:
            return None
        db, code, out, today = self.db, case.code, Path(target), self.today()

        def work(progress: Any, cancelled: Any) -> str:
            if kind == "notices":
                return documents.write_task_notices(
                    db, code, out, issued_on=today, progress=progress, cancelled=cancelled
                )
            return documents.write_task_checklists(
                db, code, out, progress=progress, cancelled=cancelled
            )

        self.job = run_with_progress(
            self,
            f"正在生成{title}…",
            work,
            lambda text: self.say(f"已生成{text}"),
            lambda message: self.say(message, ok=False),
        )
        return self.job

    def add_case(self) -> None:
        dialog = CaseDialog(self.db, self.today(), self)
        if dialog.exec():
            self.say(dialog.outcome)
            self.reload_cases()
