"""verify.html speed in headless Chromium: a 100,000-candidate draw verified in the page.

    python bench/verify_html.py [--sizes 100000] [--runs 3] [--zip]

Builds the synthetic manifest of bench/draw_engine.py (4 strata, 5 % drawn,
600 inspectors in 2 departments, teams of 2, 2,000 excluded pairs), draws it,
writes manifest.json and result.json (or, with --zip, a bundle-like zip of
both), opens app/draw/verify.html from its file:// URL in headless Chromium,
picks the files in the page's file input and waits for the verdict. Prints,
median of --runs: the seconds the page took from picking the files to showing
the verdict (measured in the page), and the wall time seen from here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.draw.engine import result_bytes, run_draw
from app.draw.validate import load_manifest_bytes
from bench._chromium import Chromium, find_chromium
from bench.draw_engine import NONCE, WITNESSES, make_manifest_bytes

PAGE = Path(__file__).resolve().parent.parent / "app" / "draw" / "verify.html"


def files_for(size: int, folder: Path, as_zip: bool) -> list[Path]:
    manifest = make_manifest_bytes(size)
    result = result_bytes(run_draw(load_manifest_bytes(manifest), WITNESSES, NONCE, "bench"))
    (folder / "manifest.json").write_bytes(manifest)
    (folder / "result.json").write_bytes(result)
    print(f"  manifest {len(manifest) / 1e6:.1f} MB, result {len(result) / 1e6:.1f} MB")
    if not as_zip:
        return [folder / "manifest.json", folder / "result.json"]
    bundle = folder / "bundle.zip"
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("result.json", result)
    return [bundle]


def run_once(browser: Chromium, files: list[Path]) -> tuple[float, float, str]:
    page = browser.open(PAGE.as_uri())
    try:
        start = time.perf_counter()
        page.set_files("#files", files)
        page.wait_for("['done', 'error'].includes(document.body.dataset.state)", timeout=300)
        wall = time.perf_counter() - start
        seconds = page.evaluate("DRAW1_PAGE.state.seconds")
        verdict = page.evaluate("document.getElementById('banner').dataset.verdict")
    finally:
        page.close()
    return seconds, wall, verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--zip", action="store_true", help="pick a zip of both files instead")
    args = parser.parse_args()
    binary = find_chromium()
    if binary is None:
        raise SystemExit("chromium not found (apt-get install chromium)")
    with Chromium(binary, timeout=300) as browser:
        version = browser.call("Browser.getVersion")["product"]
        print(f"{version}, page {PAGE.name}")
        for size in args.sizes:
            print(f"\n== {size:,} candidates ==")
            with tempfile.TemporaryDirectory() as tmp:
                files = files_for(size, Path(tmp), args.zip)
                runs = [run_once(browser, files) for _ in range(args.runs)]
            verdicts = {v for _, _, v in runs}
            page_s = statistics.median(s for s, _, _ in runs)
            wall_s = statistics.median(w for _, w, _ in runs)
            print(f"  verdict: {', '.join(sorted(verdicts))}")
            print(f"  in the page (pick -> verdict)  {page_s:6.2f} s   (median of {args.runs})")
            print(f"  wall time seen from here       {wall_s:6.2f} s")
            if verdicts != {"verified"}:
                raise SystemExit("the page did not verify the engine's result")


if __name__ == "__main__":
    main()
