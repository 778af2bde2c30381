"""verify.html in a real browser (headless Chromium) says what verify.py says, line for line.

The page is driven as a person would use it: opened from its file:// URL, the
files picked in its file input (the DevTools protocol sets them), the
enterprise typed into "查我的企业". Its text report must equal verify.py's
output on the same files, and its banner must say verified exactly when
verify.py exits 0: on the published vectors, on a fresh bundle and on
tampered copies of it, and on every kind of difference verify.py knows.
"""

from __future__ import annotations

import copy
import json
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from draw_data import publish_task

from app.draw import verify
from app.draw.engine import run_draw
from app.draw.protocol import canonical
from app.draw.validate import build_manifest
from app.models.db import Database
from app.services.draws.bundle import write_bundle
from app.services.draws.ceremony import DrawCeremony
from bench._chromium import Chromium, Page, find_chromium

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium 未安装 (apt-get install chromium): 跳过浏览器中的 verify.html 测试; CI 会安装",
)

VERIFY_PY = Path(verify.__file__)
PAGE = VERIFY_PY.with_name("verify.html")
VECTORS = Path(__file__).resolve().parents[2] / "docs" / "draw-vectors"
STEMS = sorted(p.name.removesuffix("-manifest.json") for p in VECTORS.glob("*-manifest.json"))
DONE = "['done', 'error'].includes(document.body.dataset.state)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with Chromium(CHROMIUM) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def page(browser: Chromium) -> Iterator[Page]:
    opened = browser.open(PAGE.as_uri())
    yield opened
    opened.close()


def pick(page: Page, files: list[Path]) -> None:
    """Pick files in the page's file input (emptied first: picking the same files
    again fires no change event) and wait for the page to finish."""
    page.evaluate(
        "document.body.dataset.state = 'idle'; document.getElementById('files').value = ''"
    )
    page.set_files("#files", files)
    page.wait_for(DONE)


def page_says(
    page: Page, files: list[Path], target: str | None = None, show_all: bool = False
) -> tuple[str, list[str]]:
    """Pick the files, optionally ask for one enterprise and for every difference:
    the banner's verdict and the page's text report."""
    pick(page, files)
    if target is not None:
        page.evaluate(
            "document.body.dataset.state = 'idle';"
            f"document.getElementById('target-id').value = {json.dumps(target)};"
            "document.querySelector('#target-form button').click()"
        )
        page.wait_for(DONE)
    if show_all:
        page.evaluate(
            "document.body.dataset.state = 'idle'; document.getElementById('show-all').click()"
        )
        page.wait_for(DONE)
    verdict = page.evaluate("document.getElementById('banner').dataset.verdict")
    text = page.evaluate("document.getElementById('report-text').textContent")
    return verdict, text.split("\n")


