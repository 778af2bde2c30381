"""Table models of the settings page: users, backups, and the audit log (paged by seq)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from app.domain.auth import roles_text
from app.services.access.audit import AuditFilter, AuditRow
from app.services.access.users import UserInfo
from app.services.system.backup import BackupInfo
from app.views.widgets.list_model import Index, RowListModel

DISPLAY = Qt.ItemDataRole.DisplayRole


class _RowsModel(RowListModel[Any]):
    """A list model whose subclass words each cell in `text(row, column)`."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__([(h, self._column(i)) for i, h in enumerate(self.headers)], parent)

    def _column(self, column: int) -> Callable[[Any], str]:
        return lambda row: self.text(row, column)

    def text(self, row: Any, column: int) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def row(self, r: int) -> Any:
        return self.row_at(r)


class UsersModel(_RowsModel):
    headers = ("用户名", "姓名", "角色", "所属部门", "状态")

    def text(self, u: UserInfo, column: int) -> str:
        if column == 0:
            return u.username
        if column == 1:
            return u.display_name
        if column == 2:
            return roles_text(u.roles)
        if column == 3:
            return u.department_name or "（全部部门）"
        state = "启用" if u.active else "已停用"
        if u.locked():
            state += f"，锁定至 {u.locked_until.astimezone():%H:%M}"  # type: ignore[union-attr]
        if u.must_change_password:
            state += "，须修改初始密码"
        return state


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"


class BackupsModel(_RowsModel):
    headers = ("备份时间", "类型", "大小", "文件")

    def text(self, b: BackupInfo, column: int) -> str:
        return (f"{b.taken_at:%Y-%m-%d %H:%M:%S}", b.kind_text, _size(b.size), b.path.name)[column]


class AuditModel(_RowsModel):
    """Newest first; more rows are fetched from the service as the view scrolls."""

    headers = ("序号", "时间", "操作人", "操作", "对象", "编号", "内容")
    PAGE = 200

    def __init__(self, load: Callable[..., list[AuditRow]], parent: Any = None) -> None:
        super().__init__(parent)
        self._load = load
        self._filter = AuditFilter()
        self._more = False

    def set_filter(self, filt: AuditFilter) -> None:
        self._filter = filt
        rows = self._load(filt, before_seq=None, limit=self.PAGE)
        # Views ask for more while the reset is still being announced: not then.
        self._more = False
        self.set_rows(rows)
        self._more = len(rows) == self.PAGE

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or not self._rows:
            return
        rows = self._load(self._filter, before_seq=self._rows[-1].seq, limit=self.PAGE)
        self._more = False  # no nested fetch while the insertion is announced
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._more = len(rows) == self.PAGE

    def text(self, r: AuditRow, column: int) -> str:
        return (
            str(r.seq),
            f"{r.at:%Y-%m-%d %H:%M:%S}",
            r.actor,
            r.action_text,
            r.entity_text,
            r.entity_id or "",
            r.summary,
        )[column]
