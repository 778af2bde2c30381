"""Build the one-folder bundle dist/DualRandom/ on the platform this runs on.

    python installer/build.py            # build, then start it once (smoke test)
    python installer/build.py --no-smoke # build only

Needs PyInstaller (`pip install -e '.[build]'`). On Windows the result is
packed into a setup program by Inno Setup (installer/DualRandom.iss; see
installer/README.md). The smoke test starts the built program offscreen on a
fresh demo database, grabs its main window and checks it exits 0; it prints
the bundle's size and the start-up time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "DualRandom.spec"
WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if WINDOWS else ""


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from app import __version__

    return __version__


def write_version_file(path: Path, ver: str) -> Path:
    """The Windows version resource (file properties → 详细信息)."""
    nums = [*(int(p) for p in ver.split(".")[:3] if p.isdigit()), 0, 0, 0][:4]
    tup = ", ".join(str(n) for n in nums)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers=({tup}), prodvers=({tup}), mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404b0', [
      StringStruct('CompanyName', 'DualRandom'),
      StringStruct('FileDescription', '双随机一公开监管工作台'),
      StringStruct('FileVersion', '{ver}'),
      StringStruct('InternalName', 'DualRandom'),
      StringStruct('LegalCopyright', 'Apache-2.0'),
      StringStruct('OriginalFilename', 'DualRandom.exe'),
      StringStruct('ProductName', '双随机一公开监管工作台'),
      StringStruct('ProductVersion', '{ver}')])]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])
  ]
)
""",
        encoding="utf-8",
    )
    return path


def folder_size(path: Path) -> int:
    """Bytes on disk: symbolic links (PyInstaller makes some on Linux) count once."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; return dist/DualRandom."""
    env = dict(os.environ)
    env["DUALRANDOM_VERSION_FILE"] = str(write_version_file(work / "version_info.txt", version()))
    subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean",
            "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work),
        ],
        check=True,
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    bundle = dist / "DualRandom"
    # The standalone verifier goes beside the program, where an outsider finds it.
    shutil.copy2(ROOT / "app" / "draw" / "verify.py", bundle / "verify.py")
    return bundle


def smoke(bundle: Path) -> tuple[float, Path]:
    """Start the built program offscreen on a demo database; (seconds to shown, PNG)."""
    work = Path(tempfile.mkdtemp(prefix="dualrandom-smoke-"))
    env = dict(os.environ)
    env.update(
        DUALRANDOM_HOME=str(work / "home"),
        QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM") or "offscreen",
    )
    db = work / "演示 数据" / "demo.sqlite"  # Chinese and a space in the path, on purpose
    db.parent.mkdir(parents=True)
    cli = bundle / f"DualRandom-cli{EXE_SUFFIX}"
    subprocess.run(
        [str(cli), "--db", str(db), "demo", "--targets", "500"],
        check=True, env=env, capture_output=True, timeout=300,
    )  # fmt: skip
    shot = work / "main-window.png"
    env["DUALRANDOM_SCREENSHOT"] = str(shot)
    started = time.perf_counter()
    done = subprocess.run(
        [str(bundle / f"DualRandom{EXE_SUFFIX}"), "--db", str(db)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not shot.exists():
        raise SystemExit(
            f"the built program did not start cleanly (exit {done.returncode}):\n{done.stderr}"
        )
    return seconds, shot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build dist/DualRandom/ with PyInstaller.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bundle = build(args.dist, args.work)
    print(f"built {bundle} in {time.perf_counter() - started:.0f} s")
    print(f"bundle size: {folder_size(bundle) / 1e6:.0f} MB")
    if not args.no_smoke:
        seconds, shot = smoke(bundle)
        print(f"start-up to main window shown and grabbed: {seconds:.1f} s ({shot})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
