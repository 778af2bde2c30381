"""Section 10: the result document, and the engine's inputs."""

from __future__ import annotations

import re

import pytest
from draw_helpers import NONCE, draw, make_manifest

from app.draw.engine import Witness, result_bytes, result_hash, run_draw
from app.draw.protocol import DrawInputError, canonical, nonce_commitment, sha256_hex
from app.draw.validate import validate_manifest

HEX64 = re.compile(r"[0-9a-f]{64}")


def test_result_has_exactly_the_published_shape():
    manifest = make_manifest(team_size=2, batches=2)
    result = draw(manifest, ("000042", "31415926"))
    assert list(result) == [
        "protocol", "manifest_hash", "nonce_commitment", "nonce", "witnesses", "seed",
        "strata", "targets", "teams", "missing", "aborted_attempts", "software",
    ]  # fmt: skip
    assert result["protocol"] == "DRAW-1"
    assert result["manifest_hash"] == sha256_hex(canonical(manifest))
    assert result["nonce"] == NONCE.hex()
    assert result["nonce_commitment"] == nonce_commitment(NONCE)
    assert result["witnesses"] == [
        {"name": "见证人1", "digits": "000042"},
        {"name": "见证人2", "digits": "31415926"},
    ]
    for value in (result["manifest_hash"], result["nonce_commitment"], result["seed"]):
        assert HEX64.fullmatch(value)
    for s in result["strata"]:
        assert set(s) == {"name", "candidates", "selected", "threshold"}
    for t in result["targets"]:
        assert set(t) == {"id", "stratum", "rank", "batch", "ticket"} and HEX64.fullmatch(
            t["ticket"]
        )
    assert set(result["teams"]) == {t["id"] for t in result["targets"]}
    assert result["aborted_attempts"] == [] and result["software"] == "dualrandom test"
    assert result_bytes(result) == canonical(result)
    assert result_hash(result) == sha256_hex(canonical(result))


def test_same_inputs_same_bytes_and_every_input_counts():
    manifest = make_manifest(team_size=2)
    first = result_bytes(draw(manifest))
    assert result_bytes(draw(manifest)) == first
    seeds = {
        draw(manifest)["seed"],
        draw(manifest, ("123457",))["seed"],
        draw(manifest, ("0123456",))["seed"],
        draw(manifest, nonce=bytes(32))["seed"],
        draw(make_manifest(team_size=2, batches=2))["seed"],
    }
    assert len(seeds) == 5


def test_witness_names_do_not_enter_the_seed():
    checked = validate_manifest(make_manifest())
    a = run_draw(checked, [Witness("甲", "123456")], NONCE, "x")
    b = run_draw(checked, [("乙", "123456")], NONCE, "x")
    assert a["seed"] == b["seed"] and a["targets"] == b["targets"]


def test_manifest_may_be_given_as_bytes_dict_or_checked():
    manifest = make_manifest()
    w = [{"name": "", "digits": "123456"}]
    results = [
        run_draw(m, w, NONCE, "x")
        for m in (manifest, canonical(manifest), validate_manifest(manifest))
    ]
    assert results[0] == results[1] == results[2]


def test_aborted_attempts_are_carried_and_checked():
    attempt = {"nonce_commitment": "ab" * 32, "at": "2026-03-02T09:30:00+08:00", "reason": "停电"}
    result = run_draw(make_manifest(), [("", "123456")], NONCE, "x", [attempt])
    assert result["aborted_attempts"] == [attempt]
    with pytest.raises(DrawInputError, match="作废记录第 1 项"):
        run_draw(make_manifest(), [("", "123456")], NONCE, "x", [{"reason": "x"}])


@pytest.mark.parametrize(
    "witnesses", [[], [("", "12345")], [("", "１２３４５６")], [(1, "123456")]]
)
def test_bad_witnesses_are_refused(witnesses):
    with pytest.raises(DrawInputError):
        run_draw(make_manifest(), witnesses, NONCE, "x")


def test_bad_nonce_is_refused():
    with pytest.raises(DrawInputError):
        run_draw(make_manifest(), [("", "123456")], b"\x00" * 31, "x")


def test_text_without_utf8_form_is_refused():
    # e.g. an undecodable command-line byte arrives as a lone surrogate
    with pytest.raises(DrawInputError, match="姓名"):
        run_draw(make_manifest(), [("\udcff", "123456")], NONCE, "x")
    with pytest.raises(DrawInputError, match="software"):
        run_draw(make_manifest(), [("", "123456")], NONCE, "\ud800")
