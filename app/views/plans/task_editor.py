"""抽查任务 editor: the task's fields on the left, the live pool preview on the right.

The dialog turns its fields into a `TaskSpec` after every edit; a spec that
cannot be built (a ratio that is not a percentage) is named under the form,
anything else goes to the preview, which recomputes once the edits pause.
In a filed plan the dialog saves an adjustment and asks for its reason.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.divisions import DIVISIONS
from app.domain.planning import (
    STRATA,
    DistrictRule,
    InitiatorLevel,
    SamplingRule,
    format_ratio,
    parse_ratio_percent,
    stratum_label,
)
from app.domain.registry import EntityType
from app.services.common.errors import InvalidInput, UserError
from app.services.plans import planning
from app.services.plans.pool.preview import preview_pool
from app.services.plans.values import DepartmentRef, ItemRef, Scope, TaskSpec
from app.views.plans.preview import PoolPreviewPanel
from app.views.plans.widgets import CheckList, split_codes
from app.views.widgets.screen import fit_to_screen

if TYPE_CHECKING:
    from app.models.db import Database

RULE_MODES = ("不抽取", "按比例（%）", "固定户数")


class TaskEditorDialog(QDialog):
    def __init__(
        self,
        db: Database,
        plan_code: str,
        year: int,
        locked: bool,
        task: TaskSpec | None = None,
        parent: QWidget | None = None,
        version: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._plan_code, self._year, self._locked = db, plan_code, year, locked
        self._original = task.code if task else None
        # An imported row's 检查内容 that matched no item: shown until an item is picked.
        self._pending = task.pending_item if task else ""
        self._version = version  # the task's row version as loaded: a stale save is refused
        self.outcome: str = ""
        departments, items = planning.reference_data(db)
        self._departments: dict[str, DepartmentRef] = {d.code: d for d in departments}
        self._items: dict[str, ItemRef] = {i.code: i for i in items}
        self._minimums: dict[str, QSpinBox] = {}
        self._quiet = True  # no complaints until the clerk edits or saves
        self.setWindowTitle(
            f"{'调整' if locked else '编辑'}抽查任务 {task.code}" if task else "新建抽查任务"
        )
        fit_to_screen(self, 1240, 800)
        self._build()
        self._load(task or self._blank())
        self._connect()
        # Validate on edit and on save, never on open: a new task starts empty, and
        # a red "请选择…" before anything is typed reads as an error the clerk made.
        self._changed()
        self._quiet = False

    # -- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        form_host = QWidget()
        form = QFormLayout(form_host)
        self.code = QLineEdit()
        self.code.setPlaceholderText(f"如 LC-SCJGJ-{self._year}-003")
        self.title_edit = QLineEdit()
        self.level = QComboBox()
        for lv in InitiatorLevel:
            self.level.addItem(lv.label, lv.value)
        self.items = CheckList(
            [(i.code, _item_label(i, self._departments)) for i in self._items.values()]
        )
        self.items.setMinimumHeight(180)
        self.chosen = QLabel()
        self.chosen.setObjectName("chosenItems")
        self.chosen.setWordWrap(True)
        self.dept_box = QGroupBox("参与部门及每组最少人数（由所选事项确定）")
        self.dept_form = QFormLayout(self.dept_box)
        form.addRow("任务编号", self.code)
        form.addRow("任务名称", self.title_edit)
        form.addRow("发起层级", self.level)
        form.addRow("抽查事项", self.items)
        form.addRow("", self.chosen)
        form.addRow(self.dept_box)

        self.divisions = CheckList([(c, f"{n}（{c}）") for c, n in DIVISIONS.items()])
        self.divisions.setMaximumHeight(110)
        self.entity_types = CheckList([(e.value, e.value) for e in EntityType])
        self.entity_types.setMaximumHeight(70)
        self.industries = QLineEdit()
        self.industries.setPlaceholderText("GB/T 4754 行业代码或前缀，如 52 62；留空为不限")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("监管标签，如 食品经营；多个用空格或逗号分隔")
        self.before_check = QCheckBox("只含成立日期早于")
        self.before_date = QDateEdit()
        self.before_date.setCalendarPopup(True)
        self.before_date.setDisplayFormat("yyyy-MM-dd")
        before = QHBoxLayout()
        before.addWidget(self.before_check)
        before.addWidget(self.before_date)
        before.addStretch(1)
        form.addRow("行政区划（不选为全部）", self.divisions)
        form.addRow("主体类型（不选为全部）", self.entity_types)
        form.addRow("行业", self.industries)
        form.addRow("监管标签", self.tags)
        form.addRow("", _wrap(before))

        rules_box = QGroupBox("抽查比例（按信用风险分类）")
        grid = QGridLayout(rules_box)
        self.rule_modes: dict[str, QComboBox] = {}
        self.rule_values: dict[str, QLineEdit] = {}
        for row, stratum in enumerate(STRATA):
            mode = QComboBox()
            mode.addItems(RULE_MODES)
            value = QLineEdit()
            value.setObjectName(f"rule_{stratum}")
            grid.addWidget(QLabel(stratum_label(stratum)), row, 0)
            grid.addWidget(mode, row, 1)
            grid.addWidget(value, row, 2)
            self.rule_modes[stratum], self.rule_values[stratum] = mode, value
        form.addRow(rules_box)

        self.batches = _spin(1, 99)
        self.team_size = _spin(2, 20)
        self.district_rule = QComboBox()
        for rule in DistrictRule:
            self.district_rule.addItem(rule.label, rule.value)
        self.max_load = _spin(0, 9999)
        self.max_load.setSpecialValueText("不限")
        self.window_months = _spin(0, 120)
        self.start = _date_edit()
        self.end = _date_edit()
        form.addRow("批次", self.batches)
        form.addRow("每组人数", self.team_size)
        form.addRow("人员区划规则", self.district_rule)
        form.addRow("每人最多检查户数", self.max_load)
        form.addRow("近期检查回避（月）", self.window_months)
        form.addRow("计划开始", self.start)
        form.addRow("计划结束", self.end)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        self.preview = PoolPreviewPanel()
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(self.preview)
        splitter.setSizes([560, 680])

        self.reason = QLineEdit()
        self.reason.setPlaceholderText("计划已备案：请填写本次调整的原因（必填）")
        self.reason.setVisible(self._locked)
        self.error = QLabel()
        self.error.setObjectName("editorError")
        self.error.setStyleSheet("color:#c8102e")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            "保存调整" if self._locked else "保存"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        if self._locked:
            layout.addWidget(QLabel("调整原因"))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        for edit in (self.code, self.title_edit, self.industries, self.tags):
            edit.textChanged.connect(self._changed)
        for combo in (self.level, self.district_rule, *self.rule_modes.values()):
            combo.currentIndexChanged.connect(self._changed)
        for value in self.rule_values.values():
            value.textChanged.connect(self._changed)
        for spin in (self.batches, self.team_size, self.max_load, self.window_months):
            spin.valueChanged.connect(self._changed)
        for d in (self.before_date, self.start, self.end):
            d.dateChanged.connect(self._changed)
        self.before_check.toggled.connect(self._changed)
        self.items.changed.connect(self._items_changed)
        self.divisions.changed.connect(self._changed)
        self.entity_types.changed.connect(self._changed)

    # -- spec ↔ fields ----------------------------------------------------------------

    def _blank(self) -> TaskSpec:
        return TaskSpec(
            code="",
            title="",
            item_codes=(),
            departments={},
            rules=(SamplingRule("A", ratio_bp=300), SamplingRule("B", ratio_bp=500)),
            planned_start=date(self._year, 4, 1),
            planned_end=date(self._year, 10, 31),
        )

    def _load(self, spec: TaskSpec) -> None:
        self.code.setText(spec.code)
        self.title_edit.setText(spec.title)
        self.level.setCurrentIndex(self.level.findData(spec.initiator_level.value))
        self.items.set_checked(spec.item_codes)
        self._items_changed()
        self._rebuild_departments(spec.departments)
        self.divisions.set_checked(spec.scope.divisions)
        self.entity_types.set_checked(spec.scope.entity_types)
        self.industries.setText(" ".join(spec.scope.industries))
        self.tags.setText(" ".join(spec.scope.tags))
        self.before_check.setChecked(spec.scope.registered_before is not None)
        self.before_date.setDate(_qdate(spec.scope.registered_before or date(self._year, 1, 1)))
        rules = {r.stratum: r for r in spec.rules}
        for stratum in STRATA:
            rule = rules.get(stratum)
            mode = 0 if rule is None else (1 if rule.ratio_bp is not None else 2)
            self.rule_modes[stratum].setCurrentIndex(mode)
            text = ""
            if rule is not None:
                ratio = format_ratio(rule.ratio_bp).rstrip("%") if rule.ratio_bp is not None else ""
                text = ratio if rule.ratio_bp is not None else str(rule.count)
            self.rule_values[stratum].setText(text)
        self.batches.setValue(spec.batches)
        self.team_size.setValue(spec.team_size)
        self.district_rule.setCurrentIndex(self.district_rule.findData(spec.district_rule.value))
        self.max_load.setValue(spec.max_load or 0)
        self.window_months.setValue(spec.recent_window_months)
        self.start.setDate(_qdate(spec.planned_start))
        self.end.setDate(_qdate(spec.planned_end))

    def _rebuild_departments(self, wanted: dict[str, int] | None = None) -> None:
        old = {c: s.value() for c, s in self._minimums.items()}
        old.update(wanted or {})
        codes = {self._items[c].department for c in self.items.checked() if c in self._items}
        order = [c for c in self._departments if c in codes]
        while self.dept_form.rowCount():
            self.dept_form.removeRow(0)
        self._minimums = {}
        for code in order:
            spin = _spin(0, 20)
            spin.setObjectName(f"min_{code}")
            spin.setValue(old.get(code, 1))
            spin.valueChanged.connect(self._changed)
            self.dept_form.addRow(self._departments[code].name, spin)
            self._minimums[code] = spin
        if not order:
            self.dept_form.addRow(QLabel("请先选择抽查事项"))

    def _rules(self) -> tuple[SamplingRule, ...]:
        rules = []
        for stratum in STRATA:
            mode = self.rule_modes[stratum].currentIndex()
            text = self.rule_values[stratum].text().strip()
            where = f"{stratum_label(stratum)}："
            if mode == 1:
                try:
                    rules.append(SamplingRule(stratum, ratio_bp=parse_ratio_percent(text)))
                except InvalidInput as exc:
                    raise InvalidInput(where + str(exc)) from None
            elif mode == 2:
                if not text.isdigit():
                    raise InvalidInput(f"{where}固定户数“{text}”应为不小于 0 的整数")
                rules.append(SamplingRule(stratum, count=int(text)))
        return tuple(rules)

    def current_spec(self) -> TaskSpec:
        """The task as the fields say now; InvalidInput names a field that cannot be read."""
        registered = _day(self.before_date) if self.before_check.isChecked() else None
        return TaskSpec(
            code=self.code.text().strip().upper(),
            title=self.title_edit.text().strip(),
            item_codes=tuple(self.items.checked()),
            departments={c: s.value() for c, s in self._minimums.items()},
            rules=self._rules(),
            planned_start=_day(self.start),
            planned_end=_day(self.end),
            scope=Scope(
                divisions=tuple(self.divisions.checked()),
                entity_types=tuple(self.entity_types.checked()),
                industries=split_codes(self.industries.text(), upper=True),
                tags=split_codes(self.tags.text()),
                registered_before=registered,
            ),
            initiator_level=InitiatorLevel(self.level.currentData()),
            batches=self.batches.value(),
            team_size=self.team_size.value(),
            district_rule=DistrictRule(self.district_rule.currentData()),
            max_load=self.max_load.value() or None,
            recent_window_months=self.window_months.value(),
        )

    # -- reactions --------------------------------------------------------------------

    def _items_changed(self) -> None:
        chosen = self.items.checked()
        self.chosen.setText(
            f"已选 {len(chosen)} 项：" + "、".join(f"{c} {self._items[c].name}" for c in chosen)
            if chosen
            else "尚未选择抽查事项"
            + (f"（导入的计划表写作“{self._pending}”，请选择对应的事项）" if self._pending else "")
        )
        self._rebuild_departments()
        self._changed()

    def _changed(self) -> None:
        for stratum, mode in self.rule_modes.items():
            self.rule_values[stratum].setEnabled(mode.currentIndex() != 0)
        try:
            spec = self.current_spec()
        except UserError as exc:
            self._complain(exc.message)
            return
        self.error.setText("")
        if not spec.item_codes:
            self._complain("请选择至少一个抽查事项。")
            return
        db, year, original = self._db, self._year, self._original
        # Preview under a placeholder code while none is typed yet.
        previewed = spec if spec.code else replace(spec, code="（新任务）")
        self.preview.request(lambda: preview_pool(db, previewed, year=year, exclude_code=original))

    def _complain(self, message: str) -> None:
        self.error.setText("" if self._quiet else message)

    def save(self) -> None:
        try:
            spec = self.current_spec()
            outcome = planning.save_task(
                self._db,
                self._plan_code,
                spec,
                original_code=self._original,
                reason=self.reason.text() if self._locked else None,
                version=self._version,
            )
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.outcome = outcome.message
        self.accept()

    def done(self, result: int) -> None:
        self.preview.shutdown()
        super().done(result)


def _spin(low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    return spin


def _day(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    assert isinstance(value, date)
    return value


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _wrap(layout: QHBoxLayout) -> QWidget:
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w


def _item_label(item: ItemRef, departments: dict[str, DepartmentRef]) -> str:
    dept = departments[item.department].name if item.department in departments else ""
    if item.is_key:
        kind = "重点"
    elif item.ratio_cap_bp is not None:
        kind = f"上限 {format_ratio(item.ratio_cap_bp)}"
    else:
        kind = "一般"
    return f"{item.code} {item.name}（{dept}·{kind}）"
