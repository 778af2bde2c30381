"""The platform upload layout in force: the bureau's file if set and readable, else national."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.publication import UploadLayout, load_layout
from app.models import AppSetting
from app.models.db import Database
from app.resources import national_layout_path
from app.services.access.auth import put_setting, require

# A province's own upload layout (path of a JSON file); unset: the national one.
SETTING_LAYOUT_FILE = "publication_layout_file"


@lru_cache(maxsize=8)
def _layout_from(path: str, _mtime: float) -> UploadLayout:
    return load_layout(Path(path))


def upload_layout(s: Session) -> UploadLayout:
    row = s.get(AppSetting, SETTING_LAYOUT_FILE)
    path = Path(str(row.value)) if row is not None and row.value else national_layout_path()
    if not path.is_file():
        path = national_layout_path()
    return _layout_from(str(path), path.stat().st_mtime)


def set_layout_file(db: Database, path: Path | str | None) -> UploadLayout:
    """Use a province's upload layout from now on (None: back to the national one).

    The file is checked before it is stored: a layout that cannot be read is refused.
    """
    require(Permission.MANAGE_SYSTEM)
    chosen = national_layout_path() if path is None else Path(path).resolve()
    layout = load_layout(chosen)
    with db.session() as s:
        put_setting(s, SETTING_LAYOUT_FILE, None if path is None else str(chosen))
    return layout
