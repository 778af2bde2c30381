"""抽查计划: plans and their tasks; create, edit, file, publish, adjust, compare, export.

The page only shows and asks: every change goes through app.services.plans.planning,
whose Chinese refusals are shown in the message line under the tables.
Dialogs are opened window-modal with open() and report back through
`finished`, so nothing here blocks in a nested event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.planning import PlanState
from app.services.common.errors import UserError
from app.services.plans import planning
from app.services.plans.export import export_plan
from app.services.plans.pool.preview import task_population, warm_histograms
from app.services.plans.values import Outcome, PlanDetail, PlanRow
from app.views.context import AppContext
from app.views.plans.models import PLAN_HEADERS, TASK_HEADERS, RowTableModel, plan_rows, task_rows
from app.views.plans.plan_editor import PlanEditorDialog, ReasonDialog
from app.views.plans.plan_import import PlanImport
from app.views.plans.task_editor import TaskEditorDialog
from app.views.plans.versions import VersionsDialog
from app.views.widgets.jobs import Job, Latest, run_with_progress

OK_STYLE = "color:#1b7a3a"
ERROR_STYLE = "color:#c8102e"


def _button(text: str, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    return b


def _view(model: RowTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class PlansPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = ctx.db
        self.detail: PlanDetail | None = None
        self._plans: dict[str, PlanRow] = {}
        self.dialog: QDialog | None = None  # the open editor, for tests and focus
        self._export_job: Job | None = None  # kept alive until it ends
        departments, _ = planning.reference_data(self._db)
        self._dept_names = {d.code: d.name for d in departments}
        self.plan_model = RowTableModel(PLAN_HEADERS, self)
        self.task_model = RowTableModel(TASK_HEADERS, self)
        self._build()
        self.reload()
        # Registry histograms for the previews, read while the planner looks around.
        self.warmer = Latest(self)
        db = self._db
        self.warmer.request(lambda: warm_histograms(db))

    # -- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel("年度抽查计划")
        title.setObjectName("pageTitle")
        self.new_plan = _button("新建计划…", "新建年度抽查计划（草稿）")
        self.import_button = _button(
            "从表格导入…", "把已有的年度抽查计划表（Excel）导入为草稿计划，一行一个任务"
        )
        self.edit_plan = _button("编辑计划…", "修改计划信息；已备案的计划作为调整")
        self.file_button = _button("备案", "检查并备案所选计划；备案后锁定，修改须作为调整")
        self.publish_button = _button("公开", "将已备案的计划标记为已公开")
        self.versions_button = _button("版本对比…", "并排查看计划的两个版本")
        self.xlsx_button = _button("导出 xlsx…", "导出计划表格")
        self.pdf_button = _button("导出公示 PDF…", "导出 A4 公示文本")
        self.refresh_button = _button("刷新", "重新读取")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        for b in (
            self.new_plan,
            self.import_button,
            self.edit_plan,
            self.file_button,
            self.publish_button,
            self.versions_button,
            self.xlsx_button,
            self.pdf_button,
            self.refresh_button,
        ):
            head.addWidget(b)

        self.plan_view = _view(self.plan_model)
        self.task_view = _view(self.task_model)
        self.plan_info = QLabel("请选择左侧的计划。")
        self.plan_info.setWordWrap(True)
        self.new_task = _button("新建任务…", "在所选计划中新建抽查任务")
        self.edit_task = _button("编辑任务…", "修改所选任务（双击亦可）")
        self.delete_task = _button("删除任务…", "删除所选任务；已备案的计划须填写调整原因")
        self.plan_info.setObjectName("planInfo")
        task_bar = QHBoxLayout()
        task_bar.addWidget(QLabel("抽查任务"))
        task_bar.addStretch(1)
        for b in (self.new_task, self.edit_task, self.delete_task):
            task_bar.addWidget(b)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.plan_info)
        right_layout.addLayout(task_bar)
        right_layout.addWidget(self.task_view, 1)
        splitter = QSplitter()
        splitter.addWidget(self.plan_view)
        splitter.addWidget(right)
        splitter.setSizes([460, 780])

        self.message = QLabel()
        self.message.setObjectName("pageMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        self.new_plan.clicked.connect(self.open_new_plan)
        self.plan_import = PlanImport(self._db, self)
        self.import_button.clicked.connect(self.plan_import.ask)
        self.plan_import.imported.connect(self._imported)
        self.edit_plan.clicked.connect(self.open_edit_plan)
        self.file_button.clicked.connect(self.file_selected)
        self.publish_button.clicked.connect(self.publish_selected)
        self.versions_button.clicked.connect(self.open_versions)
        self.xlsx_button.clicked.connect(lambda: self._ask_export(".xlsx", "Excel 工作簿"))
        self.pdf_button.clicked.connect(lambda: self._ask_export(".pdf", "PDF 文件"))
        self.refresh_button.clicked.connect(self.reload)
        self.new_task.clicked.connect(self.open_new_task)
        self.edit_task.clicked.connect(self.open_edit_task)
        self.delete_task.clicked.connect(self.ask_delete_task)
        self.task_view.doubleClicked.connect(lambda _i: self.open_edit_task())
        self.plan_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_plan())

    def _imported(self, code: str) -> None:
        self.reload()
        if code:
            self.select_plan(code)
            self._say(f"已导入草稿计划“{code}”，请逐项核对任务后备案。")

    # -- state ------------------------------------------------------------------------

    def selected_plan(self) -> str | None:
        code: str | None = self.plan_model.key(self.plan_view.currentIndex().row())
        return code

    def selected_task(self) -> str | None:
        code: str | None = self.task_model.key(self.task_view.currentIndex().row())
        return code

    def select_plan(self, code: str) -> None:
        row = self.plan_model.row_of(code)
        if row >= 0:
            self.plan_view.selectionModel().setCurrentIndex(
                self.plan_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def select_task(self, code: str) -> None:
        row = self.task_model.row_of(code)
        if row >= 0:
            self.task_view.selectionModel().setCurrentIndex(
                self.task_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def reload(self) -> None:
        keep = self.selected_plan()
        plans = planning.list_plans(self._db)
        self._plans = {p.code: p for p in plans}
        self.plan_model.set_rows(plan_rows(plans))  # a model reset leaves no current row
        if plans:  # selecting one emits currentRowChanged, which shows the plan
            self.select_plan(keep if keep and self.plan_model.row_of(keep) >= 0 else plans[0].code)
        else:
            self._show_plan()

    def _show_plan(self) -> None:
        code = self.selected_plan()
        self.detail = planning.get_plan(self._db, code) if code else None
        row = self._plans.get(code) if code else None
        self.task_model.set_rows(task_rows(row.tasks if row else (), self._dept_names))
        d = self.detail
        if d is None:
            self.plan_info.setText("还没有年度抽查计划：点“新建计划…”开始。")
        else:
            lead = self._dept_names.get(d.spec.lead_department, d.spec.lead_department)
            self.plan_info.setText(
                f"{d.spec.title}　{d.spec.kind.label}　牵头：{lead}　"
                f"状态：{d.state.label}　第 {d.version_no} 版"
            )
        locked = d is not None and d.state.locked
        for b in (self.edit_plan, self.new_task, self.edit_task, self.delete_task):
            b.setEnabled(d is not None)
        self.file_button.setEnabled(d is not None and d.state is PlanState.DRAFT)
        self.publish_button.setEnabled(d is not None and d.state is PlanState.FILED)
        for b in (self.versions_button, self.xlsx_button, self.pdf_button):
            b.setEnabled(d is not None)
        self.edit_task.setText("调整任务…" if locked else "编辑任务…")

    def _say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)

    def _say_outcome(self, outcome: Outcome) -> None:
        warnings = "\n".join(str(w) for w in outcome.warnings)
        self._say(outcome.message + (f"\n{warnings}" if warnings else ""))

    # -- dialogs ----------------------------------------------------------------------

    def _open(self, dialog: QDialog, select: str | None = None) -> QDialog:
        def finished(result: int) -> None:
            self.dialog = None
            if result == QDialog.DialogCode.Accepted:
                self.reload()
                if select:
                    self.select_plan(select)
                message = getattr(dialog, "outcome", "")
                if message:
                    self._say(message)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_new_plan(self) -> QDialog:
        return self._open(PlanEditorDialog(self._db, parent=self))

    def open_edit_plan(self) -> QDialog | None:
        d = self.detail
        if d is None:
            return None
        dialog = PlanEditorDialog(
            self._db, d.spec, d.state.locked, parent=self, version=d.row_version
        )
        return self._open(dialog, d.spec.code)

    def open_new_task(self) -> QDialog | None:
        d = self.detail
        if d is None:
            return None
        dialog = TaskEditorDialog(self._db, d.spec.code, d.spec.year, d.state.locked, parent=self)
        return self._open(dialog, d.spec.code)

    def open_edit_task(self) -> QDialog | None:
        d, code = self.detail, self.selected_task()
        if d is None or code is None:
            self._say("请先选择一个抽查任务。", ok=False)
            return None
        task = d.task(code)
        dialog = TaskEditorDialog(
            self._db,
            d.spec.code,
            d.spec.year,
            d.state.locked,
            task.spec,
            parent=self,
            version=task.row_version,
        )
        return self._open(dialog, d.spec.code)

    def ask_delete_task(self) -> QDialog | None:
        d, code = self.detail, self.selected_task()
        if d is None or code is None:
            self._say("请先选择一个抽查任务。", ok=False)
            return None
        prompt = f"删除任务 {code}。" + ("计划已备案，请填写调整原因：" if d.state.locked else "")
        dialog = ReasonDialog("删除抽查任务", prompt, self)
        version = d.task(code).row_version
        if not d.state.locked:
            dialog.edit.setText("删除草稿任务")

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                reason = dialog.reason if d.state.locked else None
                self._act(lambda: planning.delete_task(self._db, code, reason, version=version))

        dialog.finished.connect(done)
        return self._open(dialog, d.spec.code)

    def open_versions(self) -> QDialog | None:
        code = self.selected_plan()
        return self._open(VersionsDialog(self._db, code, self)) if code else None

    # -- actions ----------------------------------------------------------------------

    def _act(self, fn: Callable[[], Outcome]) -> bool:
        try:
            outcome = fn()
        except UserError as exc:
            self._say(exc.message, ok=False)
            return False
        self.reload()
        self._say_outcome(outcome)
        return True

    def file_selected(self) -> bool:
        code = self.selected_plan()
        if code is None:
            return False
        db = self._db
        return self._act(
            lambda: planning.file_plan(db, code, counts=lambda spec: task_population(db, spec))
        )

    def publish_selected(self) -> bool:
        code = self.selected_plan()
        return code is not None and self._act(lambda: planning.publish_plan(self._db, code))

    def _ask_export(self, suffix: str, kind: str) -> None:
        code = self.selected_plan()
        if code is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, f"导出计划 {code}", f"{code}{suffix}", f"{kind} (*{suffix})"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Job | None:
        """Write the selected plan as xlsx or PDF in the background (a PDF takes a while)."""
        code = self.selected_plan()
        if code is None:
            return None
        db = self._db
        self._export_job = run_with_progress(
            self,
            f"正在导出计划 {code}……",
            lambda _progress, _cancelled: export_plan(db, code, path),
            lambda written: self._say(f"已导出计划 {code}：{written}"),
            lambda message: self._say(message, ok=False),
        )
        return self._export_job
