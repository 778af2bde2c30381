"""The README quotes the package lists that CI installs, word for word."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def listed(name: str) -> list[str]:
    lines = (ROOT / "tools" / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]


def readme_installs() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^\s*sudo apt-get install --no-install-recommends (.+)$", text, re.M)
    return [line.split() for line in found]


def test_readme_quotes_both_package_lists() -> None:
    installs = readme_installs()
    assert listed("system-packages.txt") in installs
    assert listed("test-packages.txt") in installs


def test_ci_installs_from_the_lists_only() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "tools/system-packages.txt" in ci
    assert "tools/test-packages.txt" in ci
    # No package named inline: every apt-get install reads a list.
    for line in ci.splitlines():
        if "apt-get install" in line:
            assert "$(packages tools/" in line, line


def test_the_xcb_plugin_libraries_are_listed() -> None:
    # What Qt's xcb platform asked for on a bare Debian (issue 15): libqxcb.so
    # aborts at start without these, while the offscreen tests pass.
    needed = {
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libxcb-keysyms1",
        "libxcb-image0",
        "libxcb-render-util0",
        "libxcb-shape0",
        "libxcb-xkb1",
        "libxkbcommon-x11-0",
        "libegl1",
        "libgl1",
        "libfontconfig1",
        "libdbus-1-3",
        "libglib2.0-0",
        "fonts-wqy-microhei",
    }
    assert needed <= set(listed("system-packages.txt"))
