"""The operator console's four steps: prepare, witnesses, reveal, done.

Widgets only: they show what the console gives them and emit what the
operator asks for; the console (console.py) calls the services.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QRegularExpressionValidator, QScreen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.ceremony import hex_lines
from app.services.draws.attempts import AttemptInfo
from app.views.draw.console_results import DrawnTable
from app.views.draw.paint import MONO_FAMILY
from app.views.draw.projector import default_screen, screen_label
from app.views.draw.reveal import SPEEDS


def mono_label(text: str = "") -> QLabel:
    label = QLabel(text)
    font = QFont(MONO_FAMILY)
    font.setPointSize(12)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def hash_block(pairs: list[tuple[str, str]]) -> str:
    """Labelled 64-hex values as two aligned lines each (monospace; CJK is double width)."""
    lines = []
    for label, value in pairs:
        caption = label.ljust(5, "\u3000")
        for k, line in enumerate(hex_lines(value)):
            lines.append(f"{caption if k == 0 else chr(0x3000) * 5} {line}")
    return "\n".join(lines)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


class PreparePanel(QWidget):
    """Step 0: the task, the projector screen, and 开始 (store the commitment)."""

    open_projector = Signal()
    start = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("请在左侧选择一个已公开的抽查任务。")
        self.summary.setWordWrap(True)
        # The operator's name goes on the record: the signed-in user, or typed here
        # on a PC without accounts (the console remembers it for this PC).
        self.operator = QLineEdit()
        self.operator.setObjectName("drawOperator")
        self.operator.setPlaceholderText("操作人员姓名（必填，将印在抽取记录上）")
        self.operator.setMaxLength(64)
        self.screen_box = QComboBox()
        self.full_screen = QCheckBox("在所选屏幕上全屏显示")
        self.full_screen.setChecked(True)
        self.refresh_screens()
        show = QPushButton("打开投屏")
        show.clicked.connect(self.open_projector)
        self.start_button = QPushButton("开始：生成抽取清单与随机数承诺")
        self.start_button.setObjectName("startCommitment")
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        screen_row = QHBoxLayout()
        screen_row.addWidget(self.screen_box, 1)
        screen_row.addWidget(self.full_screen)
        screen_row.addWidget(show)
        note = QLabel(
            "开始后，系统先固定抽取清单（候选对象、抽查规则、执法人员）并存档，生成随机数并公示其"
            "承诺值，然后才请见证人给出数字。随机数只留在本机程序中，算出结果时才与结果一起存档；"
            "此前关闭程序，本次抽取即告中断，须说明原因并经监督人员确认后重抽。放弃也须说明原因，"
            "并记入抽取记录。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("准备"))
        layout.addWidget(self.summary)
        operator_row = QHBoxLayout()
        operator_row.addWidget(QLabel("操作人员"))
        operator_row.addWidget(self.operator, 1)
        layout.addLayout(operator_row)
        layout.addWidget(QLabel("投屏屏幕"))
        layout.addLayout(screen_row)
        layout.addWidget(note)
        layout.addWidget(self.start_button)
        layout.addStretch(1)

    def refresh_screens(self) -> None:
        self.screen_box.clear()
        screens = QGuiApplication.screens()
        chosen = default_screen()
        for i, screen in enumerate(screens):
            self.screen_box.addItem(screen_label(screen, i), i)
            if screen is chosen:
                self.screen_box.setCurrentIndex(i)
        self.full_screen.setEnabled(len(screens) > 1)

    def chosen_screen(self) -> QScreen | None:
        screens = QGuiApplication.screens()
        index = self.screen_box.currentData()
        return screens[index] if isinstance(index, int) and index < len(screens) else None


class WitnessPanel(QWidget):
    """Step 1: the commitment on record; witnesses' digits, each confirmed as entered."""

    submit = Signal(str, str, str)  # name, unit, digits
    draw = Signal()
    abandon = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("见证人输入")
        self.commitment = mono_label()
        self.name = QLineEdit()
        self.name.setPlaceholderText("见证人姓名")
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("单位或身份，如 县人大代表")
        self.digits = QLineEdit()
        self.digits.setObjectName("witnessDigits")
        self.digits.setPlaceholderText("6 到 32 位数字（掷骰子或自选），回车确认")
        self.digits.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,32}")))
        self.digits.setFont(QFont(MONO_FAMILY, 16))
        self.name.returnPressed.connect(self.unit.setFocus)
        self.unit.returnPressed.connect(self.digits.setFocus)
        self.digits.returnPressed.connect(self._submit)
        add = QPushButton("确认该见证人的数字")
        add.clicked.connect(self._submit)
        form = QFormLayout()
        form.addRow("姓名", self.name)
        form.addRow("单位", self.unit)
        form.addRow("数字", self.digits)
        form.addRow("", add)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["见证人", "单位", "数字"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.draw_button = QPushButton("开始抽取")
        self.draw_button.setObjectName("startDraw")
        self.draw_button.setEnabled(False)
        self.draw_button.clicked.connect(self.draw)
        abandon = QPushButton("作废本次抽取…")
        abandon.clicked.connect(self.abandon)
        buttons = QHBoxLayout()
        buttons.addWidget(abandon)
        buttons.addStretch(1)
        buttons.addWidget(self.draw_button)
        box = QGroupBox("已存档的承诺（已投屏公示）")
        QVBoxLayout(box).addWidget(self.commitment)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(box)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_info(self, info: AttemptInfo) -> None:
        self.title.setText(f"见证人输入 · {info.task_code} 第 {info.attempt_no} 次抽取")
        self.commitment.setText(
            hash_block([("清单哈希", info.manifest_hash), ("随机数承诺", info.nonce_commitment)])
        )
        self.table.setRowCount(0)
        for w in info.witnesses:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, text in enumerate((f"{w.position}. {w.name}", w.unit, w.digits)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.draw_button.setEnabled(bool(info.witnesses))

    def clear_form(self) -> None:
        for edit in (self.name, self.unit, self.digits):
            edit.clear()
        self.name.setFocus()

    def _submit(self) -> None:
        self.submit.emit(self.name.text(), self.unit.text(), self.digits.text())


class RevealPanel(QWidget):
    """Step 2: the projector reveals; speed and 全部显示."""

    speed_changed = Signal(float)
    show_all = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QLabel("正在计算……")
        self.progress.setObjectName("tileValue")
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g} 倍速", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(
            lambda _i: self.speed_changed.emit(float(self.speed.currentData()))
        )
        self.all_button = QPushButton("全部显示")
        self.all_button.setObjectName("revealAll")
        self.all_button.clicked.connect(self.show_all)
        note = QLabel("结果已在揭晓前计算并存入数据库；揭晓动画只是逐户展示，可随时全部显示。")
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("揭晓速度"))
        row.addWidget(self.speed)
        row.addStretch(1)
        row.addWidget(self.all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("揭晓"))
        layout.addWidget(self.progress)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addStretch(1)

    def current_speed(self) -> float:
        return float(self.speed.currentData())


