"""审计日志: filter by object, person and date; verify the hash chain off the GUI thread;
acknowledge a change to users made around the program once it has been looked into."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.auth import Permission
from app.services.access import audit
from app.services.access.anchors import chain_head
from app.services.access.audit import AuditFilter, ChainReport
from app.services.access.audit_text import raw_text
from app.services.access.auth import current_principal
from app.services.access.user_changes import (
    JournalRow,
    UserChangeReport,
    acknowledge_user_change,
    user_change_report,
)
from app.views.context import AppContext
from app.views.settings.ack_dialog import AcknowledgeDialog
from app.views.settings.models import AuditModel
from app.views.widgets.jobs import Job

# The check lists this many problems; the command lists them all.
SHOWN_PROBLEMS = 5


class AuditTab(QWidget):
    verified = Signal(bool, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = ctx.db
        self._job: Job | None = None
        self._open: list[JournalRow] = []
        self.ack_dialog: AcknowledgeDialog | None = None
        layout = QVBoxLayout(self)
        self.allowed = current_principal().may(Permission.VIEW_AUDIT)
        if not self.allowed:
            layout.addWidget(QLabel("查看审计日志需要系统管理员或只读/领导角色。"))
            layout.addStretch(1)
            return
        filters = QHBoxLayout()
        self.entity = QComboBox()
        self.actor = QLineEdit()
        self.actor.setPlaceholderText("操作人包含…")
        self.use_from, self.date_from = QCheckBox("从"), QDateEdit(QDate.currentDate().addDays(-30))
        self.use_to, self.date_to = QCheckBox("到"), QDateEdit(QDate.currentDate())
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.search_button = QPushButton("查询")
        self.verify_button = QPushButton("校验")
        self.verify_button.setToolTip("逐条核对哈希链，找出被直接改动或删除的记录")
        self.search_button.clicked.connect(self.search)
        self.verify_button.clicked.connect(self.verify)
        self.ack_button = QPushButton("核实…")
        self.ack_button.setToolTip(
            "查明校验报告的用户表直接修改后，写明理由予以核实（需系统管理员）"
        )
        self.ack_button.setEnabled(False)
        self.ack_button.clicked.connect(self.acknowledge)
        self.actor.returnPressed.connect(self.search)
        for label, w in (("对象", self.entity), ("操作人", self.actor)):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
        for date_widget in (self.use_from, self.date_from, self.use_to, self.date_to):
            filters.addWidget(date_widget)
        filters.addWidget(self.search_button)
        filters.addStretch(1)
        filters.addWidget(self.verify_button)
        filters.addWidget(self.ack_button)
        layout.addLayout(filters)
        self.result = QLabel()
        self.result.setObjectName("auditResult")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        # The chain head for the paper ledger: an anchor the database cannot rewrite.
        self.head = QLabel()
        self.head.setObjectName("auditHead")
        self.head.setWordWrap(True)
        self.head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.head)
        self.model = AuditModel(lambda f, **kw: audit.list_entries(self._db, f, **kw), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        # The entry in words first; the raw entry as stored one click away.
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(self.detail, "说明")
        self.detail_tabs.addTab(self.raw, "原始记录")
        self.table.selectionModel().selectionChanged.connect(self._show_detail)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.detail_tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.reload_entities()
        self.search()

    def reload_entities(self) -> None:
        current = self.entity.currentData()
        self.entity.clear()
        self.entity.addItem("全部", None)
        for name in audit.list_entities(self._db):
            self.entity.addItem(audit.entity_label(name), name)
        self.entity.setCurrentIndex(max(0, self.entity.findData(current)))

    def current_filter(self) -> AuditFilter:
        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        return AuditFilter(
            entity=self.entity.currentData(),
            actor=self.actor.text().strip() or None,
            date_from=day(self.date_from) if self.use_from.isChecked() else None,
            date_to=day(self.date_to) if self.use_to.isChecked() else None,
        )

    def show_head(self) -> None:
        seq, digest = chain_head(self._db)
        self.head.setText(
            f"当前链头（请定期抄入纸质台账，日后用 audit verify --anchor 核对）："
            f"第 {seq} 条  {seq}:{digest}"
        )

    def search(self) -> None:
        self.show_head()
        self.model.set_filter(self.current_filter())
        self.table.resizeColumnsToContents()
        # The sentence names the row; its raw id is on the 原始记录 tab.
        self.table.setColumnHidden(5, True)
        # The sentence column elides rather than widening the page.
        for column in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 160))
        self.detail.clear()
        self.raw.clear()

    def _show_detail(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.detail.clear()
            self.raw.clear()
            return
        r = self.model.row(rows[0].row())
        head = f"第 {r.seq} 条  {r.at:%Y-%m-%d %H:%M:%S}  {r.actor}"
        self.detail.setPlainText(f"{head}\n{r.action_text}{r.entity_text}\n\n{r.summary}")
        self.raw.setPlainText(
            f"{head}\n{r.action} {r.entity} {r.entity_id or ''}\n\n{raw_text(r.before, r.after)}"
        )

    def verify(self) -> None:
        if not self.verify_button.isEnabled():  # a check is under way
            return
        self.verify_button.setEnabled(False)
        self.ack_button.setEnabled(False)
        self.result.setText("正在校验审计日志…")
        self._job = Job(
            lambda _p, _c: (
                audit.check_chain(self._db),
                audit.log_problems(self._db),
                user_change_report(self._db),
            ),
            self,
        )
        self._job.succeeded.connect(self._verified)
        self._job.failed.connect(lambda msg, _tb: self._report(False, f"校验失败：{msg}"))
        self._job.start()

    def _verified(self, found: tuple[ChainReport, list[str], UserChangeReport]) -> None:
        report, missing, users = found
        self.show_head()
        self._open = users.findings
        may_acknowledge = current_principal().may(Permission.MANAGE_USERS)
        self.ack_button.setEnabled(bool(self._open) and may_acknowledge)
        notes = _shown([str(a) for a in users.acknowledged])
        if notes:
            notes.insert(0, "已由管理员核实的用户表直接修改（仅供查阅，不影响校验结果）：")
        if not report.ok:
            self._report(False, f"审计日志已被篡改或损坏：{report.broken}", notes)
        elif missing:
            self._report(False, "审计日志不完整：\n" + "\n".join(_shown(missing)), notes)
        else:
            head = f"审计日志完整：共 {report.entries} 条，末条哈希 {report.head_hash}"
            self._report(True, head, notes)

    def acknowledge(self) -> None:
        """Ask which open finding and why; the service checks the right and records it."""
        if not self._open:
            return

        def submit(change_id: int, reason: str) -> None:
            acknowledge_user_change(self._db, change_id, reason)

        self.ack_dialog = AcknowledgeDialog([(r.id, str(r)) for r in self._open], submit, self)
        self.ack_dialog.accepted.connect(self._acknowledged)
        self.ack_dialog.open()

    def _acknowledged(self) -> None:
        self.search()
        self.verify()

    def _report(self, ok: bool, message: str, notes: list[str] | None = None) -> None:
        self.verify_button.setEnabled(True)
        self.result.setStyleSheet("" if ok else "color: #c8102e;")
        self.result.setText("\n".join([message, *(notes or [])]))
        self.verified.emit(ok, self.result.text())

    def wait(self) -> None:
        if self._job is not None:
            self._job.wait()


def _shown(lines: list[str]) -> list[str]:
    """The first few lines, and where to see them all."""
    shown = lines[:SHOWN_PROBLEMS]
    if len(lines) > len(shown):
        more = len(lines) - len(shown)
        shown.append(f"……另有 {more} 处（命令 dualrandom audit verify 列出全部）")
    return shown
