"""随机抽取 page: the operator's console for the live draw, driving the projector.

It asks (which task, which screen, each witness's digits, 开始抽取) and shows
(the stored state); every step is stored by app.services.draws.ceremony before the
console moves on, so reopening a task after a crash resumes where it was.
Slow work (building a million-row manifest, computing, the PDF, the bundle)
runs in background jobs; the GUI thread only paints.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QSettings,
    QStandardPaths,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.ceremony import AttemptState, hex_groups
from app.services.access.auth import PermissionDenied
from app.services.common.errors import UserError
from app.services.draws import bundle
from app.services.draws import ceremony as drawing
from app.services.draws import screen as draw_screen
from app.services.draws import supervision as draw_supervision
from app.services.draws.ceremony import DrawCeremony, record_interruption
from app.services.draws.display import CommitmentView, OutcomeView
from app.services.draws.operator import signed_in_operator
from app.views.context import AppContext
from app.views.draw.console_dialogs import ask_abort_reason, ask_redraw
from app.views.draw.console_jobs import JobRunner
from app.views.draw.console_panels import DonePanel, PreparePanel, RevealPanel, WitnessPanel
from app.views.draw.console_results import drawn_rows
from app.views.draw.console_tasks import TaskList
from app.views.draw.projector import ProjectorWindow

PREPARE, WITNESSES, REVEAL, DONE = range(4)
OPERATOR_KEY = "draw/operator"  # the name typed on a PC without accounts, per PC


class DrawPage(QWidget):
    step_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ceremony: DrawCeremony | None = None
        self.projector: ProjectorWindow | None = None
        self.commitment_view: CommitmentView | None = None
        self.outcome_view: OutcomeView | None = None
        self.decoys: list[str] = []
        self.jobs = JobRunner(self.say, self)
        self.busy_changed = self.jobs.busy_changed
        # Replaceable in tests: a yes/no question to the operator.
        self.confirm: Callable[[str, str], bool] = self._ask

        self.tasks = TaskList()
        self.tasks.currentItemChanged.connect(self._task_chosen)
        refresh = QPushButton("刷新任务列表")
        refresh.clicked.connect(self.refresh)
        left = QVBoxLayout()
        left.addWidget(QLabel("抽查任务"))
        left.addWidget(self.tasks, 1)
        left.addWidget(refresh)

        self.prepare = PreparePanel()
        self.witness = WitnessPanel()
        self.reveal = RevealPanel()
        self.done = DonePanel()
        self.steps = QStackedWidget()
        for panel in (self.prepare, self.witness, self.reveal, self.done):
            self.steps.addWidget(panel)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("drawMessage")
        right = QVBoxLayout()
        right.addWidget(self.steps, 1)
        right.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 5)

        self.prepare.open_projector.connect(self.open_projector)
        self.prepare.start.connect(self.start_commitment)
        self.witness.submit.connect(self._witness_entered)
        self.witness.draw.connect(self._draw_clicked)
        self.witness.abandon.connect(self._abandon_clicked)
        self.reveal.speed_changed.connect(lambda s: self.projector and self.projector.set_speed(s))
        self.reveal.show_all.connect(self.reveal_all)
        self.done.print_record.connect(lambda: self.print_record())
        self.done.export_bundle.connect(lambda: self.export_bundle())
        self.done.show_result.connect(self.show_result)
        self.done.page.connect(lambda step: self.projector and self.projector.turn_page(step))
        self.done.redraw.connect(self._redraw_clicked)
        self._show_operator()
        self.refresh()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- tasks -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.tasks.show_tasks(drawing.list_tasks(self.ctx.db), self.task_code())

    def task_code(self) -> str | None:
        return self.tasks.code()

    def select_task(self, code: str) -> None:
        self.tasks.select(code)

    def _task_chosen(self, *_args: object) -> None:
        code = self.task_code()
        if code is None or self.is_busy():
            return
        self.say("")
        try:
            self.ceremony = DrawCeremony.resume(self.ctx.db, code)
        except UserError as exc:
            self.say(str(exc), error=True)
            return
        if self.ceremony is not None and self.ceremony.interrupted:
            self._record_interruption(code)
            return
        self._show_stored_state()

    def _record_interruption(self, code: str) -> None:
        """An open attempt whose program is gone can never finish: record it, then show."""
        db = self.ctx.db

        def work() -> tuple[int | None, DrawCeremony | None]:
            return record_interruption(db, code), DrawCeremony.resume(db, code)

        def ready(value: tuple[int | None, DrawCeremony | None]) -> None:
            number, self.ceremony = value
            self.refresh()
            self._show_stored_state()
            if number is not None:
                self.say(
                    f"第 {number} 次抽取在计算结果前中断（程序已退出，随机数随之丢失），"
                    "已记为中断并将印在抽取记录上。再次抽取须说明原因并经监督人员确认。",
                    error=True,
                )

        self.jobs.run("记录中断的抽取", work, ready)

    def _show_stored_state(self) -> None:
        """Whatever the database holds for the task, shown as it is (after a crash too)."""
        c = self.ceremony
        code = self.task_code() or ""
        if c is None:
            self.prepare.summary.setText(f"任务 {code}：尚未开始抽取。")
            self.prepare.start_button.setEnabled(True)
            self._go(PREPARE)
            return
        info = c.info()
        if info.state.is_open:
            self.witness.show_info(info)
            self.witness.setEnabled(c.held_here)
            if not c.held_here:
                self.say(
                    f"该任务第 {info.attempt_no} 次抽取由 {info.operator} 在工作站 "
                    f"{info.workstation or '（未知）'} 进行中：随机数只在该工作站的程序中，"
                    "本机只能查看。",
                    error=True,
                )
            self._go(WITNESSES)
            self.jobs.run(
                "读取抽取清单",
                lambda: (draw_screen.commitment_view(c), c.decoys()),
                self._show_commitment_view,
            )
        elif info.state is AttemptState.COMPUTED:

            def work() -> Any:
                if c.needs_completion:  # a result stored by an older version
                    with suppress(PermissionDenied):  # one who may only look leaves it
                        c.complete()
                return draw_screen.outcome_view(c)

            self.jobs.run("读取抽取结果", work, self._outcome_ready)

    # --- steps -------------------------------------------------------------------------

    def open_projector(self) -> ProjectorWindow:
        if self.projector is None:
            self.projector = ProjectorWindow()
            self.projector.reveal_progress.connect(self._reveal_progress)
            self.projector.reveal_finished.connect(self._reveal_finished)
            self.projector.closed.connect(self._projector_closed)
        self.projector.place(self.prepare.chosen_screen(), self.prepare.full_screen.isChecked())
        if self.step() == WITNESSES:
            self._project_commitment()
        elif self.step() == DONE and self.outcome_view is not None:
            self.projector.show_end(self.outcome_view)
        return self.projector

    def start_commitment(
        self, redraw_reason: str | None = None, supervisor: str | None = None
    ) -> None:
        """开始: build the manifest, draw and store the nonce and its commitment."""
        code = self.task_code()
        if code is None:
            return
        db, operator = self.ctx.db, self.prepare.operator.text().strip()
        if signed_in_operator() is None:
            if not operator:
                self.say("请填写操作人员姓名：它将印在抽取记录上。", error=True)
                self.prepare.operator.setFocus()
                return
            QSettings().setValue(OPERATOR_KEY, operator)

        def work() -> tuple[DrawCeremony, Any, list[str]]:
            c = DrawCeremony.open(
                db, code, operator, redraw_reason=redraw_reason, supervisor=supervisor
            )
            return c, draw_screen.commitment_view(c), c.decoys()

        def ready(value: tuple[DrawCeremony, Any, list[str]]) -> None:
            self.ceremony, view, decoys = value
            self.witness.setEnabled(True)
            self.witness.show_info(self.ceremony.info())
            self._go(WITNESSES)
            self._show_commitment_view((view, decoys))
            self.witness.clear_form()
            self.refresh()

        self.jobs.run("生成抽取清单与随机数承诺", work, ready)

    def add_witness(self, name: str, unit: str, digits: str) -> bool:
        assert self.ceremony is not None
        try:
            self.ceremony.add_witness(name, unit, digits)
        except UserError as exc:
            self.say(str(exc), error=True)
            return False
        info = self.ceremony.info()
        self.witness.show_info(info)
        if self.projector is not None:
            self.projector.set_witnesses(draw_screen.witness_lines(info))
        self.witness.clear_form()
        self.say(f"已存档第 {len(info.witnesses)} 位见证人的数字。")
        return True

    def start_draw(self) -> None:
        """开始抽取: seed and result computed and stored in one transaction, then revealed."""
        c = self.ceremony
        if c is None:
            return
        if self.projector is None:
            self.open_projector()
        self._go(REVEAL)
        self.reveal.progress.setText("正在计算并存档结果……")

        def work() -> tuple[Any, Any]:
            computed = c.compute()
            return computed, draw_screen.first_view(c, computed)

        self.jobs.run("计算抽取结果", work, self._reveal, failed=self._show_stored_state)

    def reveal_all(self) -> None:
        if self.projector is not None:
            self.projector.reveal_all()
        self._reveal_finished()

    def abort(self, reason: str) -> bool:
        assert self.ceremony is not None
        try:
            self.ceremony.abort(reason)
        except UserError as exc:
            self.say(str(exc), error=True)
            return False
        self.ceremony = None
        self.say("本次抽取已作废，原因已记录，将印在该任务的抽取记录上。")
        self.refresh()
        self._show_stored_state()
        return True

    def print_record(self, path: Path | None = None, open_after: bool = True) -> None:
        code = self.task_code()
        path = path or self._save_path(f"随机抽取记录-{code}.pdf", "PDF 文件 (*.pdf)")
        if code is None or path is None:
            return
        db = self.ctx.db

        def work() -> Path:
            path.write_bytes(bundle.record_pdf(db, code))
            return path

        def ready(out: Path) -> None:
            self.say(f"抽取记录已保存：{out}")
            if open_after:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

        self.jobs.run("生成随机抽取记录", work, ready)

    def export_bundle(self, path: Path | None = None) -> None:
        code = self.task_code()
        path = path or self._save_path(f"核验包-{code}.zip", "zip 文件 (*.zip)")
        if code is None or path is None:
            return
        db = self.ctx.db
        self.jobs.run(
            "导出核验包",
            lambda: bundle.write_bundle(db, code, path),
            lambda h: self.say(f"核验包已导出：{path}（结果哈希 {h[:16]}…）"),
        )

    def show_result(self) -> None:
        if self.outcome_view is not None:
            projector = self.projector or self.open_projector()
            projector.show_end(self.outcome_view)

    def redraw(self, reason: str, supervisor: str) -> None:
        self.start_commitment(redraw_reason=reason, supervisor=supervisor)

    # --- callbacks ---------------------------------------------------------------------

    def _show_commitment_view(self, value: tuple[Any, list[str]]) -> None:
        self.commitment_view, self.decoys = value
        self._project_commitment()

    def _project_commitment(self) -> None:
        """The commitment and confirmed witnesses on the projector; names pre-rendered."""
        if self.projector is None or self.ceremony is None or self.commitment_view is None:
            return
        self.projector.show_commitment(self.commitment_view)
        self.projector.set_witnesses(draw_screen.witness_lines(self.ceremony.info()))
        self.projector.prepare_reveal(self.decoys)

    def _witness_entered(self, name: str, unit: str, digits: str) -> None:
        grouped = hex_groups(digits, 4) if digits else "（空）"
        who = name or "（未填姓名）"
        question = f"请见证人 {who} 核对：\n\n{grouped}\n\n共 {len(digits)} 位，确认存档？"
        if self.confirm("确认见证人数字", question):
            self.add_witness(name, unit, digits)

    def _draw_clicked(self) -> None:
        assert self.ceremony is not None
        n = len(self.ceremony.info().witnesses)
        if self.confirm(
            "开始抽取", f"已有 {n} 位见证人给出数字。开始后不能再增加见证人。开始抽取？"
        ):
            self.start_draw()

    def _abandon_clicked(self) -> None:
        reason = ask_abort_reason(self)
        if reason:
            self.abort(reason)

    def _redraw_clicked(self) -> None:
        sign_in = draw_supervision.supervisor_sign_in_required(self.ctx.db)
        answer = ask_redraw(self, sign_in)
        if not answer:
            return
        reason, supervisor, password = answer
        if sign_in:
            try:
                supervisor = draw_supervision.confirm_supervisor(
                    self.ctx.db, self.task_code() or "", supervisor, password
                )
            except UserError as exc:
                self.say(f"重新抽取未获确认：{exc}", error=True)
                return
        self.redraw(reason, supervisor)

    def _reveal(self, value: tuple[Any, Any]) -> None:
        """The result is stored: the reveal starts; the rest is named in the background."""
        computed, self.outcome_view = value
        c = self.ceremony
        assert self.projector is not None and c is not None
        self.projector.start_reveal(self.outcome_view, self.decoys, self.reveal.current_speed())

        def work() -> Any:
            view = draw_screen.outcome_view(c, computed)
            return view, drawn_rows(view.entries)

        self.jobs.run("整理抽取结果", work, self._full_outcome, quiet=True)

    def _full_outcome(self, made: tuple[OutcomeView, list[tuple[str, ...]]]) -> None:
        view, rows = made
        self.outcome_view = view
        self.done.drawn.show_outcome(view, rows)
        if self.projector is not None:
            self.projector.update_outcome(view)
        self.refresh()

    def _reveal_progress(self, settled: int, total: int) -> None:
        self.reveal.progress.setText(f"已揭晓 {settled:,} / {total:,} 户")

    def _reveal_finished(self) -> None:
        if self.ceremony is not None and self.outcome_view is not None:
            self.done.show_info(self.ceremony.info(), self.outcome_view.total)
            self.done.drawn.show_outcome(self.outcome_view)
            self._go(DONE)

    def _outcome_ready(self, view: OutcomeView) -> None:
        self.outcome_view = view
        self._reveal_finished()
        if self.projector is not None:
            self.projector.show_end(self.outcome_view)

    def _projector_closed(self) -> None:
        self.projector = None

    # --- plumbing ----------------------------------------------------------------------

    def _show_operator(self) -> None:
        """The signed-in user, fixed; or the name last typed on this PC, editable."""
        signed_in = signed_in_operator()
        field = self.prepare.operator
        if signed_in is not None:
            field.setText(signed_in)
            field.setReadOnly(True)
        else:
            remembered = QSettings().value(OPERATOR_KEY, "")
            field.setText(remembered if isinstance(remembered, str) else "")
            field.setReadOnly(False)

    def _go(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.step_changed.emit(step)

    def step(self) -> int:
        return self.steps.currentIndex()

    def is_busy(self) -> bool:
        return self.jobs.is_busy()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    def _save_path(self, name: str, filters: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = QFileDialog.getSaveFileName(self, "保存", str(Path(folder) / name), filters)
        return Path(chosen) if chosen else None

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def shutdown(self) -> None:
        """Wait for background jobs and close the projector (application exit, tests)."""
        self.jobs.wait_all()
        if self.projector is not None:
            self.projector.close()
