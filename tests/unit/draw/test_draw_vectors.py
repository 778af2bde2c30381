"""The published vectors (docs/draw-vectors/) are reproduced byte for byte."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.draw import verify
from app.draw.engine import result_bytes, run_draw
from app.draw.protocol import canonical

VECTORS = Path(__file__).resolve().parents[3] / "docs" / "draw-vectors"
STEMS = sorted(p.name.removesuffix("-manifest.json") for p in VECTORS.glob("*-manifest.json"))


def test_vectors_are_published():
    assert len(STEMS) >= 4


@pytest.mark.parametrize("stem", STEMS)
def test_engine_reproduces_the_vector(stem):
    manifest = (VECTORS / f"{stem}-manifest.json").read_bytes()
    inputs = json.loads((VECTORS / f"{stem}-input.json").read_bytes())
    expected = (VECTORS / f"{stem}-result.json").read_bytes()
    assert canonical(json.loads(manifest)) == manifest
    result = run_draw(
        manifest, inputs["witnesses"], bytes.fromhex(inputs["nonce"]), "dualrandom 0.1.0"
    )
    assert result_bytes(result) == expected


@pytest.mark.parametrize("stem", STEMS)
def test_verifier_accepts_the_vector(stem):
    manifest = (VECTORS / f"{stem}-manifest.json").read_bytes()
    result = json.loads((VECTORS / f"{stem}-result.json").read_bytes())
    assert verify.check(manifest, result).verified


def test_vectors_cover_the_rules():
    rules = set()
    for stem in STEMS:
        manifest = json.loads((VECTORS / f"{stem}-manifest.json").read_bytes())
        result = json.loads((VECTORS / f"{stem}-result.json").read_bytes())
        ins = manifest["inspectors"]
        rules |= {f"rule:{ins['district_rule']}"}
        rules |= {"ratio" for s in manifest["strata"] if "ratio_bp" in s}
        rules |= {"count" for s in manifest["strata"] if "count" in s}
        rules |= {"batches"} if manifest["batches"] > 1 else set()
        rules |= {"minimums"} if ins["per_department_min"] else set()
        rules |= {"max_load"} if ins["max_load"] is not None else set()
        rules |= {"excluded"} if ins["excluded_pairs"] else set()
        rules |= {"missing"} if result["missing"] else set()
    assert rules >= {
        "rule:any", "rule:same", "rule:different", "ratio", "count", "batches",
        "minimums", "max_load", "excluded", "missing",
    }  # fmt: skip


def test_published_documents_quote_the_vectors_hashes():
    readme = (VECTORS / "README.md").read_text(encoding="utf-8")
    protocol_doc = (VECTORS.parent / "draw-protocol.md").read_text(encoding="utf-8")
    for stem in STEMS:
        data = (VECTORS / f"{stem}-result.json").read_bytes()
        result = json.loads(data)
        for value in (result["manifest_hash"], result["seed"], hashlib.sha256(data).hexdigest()):
            assert value in readme, (stem, value)
    first = (VECTORS / f"{STEMS[0]}-result.json").read_bytes()
    assert json.loads(first)["seed"] in protocol_doc
    assert hashlib.sha256(first).hexdigest() in protocol_doc
