"""The platform upload layout in force: the bureau's file if set and readable, else national."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.publication import UploadLayout, load_layout
from app.models import AppSetting
from app.resources import national_layout_path

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