def python_says(manifest: Path, result: Path, *args: str) -> tuple[int, list[str]]:
    run = subprocess.run(
        [sys.executable, str(VERIFY_PY), str(manifest), str(result), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert run.returncode in (0, 1), run.stderr
    return run.returncode, run.stdout.splitlines()


def assert_same(
    page: Page,
    manifest: Path,
    result: Path,
    *,
    picked: list[Path] | None = None,
    target: str | None = None,
    show_all: bool = False,
) -> list[str]:
    """The page on `picked` (default: the two files) against verify.py on the two files."""
    args = (["--target", target] if target is not None else []) + (["--all"] if show_all else [])
    code, expected = python_says(manifest, result, *args)
    verdict, lines = page_says(page, picked or [manifest, result], target, show_all)
    assert lines == expected
    assert verdict == ("verified" if code == 0 else "failed")
    return lines


def first_keyword(lines: list[str]) -> str | None:
    found = next((line for line in lines if line.startswith("差异 DIFF ")), None)
    return found.split()[2].rstrip(":") if found else None


# --- the page itself ------------------------------------------------------------


def test_page_is_one_readable_file_that_loads_nothing() -> None:
    html = PAGE.read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|iframe|link|embed|object)\b[^>]*\b(src|href)=", html)
    assert not re.search(r"\b(fetch|XMLHttpRequest|WebSocket|EventSource|importScripts)\b", html)
    assert "@import" not in html and "url(" not in html
    assert "http://" not in html and "https://" not in html
    assert "default-src 'none'" in html  # the page may not load anything, even by mistake
    lines = html.splitlines()
    assert max(map(len, lines)) <= 120, "keep the source readable (no minified lines)"
    # the core keeps verify.py's function names, so the two read side by side
    for name in (
        "canonical",
        "read_plan",
        "candidate_columns",
        "make_seed",
        "recompute_selection",
        "recompute_teams",
        "compare_list",
        "compare_map",
        "describe_target",
    ):
        assert f"function {name}(" in html and f"def {name}(" in VERIFY_PY.read_text("utf-8")


def test_opened_from_a_file_the_page_is_a_secure_context_with_web_crypto(page: Page) -> None:
    assert page.evaluate("location.protocol") == "file:"
    assert page.evaluate("window.isSecureContext") is True
    assert page.evaluate("typeof crypto.subtle.digest") == "function"
    assert page.evaluate("DRAW1.sha256_hex(new TextEncoder().encode('abc'))") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


JSON_CASES = [
    '{"b":1,"a":2,"B":3,"_":4,"中":5,"é":6,"\\uffff":7,"\\ud83d\\ude00":8,"":9}',
    '["中文","Ünïcödé","😀","\\ud83d\\ude00","\\u4e2d"]',
    '["\\u0000\\u0001\\u001f","\\b\\f\\n\\r\\t","\\"\\\\\\/","\\u007f\\u2028\\u2029\\u00a0"]',
    "[0,-0,1,-1,9007199254740991,9007199254740993,-123456789012345678901234567890]",
    "[1.0,-0.0,1.5,0.1,1e16,1e15,123456789.123,1.5e-7,0.0001,0.00001,1E+2,2e-3,1e400]",
    '{"z":{"y":[{"b":true,"a":false}],"x":null},"a":[[],{}]}',
    '{"a":1,"a":2}',
    ' \t\n\r{ "k" : [ 1 , 2 ] }\n',
    '"\\ud800"',
    '["a\\udc00b"]',
    "NaN",
    "[Infinity]",
    "-Infinity",
    "[1,]",
    '{"a":1,}',
    "01",
    "1.",
    ".5",
    "-",
    "1e",
    "[1e+]",
    '"\\x"',
    '"\\u12"',
    '"a\tb"',
    "\ufeff[]",
    "\u00a0[]",
    "[] x",
    "",
    "nul",
    "[" * 500 + "]" * 500,
    "[" * 1500 + "]" * 1500,
    "1" * 4301,
]


def python_canonical(text: str) -> str:
    try:
        value = verify.load_json(text.encode("utf-8", "surrogatepass"))
    except ValueError:
        return "INVALID"
    data = verify.canonical_or_none(value)
    return "NO CANONICAL BYTES" if data is None else data.decode("utf-8")


def test_json_reading_and_canonical_bytes_match_python(page: Page) -> None:
    """Python's json reads (and refuses) what the page reads (and refuses), and
    canonical() gives the same text: key order by code point, escapes,
    non-ASCII kept, integers of any size, floats as Python writes them."""
    page_side = page.evaluate(
        f"""{json.dumps(JSON_CASES)}.map((text) => {{
            let value;
            try {{ value = DRAW1.load_json(new TextEncoder().encode(text)); }}
            catch (exc) {{
              if (exc instanceof DRAW1.ValueError) return "INVALID";
              throw exc;
            }}
            const out = DRAW1.canonical_or_none(value);
            return out === null ? "NO CANONICAL BYTES" : out;
        }})"""
    )
    assert page_side == [python_canonical(text) for text in JSON_CASES]
    # the hard cases really are in there
    assert page_side[0].startswith('{"":9,"B":3,"_":4,"a":2,"b":1,"é":6,"中":5,"\uffff":7,"😀":8')
    assert (
        page_side[2]
        == '["\\u0000\\u0001\\u001f","\\b\\f\\n\\r\\t","\\"\\\\/","\x7f\u2028\u2029\xa0"]'
    )
    assert (
        page_side[3]
        == "[0,0,1,-1,9007199254740991,9007199254740993,-123456789012345678901234567890]"
    )


REPR_CASES = [
    '["it\'s", "say \\"hi\\"", "both \'\\"", "tab\\tnew\\nline", "\\u0000\\u007f", "a\\\\b"]',
    '["中文", "\\u200b", "\\u00a0", "\\u3000", "\\u00ad", "😀", "\\ud800", "\\ue000", " "]',
    '{"x": [1, -2, 1.0, 1e16, 2.5e-05, true, false, null], "": {}}',
    '"37150X"',
    "123456789012345678901234567890",
]


def test_python_repr_in_messages_matches(page: Page) -> None:
    page_side = page.evaluate(
        f"{json.dumps(REPR_CASES)}.map((t) => DRAW1.py_repr(DRAW1.parse_json_text(t)))"
    )
    assert page_side == [repr(json.loads(t)) for t in REPR_CASES]


# --- the published vectors --------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_vector_verifies_as_with_verify_py(page: Page, stem: str) -> None:
    manifest = VECTORS / f"{stem}-manifest.json"
    result = VECTORS / f"{stem}-result.json"
    lines = assert_same(page, manifest, result)
    assert lines[-1] == "VERIFIED 验证通过"
    data = json.loads(result.read_bytes())
    chosen = data["targets"][0]["id"] if data["targets"] else None
    picked = {t["id"] for t in data["targets"]}
    others = [c[0] for c in json.loads(manifest.read_bytes())["candidates"] if c[0] not in picked]
    for target in [chosen, *others[:1], "NOBODY"]:
        if target is not None:
            assert_same(page, manifest, result, target=target)
    # the box takes a code typed in lower case or with spaces around it
    if chosen is not None:
        _, lines = page_says(page, [manifest, result], f"  {chosen.lower()} ")
        assert f"检查对象 target: {chosen}" in lines


# --- every kind of difference ------------------------------------------------------


def _pool(j: int) -> dict[str, Any]:
    return {
        "id": f"I{j}",
        "department": "AJ" if j % 2 else "SCJ",
        "district": ("371502", "371503")[j % 2],
        "load": j % 3,
    }


def _manifest(**changes: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "task": {"code": "TEST-1", "title": "测试任务", "items": ["食品经营"], "departments": []},
        "strata": [{"name": "A", "ratio_bp": 2000}, {"name": "未分类", "count": 4}],
        "candidates": [
            [f"C{i:03d}", ("A", "未分类")[i % 2], ("371502", "371503", "371521")[i % 3]]
            for i in range(30)
        ],
        "pool": [_pool(j) for j in range(7)],
        "team_size": 2,
        "per_department_min": {"AJ": 1},
        "max_load": None,
        "district_rule": "any",
        "excluded_pairs": [["I1", "C004"], ["I3", "C010"]],
        "batches": 2,
    }
    args.update(changes)
    return build_manifest(**args)


def _draw(manifest: dict[str, Any]) -> dict[str, Any]:
    witnesses = [{"name": "见证人甲", "digits": "031415"}, {"name": "见证人乙", "digits": "002718"}]
    return run_draw(canonical(manifest), witnesses, bytes(range(32)), "dualrandom test")


ResultChange = Callable[[dict[str, Any]], Any]

RESULT_CHANGES: dict[str, ResultChange] = {
    "reversed targets": lambda r: r["targets"].reverse(),
    "rank": lambda r: r["targets"][0].update(rank=2),
    "rank true": lambda r: r["targets"][0].update(rank=True),
    "batch float": lambda r: r["targets"][0].update(batch=1.0),
    "target id": lambda r: r["targets"][0].update(id="C999"),
    "one target less": lambda r: r["targets"].pop(),
    "threshold": lambda r: r["strata"][0].update(threshold="0" * 64),
    "strata not a list": lambda r: r.update(strata={"A": 1}),
    "team order": lambda r: r["teams"][r["targets"][0]["id"]].reverse(),
    "team gone": lambda r: r["teams"].pop(r["targets"][0]["id"]),
    "team extra": lambda r: r["teams"].update({"C999": ["I0"]}),
    "missing": lambda r: r["missing"].update({r["targets"][0]["id"]: {"*": 1}}),
    "seed": lambda r: r.update(seed="f" * 64),
    "digits": lambda r: r["witnesses"][0].update(digits="031416"),
    "short digits": lambda r: r["witnesses"][0].update(digits="03141"),
    "no witness": lambda r: r.update(witnesses=[]),
    "nonce": lambda r: r.update(nonce="00" * 32),
    "nonce upper": lambda r: r.update(nonce=r["nonce"].upper()),
    "manifest hash": lambda r: r.update(manifest_hash="0" * 64),
    "protocol": lambda r: r.update(protocol="DRAW-2"),
    "protocol list": lambda r: r.update(protocol=["DRAW-1", "它's"]),
    "no software": lambda r: r.pop("software"),
    "extra field": lambda r: r.update(comment="x"),
    "attempts": lambda r: r.update(aborted_attempts=[{"at": "x"}]),
    "software changed": lambda r: r.update(software="另一个程序"),
    "witness renamed": lambda r: r["witnesses"][0].update(name="另一个名字"),
}


def _write(folder: Path, manifest: bytes, result: bytes) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_bytes(manifest)
    (folder / "result.json").write_bytes(result)
    return folder / "manifest.json", folder / "result.json"


def test_every_kind_of_difference_is_reported_as_verify_py_reports_it(
    page: Page, tmp_path: Path
) -> None:
    manifest = _manifest()
    result = _draw(manifest)
    seen = set()
    for k, (name, change) in enumerate(RESULT_CHANGES.items()):
        changed = copy.deepcopy(result)
        change(changed)
        paths = _write(tmp_path / f"r{k}", canonical(manifest), canonical(changed))
        lines = assert_same(page, *paths)
        seen.add(first_keyword(lines))
        verified = name in ("software changed", "witness renamed")
        assert (lines[-1] == "VERIFIED 验证通过") == verified, name
    assert seen >= {
        "TARGET", "FLOAT", "STRATUM", "TEAM", "MISSING", "SEED", "WITNESS", "NONCE",
        "NONCE_COMMITMENT", "MANIFEST_HASH", "PROTOCOL", "FORMAT", None,
    }  # fmt: skip

    data = canonical(manifest)
    bad_files = {
        "pretty manifest": json.dumps(json.loads(data), ensure_ascii=False, indent=1).encode(),
        "cut manifest": data[:-1],
        "null manifest": b"null",
        "escaped manifest": data.replace("测试任务".encode(), b"\\u6d4b\\u8bd5\\u4efb\\u52a1"),
        "not UTF-8": data.replace("测试任务".encode(), b"\xff"),
    }
    for k, (name, changed_manifest) in enumerate(bad_files.items()):
        paths = _write(tmp_path / f"m{k}", changed_manifest, canonical(result))
        verdict, lines = page_says(page, list(paths))
        code, expected = python_says(*paths)
        assert code == 1 and verdict == "failed", name
        assert first_keyword(lines) == first_keyword(expected), name
        if not name.startswith(("cut", "not")):  # Python's decoder words its errors its own way
            assert lines == expected, name
    paths = _write(tmp_path / "bad-result", data, b'{"protocol": "DRAW-1",')
    assert_same(page, *paths)


def _raw(manifest: dict[str, Any], change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    changed = copy.deepcopy(manifest)
    change(changed)
    return changed


MANIFEST_CHANGES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "protocol": lambda m: m.update(protocol="DRAW-2"),
    "field": lambda m: m.update(extra=1),
    "task": lambda m: m.update(task=["x"]),
    "float": lambda m: m["task"].update(weight=1.5),
    "strata": lambda m: m.update(strata={"A": 1}),
    "stratum name": lambda m: m["strata"][0].update(name=""),
    "stratum kinds": lambda m: m["strata"][0].update(count=3),
    "ratio": lambda m: m["strata"][0].update(ratio_bp=10001),
    "count": lambda m: m["strata"][1].update(count=-1),
    "count true": lambda m: m["strata"][1].update(count=True),
    "same names": lambda m: m["strata"][1].update(name="A"),
    "row": lambda m: m["candidates"][3].append("x"),
    "unknown stratum": lambda m: m["candidates"][3].__setitem__(1, "Z"),
    "district": lambda m: m["candidates"][3].__setitem__(2, "37150X"),
    "unsorted": lambda m: m["candidates"].reverse(),
    "batches": lambda m: m.update(batches=0),
    "team size": lambda m: m["inspectors"].update(team_size=0),
    "minimums": lambda m: m["inspectors"].update(per_department_min={"AJ": 3}),
    "max load": lambda m: m["inspectors"].update(max_load=0),
    "rule": lambda m: m["inspectors"].update(district_rule="北"),
    "pool field": lambda m: m["inspectors"]["pool"][0].pop("load"),
    "pool load": lambda m: m["inspectors"]["pool"][2].update(load=-1),
    "pool order": lambda m: m["inspectors"]["pool"].reverse(),
    "pairs": lambda m: m["inspectors"]["excluded_pairs"].reverse(),
    "inspectors": lambda m: m["inspectors"].pop("pool"),
}


def test_manifest_rule_breaks_are_worded_as_verify_py_words_them(
    page: Page, tmp_path: Path
) -> None:
    manifest = _manifest()
    result = _draw(manifest)
    for k, (name, change) in enumerate(MANIFEST_CHANGES.items()):
        changed = _raw(manifest, change)
        paths = _write(tmp_path / f"m{k}", canonical(changed), canonical(result))
        lines = assert_same(page, *paths)
        assert any(line.startswith("差异 DIFF MANIFEST_INVALID") for line in lines), name


@pytest.mark.parametrize("rule", ["any", "same", "different"])
def test_district_rules_loads_and_missing_places_agree(
    page: Page, tmp_path: Path, rule: str
) -> None:
    for max_load in (None, 1, 3):
        manifest = _manifest(district_rule=rule, max_load=max_load, team_size=3)
        result = _draw(manifest)
        paths = _write(tmp_path / f"{rule}-{max_load}", canonical(manifest), canonical(result))
        assert assert_same(page, *paths)[-1] == "VERIFIED 验证通过"
        result["witnesses"][0]["digits"] = "999999"  # another seed: nearly everything differs
        paths = _write(tmp_path / f"{rule}-{max_load}-x", canonical(manifest), canonical(result))
        assert_same(page, *paths)
        assert_same(page, *paths, show_all=True)
        assert_same(page, *paths, target="C004")


# --- a fresh bundle, and tampered copies of it ---------------------------------------


@pytest.fixture
def bundle(sqlite_db: Database, tmp_path: Path) -> Path:
    code = publish_task(sqlite_db)
    ceremony = DrawCeremony.open(sqlite_db, code, "张三")
    ceremony.add_witness("李建国", "市人大代表", "003819")
    ceremony.add_witness("王秀英", "市政协委员", "778120")
    ceremony.compute()
    out = tmp_path / "核验包.zip"
    write_bundle(sqlite_db, code, out)
    return out


def _rezip(source: Path, out: Path, changes: dict[str, bytes], stored: bool = False) -> Path:
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", compression=method) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, changes.get(info.filename, zin.read(info.filename)))
    return out


def test_bundle_verifies_in_its_own_page_and_tampering_is_caught(
    browser: Chromium, bundle: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(folder)
        manifest_bytes, result_bytes = zf.read("manifest.json"), zf.read("result.json")
    assert (folder / "verify.html").read_bytes() == PAGE.read_bytes()
    assert "verify.html" in (folder / "README.txt").read_text(encoding="utf-8-sig")
    own = browser.open((folder / "verify.html").as_uri())  # as opened from the unzipped bundle
    try:
        manifest, result = folder / "manifest.json", folder / "result.json"
        assert assert_same(own, manifest, result, picked=[bundle])[-1] == "VERIFIED 验证通过"
        assert_same(own, manifest, result)  # the two files picked instead of the zip
        data = json.loads(result_bytes)
        chosen = data["targets"][0]["id"]
        lines = assert_same(own, manifest, result, picked=[bundle], target=chosen)
        assert "是否抽中 selected: 是 YES" in "\n".join(lines)
        answer = own.evaluate("document.getElementById('target-answer').textContent")
        assert "已抽中" in answer and data["targets"][0]["ticket"] in answer

        swapped = copy.deepcopy(data)
        first, second = swapped["targets"][0], swapped["targets"][1]
        first["id"], second["id"] = second["id"], first["id"]
        digit = copy.deepcopy(data)
        digits = digit["witnesses"][0]["digits"]
        digit["witnesses"][0]["digits"] = digits[:-1] + str((int(digits[-1]) + 1) % 10)
        manifest_obj = json.loads(manifest_bytes)
        manifest_obj["candidates"][0][2] = (
            "371599" if manifest_obj["candidates"][0][2] != ("371599") else "371598"
        )
        cases = {
            "swapped target": ({"result.json": canonical(swapped)}, "TARGET"),
            "changed witness digit": ({"result.json": canonical(digit)}, "SEED"),
            "edited manifest": ({"manifest.json": canonical(manifest_obj)}, "MANIFEST_HASH"),
        }
        for k, (name, (changes, keyword)) in enumerate(cases.items()):
            for stored in (False, True):
                tampered = _rezip(bundle, tmp_path / f"tampered-{k}-{stored}.zip", changes, stored)
                paths = _write(
                    tmp_path / f"t{k}",
                    changes.get("manifest.json", manifest_bytes),
                    changes.get("result.json", result_bytes),
                )
                lines = assert_same(own, *paths, picked=[tampered])
                assert lines[-1].startswith("FAILED"), name
                assert first_keyword(lines) == keyword, name
                banner = own.evaluate("document.getElementById('banner').textContent")
                assert "验证未通过" in banner and keyword in banner, name
            assert_same(own, *paths, picked=[tampered], target=chosen)
    finally:
        own.close()


def test_a_damaged_zip_is_refused_with_a_reason(page: Page, bundle: Path, tmp_path: Path) -> None:
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo("result.json")
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0xFF  # inside the compressed bytes
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    pick(page, [damaged])
    assert page.evaluate("document.getElementById('banner').dataset.verdict") != "verified"
    text = page.evaluate("document.getElementById('banner').textContent")
    assert "result.json" in text or "zip" in text


def _random_case(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    districts = ["371502", "371503", "371521"][: rng.randint(1, 3)]
    departments = ["AJ", "SCJ", "YJJ"][: rng.randint(1, 3)]
    strata = [{"name": "A", "ratio_bp": rng.choice([0, 1, 2500, 5000, 10000])}]
    strata.append({"name": "未分类", "count": rng.randint(0, 8)})
    candidates = [
        [f"91{rng.randrange(10**6):06d}X{i:03d}", rng.choice("A未"), rng.choice(districts)]
        for i in range(rng.randint(0, 40))
    ]
    for row in candidates:
        row[1] = "A" if row[1] == "A" else "未分类"
    pool = [
        {
            "id": f"ZF{j:03d}",
            "department": rng.choice(departments),
            "district": rng.choice(districts),
            "load": rng.randint(0, 3),
        }
        for j in range(rng.randint(0, 9))
    ]
    minimums = {d: 1 for d in rng.sample(departments, rng.randint(0, len(departments)))}
    pairs = sorted(
        {(rng.choice(pool)["id"], rng.choice(candidates)[0]) for _ in range(5)}
        if pool and candidates
        else set()
    )
    manifest = _manifest(
        strata=strata,
        candidates=sorted(candidates),
        pool=pool,
        per_department_min=minimums,
        team_size=len(minimums) + rng.randint(0, 2) or 1,
        max_load=rng.choice([None, 1, 2, 4]),
        district_rule=rng.choice(["any", "same", "different"]),
        excluded_pairs=[list(p) for p in pairs],
        batches=rng.randint(1, 5),
    )
    return manifest, _draw(manifest)


def _tamper(result: dict[str, Any], rng: random.Random) -> None:
    t = rng.choice(result["targets"])
    way = rng.randrange(4)
    if way == 0:
        t["batch"] += 1
    elif way == 1:
        result["teams"][t["id"]] = [*result["teams"][t["id"]][::-1], "ZF999"]
    elif way == 2:
        result["missing"][t["id"]] = {"*": 9}
    else:
        result["strata"].reverse()


def test_random_draws_and_random_tampering_agree(page: Page, tmp_path: Path) -> None:
    rng = random.Random(17)
    verdicts = []
    for k in range(30):
        manifest, result = _random_case(rng)
        if k % 2 and result["targets"]:
            _tamper(result, rng)
        paths = _write(tmp_path / f"c{k}", canonical(manifest), canonical(result))
        verdicts.append(assert_same(page, *paths)[-1].split()[0])
    assert {"VERIFIED", "FAILED"} <= set(verdicts)