class DonePanel(QWidget):
    """Step 3: the result of record; print, export, show, second draw."""

    print_record = Signal()
    export_bundle = Signal()
    show_result = Signal()
    page = Signal(int)
    redraw = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("抽取完成")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.hashes = mono_label()
        grid = QGridLayout()
        actions = (
            ("打印抽取记录…", self.print_record, "printRecord"),
            ("导出核验包…", self.export_bundle, "exportBundle"),
            ("在投屏上显示结果", self.show_result, "showResult"),
            ("重新抽取（须监督确认）…", self.redraw, "redraw"),
        )
        for i, (text, signal, name) in enumerate(actions):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(signal)
            grid.addWidget(button, i // 2, i % 2)
        prev_page, next_page = QPushButton("投屏上一页"), QPushButton("投屏下一页")
        prev_page.clicked.connect(lambda: self.page.emit(-1))
        next_page.clicked.connect(lambda: self.page.emit(1))
        grid.addWidget(prev_page, 2, 0)
        grid.addWidget(next_page, 2, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.drawn = DrawnTable()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.hashes)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        layout.addWidget(self.drawn, 1)

    def show_info(self, info: AttemptInfo, selected: int) -> None:
        self.title.setText(f"抽取完成 · {info.task_code} 第 {info.attempt_no} 次抽取")
        witnesses = "、".join(f"{w.name}（{w.digits}）" for w in info.witnesses)
        self.summary.setText(
            f"共抽中 {selected:,} 户。操作人员：{info.operator}。见证人：{witnesses}"
        )
        self.hashes.setText(
            hash_block([("随机种子", info.seed or ""), ("结果哈希", info.result_hash or "")])
        )
