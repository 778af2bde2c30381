"""Registry spreadsheets for the pages' buttons: 下载模板 and 导出… with progress and cancel.

The Excel engine (app.excel, app.services.registry.export) does the writing;
this adapts it to the GUI's background jobs: progress as (done, total), and
a cancel that stops the export and leaves no file behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from app.domain.errors import Cancelled
from app.models import InspectionItem, Inspector, Recusal, Target
from app.models.db import Database

_COUNTED = {
    "targets": Target,
    "inspectors": Inspector,
    "items": InspectionItem,
    "recusals": Recusal,
}


class ExportCancelled(Cancelled):
    def __init__(self) -> None:
        super().__init__("导出已取消，未生成文件")


def write_registry_template(kind: str, path: Path | str) -> Path:
    """An empty import template of `kind`, with a comment per column."""
    from app.excel.templates import TEMPLATES
    from app.excel.writer import write_template

    if kind not in TEMPLATES:
        raise ValueError(f"未知的名录类型“{kind}”，应为 {'、'.join(TEMPLATES)} 之一")
    write_template(path, TEMPLATES[kind])
    return Path(path)


def export_registry_file(
    db: Database,
    kind: str,
    path: Path | str,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> int:
    """Export `kind` to `path` (readable back by import); return the number of rows."""
    from app.services.registry.export import export_registry

    model = _COUNTED.get(kind)
    total = 0
    if model is not None:
        with db.engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(model)).scalar_one())

    def written(rows: int) -> None:
        if cancel is not None and cancel():
            raise ExportCancelled
        if progress is not None:
            progress(rows, max(total, rows))

    return export_registry(db, kind, path, progress=written)
