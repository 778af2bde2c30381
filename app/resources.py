"""Paths of files shipped in the top-level `resources/` folder."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    # A frozen build (PyInstaller) unpacks resources next to the executable.
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def cjk_font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def national_categories_path() -> Path:
    """The national list of result categories (a province may ship its own file)."""
    return resources_dir() / "result_categories" / "national.json"


def national_layout_path() -> Path:
    """The national platform upload layout for 抽查结果 (a province may ship its own file)."""
    return resources_dir() / "publication_layouts" / "national.json"
