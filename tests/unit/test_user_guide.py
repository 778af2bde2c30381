"""The user guide: every chapter the index lists exists, every picture it shows is there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "user-guide"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)#\s]+)\)")


def test_the_index_links_only_existing_chapters_and_pictures() -> None:
    missing = []
    for page in sorted(GUIDE.glob("*.md")):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            if not (page.parent / target).resolve().exists():
                missing.append(f"{page.name} → {target}")
    assert not missing, missing


def test_every_chapter_is_in_the_index() -> None:
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    chapters = {p.name for p in GUIDE.glob("*.md")} - {"README.md"}
    assert {c for c in chapters if f"({c})" not in index} == set()


def test_every_screenshot_shown_is_made_by_the_script() -> None:
    script = (ROOT / "docs" / "screenshots.py").read_text(encoding="utf-8")
    made = set(re.findall(r'Shot\("([^"]+)"', script))
    assert len(made) == len(re.findall(r'Shot\("', script)), "a screenshot is listed twice"
    shown = set()
    for page in GUIDE.glob("*.md"):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith("images/"):
                shown.add(target.removeprefix("images/"))
    assert shown <= made, f"pictures no entry in docs/screenshots.py makes: {shown - made}"
