"""The one-folder build: PyInstaller builds dist/DualRandom/ and the built program starts.

Slow (a full PyInstaller build, about two minutes on two cores); CI runs it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def build_module():
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller 未安装（pip install -e '.[build]'）")
    spec = importlib.util.spec_from_file_location(
        "installer_build", ROOT / "installer" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundle_builds_and_starts_offscreen_on_a_demo_database(
    build_module, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path_factory.mktemp("bundle")
    bundle = build_module.build(out / "dist", out / "work")
    suffix = ".exe" if sys.platform == "win32" else ""
    assert (bundle / f"DualRandom{suffix}").is_file()
    assert (bundle / f"DualRandom-cli{suffix}").is_file()
    # The standalone verifier sits beside the program, the shipped files inside.
    assert (bundle / "verify.py").read_bytes() == (ROOT / "app/draw/verify.py").read_bytes()
    internal = bundle / "_internal"
    assert (internal / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
    assert (internal / "docs" / "user-guide" / "README.md").is_file()
    assert (internal / "app" / "migrations" / "env.py").is_file()
    seconds, shot = build_module.smoke(bundle)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert seconds > 0
