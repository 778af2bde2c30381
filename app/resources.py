"""Paths of files shipped in the top-level `resources/` folder."""

from __future__ import annotations

import sys
from pathlib import Path


def bundle_root() -> Path:
    """The folder that holds resources/ and docs/: the checkout, or a frozen build's folder."""
    # A frozen build (PyInstaller) unpacks them next to the executable.
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return bundle_root() / "resources"


def docs_dir() -> Path:
    """docs/ (user guide, draw protocol): shipped beside the program in a build."""
    return bundle_root() / "docs"


def user_guide_path() -> Path:
    return docs_dir() / "user-guide" / "README.md"


def draw_protocol_path() -> Path:
    return docs_dir() / "draw-protocol.md"


def icon_path() -> Path:
    return resources_dir() / "icons" / "dualrandom.png"


def cjk_font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def national_categories_path() -> Path:
    """The national list of result categories (a province may ship its own file)."""
    return resources_dir() / "result_categories" / "national.json"


def national_layout_path() -> Path:
    """The national platform upload layout for 抽查结果 (a province may ship its own file)."""
    return resources_dir() / "publication_layouts" / "national.json"
