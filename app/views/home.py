"""首页: what is in the database at a glance."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.services.system.overview import Overview, load_overview
from app.views.context import AppContext


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
        self._layout.addStretch(1)
        self.refresh()

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
