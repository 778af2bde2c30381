"""首页: what is in the database at a glance, and the inspections to-do.

The to-do (app.services.inspections.todo) is grouped per department and per
inspector; Enter or a double click on a line opens that inspection on the
检查与结果 page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import USER_ERRORS
from app.services.inspections.todo import Todo, TodoKind, TodoLine, load_todo
from app.services.system.overview import Overview, load_overview
from app.views.context import AppContext
from app.views.dashboard.glance import YearGlance
from app.views.publication.home_section import OverduePublications

LINE_ROLE = Qt.ItemDataRole.UserRole


class _Tile(QFrame):
    def __init__(self, caption: str, value: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        cap = QLabel(caption)
        cap.setObjectName("tileCaption")
        self.value_label = QLabel(value)
        self.value_label.setObjectName("tileValue")
        sub = QLabel(note)
        sub.setObjectName("tileNote")
        for w in (cap, self.value_label, sub):
            layout.addWidget(w)


class HomePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(32, 24, 32, 24)
        title = QLabel("工作概览")
        title.setObjectName("pageTitle")
        self._layout.addWidget(title)
        self._grid = QGridLayout()
        self._grid.setSpacing(16)
        self._layout.addLayout(self._grid)
        self._hint = QLabel()
        self._hint.setWordWrap(True)
        self._layout.addWidget(self._hint)
        todo_title = QLabel("检查待办")
        todo_title.setObjectName("sectionTitle")
        self._layout.addWidget(todo_title)
        self.todo_summary = QLabel()
        self._layout.addWidget(self.todo_summary)
        self.todo_tree = QTreeWidget()
        self.todo_tree.setHeaderHidden(True)
        self.todo_tree.itemActivated.connect(self._open_line)
        row = QHBoxLayout()
        row.addWidget(self.todo_tree, 1)
        self.glance = YearGlance(ctx, self)  # the bureau head's year at a glance
        row.addWidget(self.glance)
        self._layout.addLayout(row, 1)
        self.overdue_publications = OverduePublications()
        self._layout.addWidget(self.overdue_publications)
        self.today: Callable[[], date] = date.today
        self.todo: Todo | None = None
        self.refresh()

    def showEvent(self, event: object) -> None:  # the to-do changes as results come in
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh_todo()
        self.glance.refresh()

    def refresh_todo(self) -> None:
        self.todo_tree.clear()
        self.overdue_publications.refresh(self._ctx.db, self.today())
        try:
            todo = load_todo(self._ctx.db, self.today())
        except USER_ERRORS as exc:
            self.todo_summary.setText(str(exc))
            return
        self.todo = todo
        counts = todo.counts()
        self.todo_summary.setText(
            "　".join(f"{k.label} {counts.get(k, 0)}" for k in TodoKind)
            + "　（回车或双击打开该检查）"
        )
        for title, groups in (
            ("按部门", todo.by_department()),
            ("按检查人员", todo.by_inspector()),
        ):
            top = QTreeWidgetItem([f"{title}（{len(groups)}）"])
            self.todo_tree.addTopLevelItem(top)
            for name, lines in groups.items():
                per = {k: sum(1 for x in lines if x.kind is k) for k in TodoKind}
                text = "　".join(f"{k.label} {n}" for k, n in per.items() if n)
                node = QTreeWidgetItem([f"{name}：{text}"])
                top.addChild(node)
                for line in lines:
                    leaf = QTreeWidgetItem([line.text])
                    leaf.setData(0, LINE_ROLE, line.inspection_id)
                    leaf.setToolTip(0, "、".join(line.inspectors))
                    node.addChild(leaf)
            top.setExpanded(True)

    def lines(self, kind: TodoKind) -> list[TodoLine]:
        return [x for x in (self.todo.lines if self.todo else []) if x.kind is kind]

    def _open_line(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        inspection_id = item.data(0, LINE_ROLE)
        if inspection_id is None:
            item.setExpanded(not item.isExpanded())
            return
        window = self.window()
        show_page = getattr(window, "show_page", None)
        if show_page is not None:
            show_page("results").open_inspection(int(inspection_id))

    def refresh(self) -> None:
        ov: Overview = load_overview(self._ctx.db)
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        tiles = [
            ("检查对象", f"{ov.targets:,}", f"其中可抽取（存续/在业/开业）{ov.active_targets:,}"),
            ("执法检查人员", f"{ov.inspectors:,}", f"其中在岗 {ov.active_inspectors:,}"),
            ("抽查事项", f"{ov.items:,}", "重点事项与一般事项"),
            ("联席会议成员单位", f"{ov.departments:,}", "参与部门联合抽查的部门"),
        ]
        for i, (cap, val, note) in enumerate(tiles):
            self._grid.addWidget(_Tile(cap, val, note, self), i // 2, i % 2)
        self._hint.setText(
            "数据库为空。可在命令行运行 “dualrandom demo” 填充演示数据，"
            "或在“检查对象库”“执法人员库”“事项清单”中导入 Excel。"
            if ov.is_empty
            else "左侧导航进入各项工作；快捷键 Ctrl+1 … Ctrl+0 切换页面。"
        )
