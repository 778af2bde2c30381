"""The result categories in force (国家结果类型, or a province's file set by the bureau).

Here rather than in the inspections package because the audit log's wording
(app.services.access) names categories too, and access sits below inspections.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.results import CategoryList, load_categories
from app.models import AppSetting
from app.resources import national_categories_path

# A province's own list of result categories (path of a JSON file); unset: the national list.
SETTING_CATEGORY_FILE = "result_categories_file"


@lru_cache(maxsize=8)
def _categories_from(path: str, _mtime: float) -> CategoryList:
    return load_categories(Path(path))


def categories(s: Session) -> CategoryList:
    """The result categories in force: the bureau's file if set and readable, else national."""
    row = s.get(AppSetting, SETTING_CATEGORY_FILE)
    custom = None if row is None else row.value
    path = Path(str(custom)) if custom else national_categories_path()
    if not path.is_file():
        path = national_categories_path()
    return _categories_from(str(path), path.stat().st_mtime)
