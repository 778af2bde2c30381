"""本单位: the bureau's full name, short name, division and 文号 prefix (first run and settings)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.auth import Permission
from app.services.access.auth import current_principal
from app.services.common.errors import USER_ERRORS
from app.services.system.bureau import BureauProfile, load_bureau, save_bureau
from app.views.context import AppContext

# What saving may be refused with; the message is for the clerk.
REFUSED: tuple[type[Exception], ...] = (ValueError, *USER_ERRORS)


class BureauForm(QWidget):
    """The five fields and a live example of the document number."""

    edited = Signal()

    def __init__(self, profile: BureauProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_name = QLineEdit(profile.full_name)
        self.full_name.setPlaceholderText("如 聊城市市场监督管理局（印在每份文书的落款）")
        self.short_name = QLineEdit(profile.short_name)
        self.short_name.setPlaceholderText("如 聊城市市场监管局")
        self.division_code = QLineEdit(profile.division_code)
        self.division_code.setPlaceholderText("6 位行政区划代码，如 371500")
        self.division_code.setMaxLength(6)
        self.doc_prefix = QLineEdit(profile.doc_prefix)
        self.doc_prefix.setPlaceholderText("如 聊市监发")
        self.contact = QLineEdit(profile.contact)
        self.contact.setPlaceholderText("联系人与电话，印在公示文件上（可不填）")
        self.example = QLabel()
        self.example.setObjectName("docNumberExample")
        form = QFormLayout(self)
        form.addRow("单位全称", self.full_name)
        form.addRow("单位简称", self.short_name)
        form.addRow("行政区划代码", self.division_code)
        form.addRow("发文字号前缀", self.doc_prefix)
        form.addRow("联系方式", self.contact)
        form.addRow("文号示例", self.example)
        for edit in (self.full_name, self.short_name, self.division_code, self.doc_prefix):
            edit.textChanged.connect(self._changed)
        self.contact.textChanged.connect(self._changed)
        self._changed()

    def profile(self) -> BureauProfile:
        return BureauProfile(
            full_name=self.full_name.text().strip(),
            short_name=self.short_name.text().strip(),
            division_code=self.division_code.text().strip(),
            doc_prefix=self.doc_prefix.text().strip(),
            contact=self.contact.text().strip(),
        )

    def problem(self) -> str | None:
        """What must be fixed before the profile can be saved (None: nothing)."""
        p = self.profile()
        if not p.full_name:
            return "请填写单位全称：它是每份文书的发文机关。"
        if not p.short_name:
            return "请填写单位简称。"
        if not (len(p.division_code) == 6 and p.division_code.isdigit()):
            return "行政区划代码应为 6 位数字，如 371500。"
        if not p.doc_prefix:
            return "请填写发文字号前缀，如 聊市监发。"
        return None

    def _changed(self) -> None:
        p = self.profile()
        self.example.setText(p.document_number(date.today().year, 1) if p.doc_prefix else "")
        self.edited.emit()


class BureauTab(QWidget):
    """系统设置 → 本单位: edit the profile later; only an administrator saves."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = ctx.db
        layout = QVBoxLayout(self)
        intro = QLabel(
            "本单位的名称和发文字号用于每份检查通知书、检查记录、抽取记录和公示文件的"
            "发文机关与文号。修改后，新生成的文书使用新名称；已生成的文书不变。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = BureauForm(load_bureau(self._db))
        layout.addWidget(self.form)
        row = QHBoxLayout()
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(current_principal().may(Permission.MANAGE_SYSTEM))
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        if not self.save_button.isEnabled():
            self.notice.setText("修改本单位信息需要系统管理员权限。")
        self.form.edited.connect(lambda: self.notice.setText(self.form.problem() or ""))

    def save(self) -> None:
        problem = self.form.problem()
        if problem:
            self.notice.setText(problem)
            return
        try:
            save_bureau(self._db, self.form.profile())
        except REFUSED as exc:
            self.notice.setText(str(exc))
            return
        self.notice.setText(f"已保存：发文机关“{self.form.profile().full_name}”。")
