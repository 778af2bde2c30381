"""`dualrandom draw --manifest …` and `dualrandom verify …` through argparse."""

from __future__ import annotations

import argparse
import hashlib
import json

import pytest
from draw_helpers import make_manifest

from app.commands import draw as draw_command
from app.draw.protocol import canonical

NONCE_HEX = "0f" * 32


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dualrandom")
    parser.add_argument("--db")
    sub = parser.add_subparsers(dest="command")
    draw_command.register(sub)
    args = parser.parse_args(argv)
    return args.run(args)


@pytest.fixture
def manifest_file(tmp_path):
    path = tmp_path / "m.json"
    path.write_bytes(canonical(make_manifest(team_size=2)))
    return path


def test_draw_writes_canonical_result_and_prints_hashes(tmp_path, manifest_file, capsys):
    out = tmp_path / "r.json"
    argv = [
        "draw",
        "--manifest",
        str(manifest_file),
        "--witness",
        "000123",
        "--witness",
        "98765432",
    ]
    argv += ["--witness-name", "张伟", "--witness-name", "王芳", "--nonce", NONCE_HEX.upper()]
    assert run([*argv, "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    data = out.read_bytes()
    result = json.loads(data)
    assert canonical(result) == data
    assert lines[0] == f"manifest_hash: {hashlib.sha256(manifest_file.read_bytes()).hexdigest()}"
    assert f"seed: {result['seed']}" in lines
    assert lines[-1] == f"result_hash: {hashlib.sha256(data).hexdigest()}"
    assert result["nonce"] == NONCE_HEX
    assert result["witnesses"] == [
        {"name": "张伟", "digits": "000123"},
        {"name": "王芳", "digits": "98765432"},
    ]
    assert run(["verify", str(manifest_file), str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("VERIFIED")
    target = result["targets"][0]["id"]
    assert run(["verify", str(manifest_file), str(out), "--target", target]) == 0
    assert "是 YES" in capsys.readouterr().out


def test_without_nonce_the_os_draws_one(tmp_path, manifest_file, capsys):
    commitments = set()
    for k in range(2):
        out = tmp_path / f"r{k}.json"
        assert (
            run(
                ["draw", "--manifest", str(manifest_file), "--witness", "123456", "--out", str(out)]
            )
            == 0
        )
        commitments.add(json.loads(out.read_bytes())["nonce_commitment"])
    assert len(commitments) == 2
    assert json.loads((tmp_path / "r0.json").read_bytes())["witnesses"][0]["name"] == ""


def test_verify_exits_non_zero_on_a_difference(tmp_path, manifest_file, capsys):
    out = tmp_path / "r.json"
    base = ["draw", "--manifest", str(manifest_file), "--witness", "123456", "--nonce", NONCE_HEX]
    assert run([*base, "--out", str(out)]) == 0
    result = json.loads(out.read_bytes())
    result["targets"][0]["batch"] = 2
    out.write_bytes(canonical(result))
    capsys.readouterr()
    assert run(["verify", str(manifest_file), str(out)]) == 1
    assert "差异 DIFF TARGET" in capsys.readouterr().out


def _refused(capsys, argv: list[str], reason: str) -> None:
    assert run(argv) == 2
    captured = capsys.readouterr()
    assert reason in captured.err and captured.out == ""


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (["--witness", "12345"], "6 到 32 位"),
        (
            ["--witness", "123456", "--witness", "1234567890123456789012345678901234"],
            "第 2 位见证人",
        ),
        (["--witness", "１２３４５６"], "6 到 32 位"),
        ([], "至少需要一位见证人"),
        (["--witness", "123456", "--witness-name", "甲", "--witness-name", "乙"], "须一一对应"),
        (["--witness", "123456", "--nonce", "abc"], "64 位十六进制"),
    ],
)
def test_draw_refuses_bad_inputs(tmp_path, manifest_file, capsys, extra, reason):
    argv = ["draw", "--manifest", str(manifest_file), "--out", str(tmp_path / "r.json"), *extra]
    _refused(capsys, argv, reason)
    assert not (tmp_path / "r.json").exists()


def test_draw_refuses_bad_manifests(tmp_path, capsys):
    good = make_manifest()
    cases = {
        "not canonical": (canonical(good) + b"\n", "规范 JSON"),
        "bad id": (
            canonical({**good, "candidates": [["C 1", "A", "371502"]]}),
            "候选对象第 1 项：id“C 1”无效",
        ),
        "unknown stratum": (
            canonical({**good, "candidates": [["C1", "Z", "371502"]]}),
            "所属层“Z”不在 strata 中",
        ),
        "rule break": (canonical({**good, "batches": 0}), "batches"),
    }
    for name, (data, reason) in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(data)
        argv = [
            "draw",
            "--manifest",
            str(path),
            "--witness",
            "123456",
            "--out",
            str(tmp_path / "r.json"),
        ]
        _refused(capsys, argv, reason)
    _refused(
        capsys,
        ["draw", "--manifest", str(tmp_path / "absent.json"), "--witness", "123456", "--out", "x"],
        "无法读取清单文件",
    )


def test_draw_requires_manifest_and_out(tmp_path, manifest_file, capsys):
    _refused(
        capsys, ["draw", "--witness", "123456", "--out", str(tmp_path / "r.json")], "--manifest"
    )
    _refused(capsys, ["draw", "--manifest", str(manifest_file), "--witness", "123456"], "--out")


def test_subcommands_take_the_db_option(manifest_file, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert (
        run(
            [
                "draw",
                "--manifest",
                str(manifest_file),
                "--witness",
                "123456",
                "--out",
                str(out),
                "--db",
                "x.db",
            ]
        )
        == 0
    )
    assert run(["verify", str(manifest_file), str(out), "--db", "x.db"]) == 0
