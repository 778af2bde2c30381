"""Section 11: the standalone verifier, as a library and as a copied file."""

from __future__ import annotations

import ast
import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from draw_helpers import draw, make_manifest, pool_member

from app.draw import verify
from app.draw.protocol import canonical, sha256_hex

VERIFY_PY = Path(verify.__file__)
ALLOWED = {
    "__future__", "argparse", "hashlib", "json", "sys", "os", "pathlib", "typing",
    "dataclasses", "collections", "itertools", "zipfile", "io",
}  # fmt: skip


def _case(**kwargs):
    defaults = {
        "pool": [pool_member(f"I{j}", "AJ" if j % 2 else "SCJ") for j in range(6)],
        "team_size": 2,
        "per_department_min": {"AJ": 1},
        "excluded_pairs": [["I1", "C004"]],
        "batches": 2,
    }
    defaults.update(kwargs)
    manifest = make_manifest(**defaults)
    return canonical(manifest), draw(manifest, ("031415",))


def keywords(report: verify.Report) -> set[str]:
    return {k for k, _ in report.differences}


def test_imports_only_the_allowed_standard_modules():
    tree = ast.parse(VERIFY_PY.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    assert names <= ALLOWED, names - ALLOWED


def test_accepts_the_engines_result():
    data, result = _case()
    report = verify.check(data, result)
    assert report.verified, report.differences
    assert report.recomputed is not None and report.recomputed.seed == result["seed"]


def test_reports_each_kind_of_difference():
    data, result = _case()
    t = result["targets"]

    def mutated(change) -> set[str]:
        r = copy.deepcopy(result)
        change(r)
        return keywords(verify.check(data, r))

    assert "TARGET" in mutated(lambda r: r["targets"].reverse())
    assert "TARGET" in mutated(lambda r: r["targets"][0].update(rank=2))
    assert "TARGET" in mutated(lambda r: r["targets"][0].update(rank=True))  # true is not 1
    assert "FLOAT" in mutated(lambda r: r["targets"][0].update(batch=1.0))
    assert "TARGET" in mutated(lambda r: r["targets"][0].update(id="C999"))
    assert "STRATUM" in mutated(lambda r: r["strata"][0].update(threshold="0" * 64))
    assert "TEAM" in mutated(lambda r: r["teams"][t[0]["id"]].reverse())
    assert "TEAM" in mutated(lambda r: r["teams"].pop(t[0]["id"]))
    assert "MISSING" in mutated(lambda r: r["missing"].update({t[0]["id"]: {"*": 1}}))
    assert "SEED" in mutated(lambda r: r["witnesses"][0].update(digits="031416"))
    assert "WITNESS" in mutated(lambda r: r["witnesses"][0].update(digits="03141"))
    assert "WITNESS" in mutated(lambda r: r.update(witnesses=[]))
    assert "NONCE_COMMITMENT" in mutated(lambda r: r.update(nonce="00" * 32))
    assert "NONCE" in mutated(lambda r: r.update(nonce=r["nonce"].upper()))
    assert "MANIFEST_HASH" in mutated(lambda r: r.update(manifest_hash="0" * 64))
    assert "PROTOCOL" in mutated(lambda r: r.update(protocol="DRAW-2"))
    assert "FORMAT" in mutated(lambda r: r.pop("software"))
    assert "FORMAT" in mutated(lambda r: r.update(comment="x"))
    assert "FORMAT" in mutated(lambda r: r.update(aborted_attempts=[{"at": "x"}]))
    # informative fields do not matter
    assert not mutated(lambda r: r.update(software="something else"))
    assert not mutated(lambda r: r["witnesses"][0].update(name="另一个名字"))


def test_manifest_must_be_canonical_and_valid():
    data, result = _case()
    pretty = json.dumps(json.loads(data), ensure_ascii=False, indent=1).encode()
    assert "NOT_CANONICAL" in keywords(verify.check(pretty, result))
    assert "MANIFEST_JSON" in keywords(verify.check(data[:-1], result))
    broken = json.loads(data)
    broken["batches"] = 0
    assert "MANIFEST_INVALID" in keywords(verify.check(canonical(broken), result))


def test_agrees_with_the_engine_on_district_rules_and_loads():
    pool = [
        pool_member(f"I{j}", "AJ" if j % 3 else "SCJ", ("371502", "371503")[j % 2], j % 3)
        for j in range(9)
    ]
    for rule in ("any", "same", "different"):
        for max_load in (None, 1, 3):
            data, result = _case(pool=pool, district_rule=rule, max_load=max_load, team_size=3)
            assert verify.check(data, result).verified, (rule, max_load)


@pytest.fixture
def files(tmp_path):
    data, result = _case()
    manifest_path = tmp_path / "m.json"
    result_path = tmp_path / "r.json"
    manifest_path.write_bytes(data)
    result_path.write_bytes(canonical(result))
    return manifest_path, result_path, result


def run_alone(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """verify.py copied alone, run without site-packages: proves it needs no app module."""
    alone = tmp_path / "alone"
    alone.mkdir(exist_ok=True)
    copied = alone / "verify.py"
    shutil.copy(VERIFY_PY, copied)
    return subprocess.run(
        [sys.executable, "-I", "-S", str(copied), *args],
        cwd=alone,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_standalone_copy_verifies(tmp_path, files):
    manifest_path, result_path, result = files
    done = run_alone(tmp_path, str(manifest_path), str(result_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("VERIFIED")
    assert f"result_hash: {sha256_hex(canonical(result))}" in done.stdout


def test_standalone_copy_reports_differences(tmp_path, files):
    manifest_path, result_path, result = files
    result["targets"][0]["rank"] = 99
    result_path.write_bytes(canonical(result))
    done = run_alone(tmp_path, str(manifest_path), str(result_path))
    assert done.returncode == 1
    assert "差异 DIFF TARGET" in done.stdout and "FAILED" in done.stdout.splitlines()[-1]


def test_target_option(files, capsys):
    manifest_path, result_path, result = files
    chosen = result["targets"][0]
    assert verify.main([str(manifest_path), str(result_path), "--target", chosen["id"]]) == 0
    out = capsys.readouterr().out
    assert f"票号 ticket: {chosen['ticket']}" in out
    assert "是否抽中 selected: 是 YES" in out
    threshold = next(s["threshold"] for s in result["strata"] if s["name"] == chosen["stratum"])
    assert f"该层门槛 threshold: {threshold}" in out

    picked = {t["id"] for t in result["targets"]}
    other = next(f"C{i:03d}" for i in range(30) if f"C{i:03d}" not in picked)
    assert verify.main([str(manifest_path), str(result_path), "--target", other]) == 0
    assert "否 NO" in capsys.readouterr().out

    assert verify.main([str(manifest_path), str(result_path), "--target", "NOBODY"]) == 0
    assert "NOT_A_CANDIDATE" in capsys.readouterr().out


def test_unreadable_files_exit_2(tmp_path, files, capsys):
    manifest_path, _, _ = files
    assert verify.main([str(manifest_path), str(tmp_path / "absent.json")]) == 2
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert verify.main([str(manifest_path), str(tmp_path / "bad.json")]) == 1
    assert "RESULT_JSON" in capsys.readouterr().out


def test_long_difference_lists_are_cut_unless_all(tmp_path, capsys):
    candidates = [[f"C{i:03d}", "A", "371502"] for i in range(80)]
    manifest = make_manifest(candidates=candidates, strata=[{"name": "A", "ratio_bp": 10000}])
    result = draw(manifest)
    result["witnesses"][0]["digits"] = "999999"  # another seed: every target differs
    (tmp_path / "m.json").write_bytes(canonical(manifest))
    (tmp_path / "r.json").write_bytes(canonical(result))
    argv = [str(tmp_path / "m.json"), str(tmp_path / "r.json")]
    assert verify.main(argv) == 1
    short = capsys.readouterr().out
    assert "另有" in short and "--all" in short
    assert verify.main([*argv, "--all"]) == 1
    full = capsys.readouterr().out
    assert "另有" not in full
    assert len(full.splitlines()) > len(short.splitlines())


def test_documents_without_canonical_bytes_are_reported_not_crashed():
    data, result = _case()
    report = verify.check(data, dict(result, software="\ud800"))
    assert "FORMAT" in keywords(report)
    escaped = data.replace("测试任务".encode(), b"\\ud800")
    assert "NOT_CANONICAL" in keywords(verify.check(escaped, result))
    deep = b'{"task":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert "MANIFEST_JSON" in keywords(verify.check(deep, result))


def test_a_manifest_file_holding_null_is_refused():
    _, result = _case()
    result["manifest_hash"] = sha256_hex(b"null")
    report = verify.check(b"null", result)
    assert not report.verified
    assert "MANIFEST_INVALID" in keywords(report)
