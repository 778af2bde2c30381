"""Hypothesis: the engine's invariants on random small manifests, and the verifier
accepting every result and rejecting every single change."""

from __future__ import annotations

import copy
import random
from typing import Any

from draw_helpers import NONCE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.draw import verify
from app.draw.engine import result_bytes, run_draw
from app.draw.protocol import canonical
from app.draw.select import sample_size
from app.draw.validate import Stratum, build_manifest

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DISTRICTS = ["371502", "371503", "371521"]
DEPARTMENTS = ["AJ", "SCJ", "WJ"]
id_text = st.text(alphabet="0123456789ABCXYZ_.:-", min_size=1, max_size=6)


@st.composite
def draw_inputs(draw: Any) -> dict[str, Any]:
    strata = []
    for name in draw(st.lists(st.sampled_from(["A", "B", "C", "未分类"]), min_size=1, unique=True)):
        if draw(st.booleans()):
            strata.append({"name": name, "ratio_bp": draw(st.integers(0, 10000))})
        else:
            strata.append({"name": name, "count": draw(st.integers(0, 30))})
    names = [s["name"] for s in strata]
    ids = draw(st.lists(id_text, max_size=40, unique=True))
    candidates = [
        [cid, draw(st.sampled_from(names)), draw(st.sampled_from(DISTRICTS))] for cid in ids
    ]
    inspector_ids = draw(st.lists(id_text.map(lambda s: "I" + s), max_size=8, unique=True))
    pool = [
        {
            "id": iid,
            "department": draw(st.sampled_from(DEPARTMENTS)),
            "district": draw(st.sampled_from(DISTRICTS)),
            "load": draw(st.integers(0, 2)),
        }
        for iid in inspector_ids
    ]
    minimums = draw(st.dictionaries(st.sampled_from(DEPARTMENTS), st.integers(1, 2), max_size=2))
    team_size = sum(minimums.values()) + draw(st.integers(0 if minimums else 1, 2))
    pairs = []
    if ids and inspector_ids:
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(inspector_ids), st.sampled_from(ids)).map(list),
                max_size=10,
            )
        )
    return {
        "task": {"code": "P-1", "title": "性质测试"},
        "strata": strata,
        "candidates": candidates,
        "pool": pool,
        "team_size": team_size,
        "per_department_min": minimums,
        "max_load": draw(st.none() | st.integers(1, 4)),
        "district_rule": draw(st.sampled_from(["any", "same", "different"])),
        "excluded_pairs": pairs,
        "batches": draw(st.integers(1, 5)),
        "digits": draw(
            st.lists(st.from_regex(r"[0-9]{6,32}", fullmatch=True), min_size=1, max_size=3)
        ),
        "nonce": draw(st.binary(min_size=32, max_size=32)),
    }


def engine(inputs: dict[str, Any], shuffle: random.Random | None = None) -> tuple[bytes, dict]:
    spec = {k: v for k, v in inputs.items() if k not in ("digits", "nonce")}
    if shuffle is not None:  # the order rows arrive in must not matter
        spec = copy.deepcopy(spec)
        for key in ("candidates", "pool", "excluded_pairs"):
            shuffle.shuffle(spec[key])
    manifest = canonical(build_manifest(**spec))
    witnesses = [{"name": f"W{k}", "digits": d} for k, d in enumerate(inputs["digits"])]
    return manifest, run_draw(manifest, witnesses, inputs["nonce"], "property test")


@SETTINGS
@given(draw_inputs())
def test_exactly_n_per_stratum_and_a_team_for_every_target(inputs):
    _, result = engine(inputs)
    for s, spec in zip(result["strata"], inputs["strata"], strict=True):
        population = sum(1 for c in inputs["candidates"] if c[1] == s["name"])
        n = sample_size(population, Stratum(s["name"], spec.get("ratio_bp"), spec.get("count")))
        assert (s["candidates"], s["selected"]) == (population, n)
        assert sum(1 for t in result["targets"] if t["stratum"] == s["name"]) == n
    assert set(result["teams"]) == {t["id"] for t in result["targets"]}
    for target, team in result["teams"].items():
        assert len(team) == len(set(team)) <= inputs["team_size"]
        if len(team) < inputs["team_size"]:
            assert target in result["missing"]


@SETTINGS
@given(draw_inputs(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_input_order(inputs, rnd):
    manifest, result = engine(inputs)
    again_manifest, again = engine(inputs, shuffle=rnd)
    assert again_manifest == manifest
    assert result_bytes(again) == result_bytes(result)


def _mutations(manifest: bytes, result: dict, rnd: random.Random) -> list[tuple[str, bytes, dict]]:
    """Every single change the verifier must catch, for this result."""
    out: list[tuple[str, bytes, dict]] = []

    def changed(label: str, edit) -> None:
        r = copy.deepcopy(result)
        edit(r)
        out.append((label, manifest, r))

    targets = result["targets"]
    if len(targets) >= 2:
        i, j = rnd.sample(range(len(targets)), 2)

        def swap(r: dict) -> None:
            r["targets"][i]["id"], r["targets"][j]["id"] = targets[j]["id"], targets[i]["id"]

        changed("targets swapped", swap)
    if targets:
        k = rnd.randrange(len(targets))
        changed("rank changed", lambda r: r["targets"][k].update(rank=targets[k]["rank"] + 1))
        chosen = {t["id"] for t in targets}
        others = [c for c in verify.load_json(manifest)["candidates"] if c[0] not in chosen]
        if others:
            other = rnd.choice(others)[0]
            changed("target replaced", lambda r: r["targets"][k].update(id=other))
    w = rnd.randrange(len(result["witnesses"]))
    digits = result["witnesses"][w]["digits"]
    p = rnd.randrange(len(digits))
    new_digit = str((int(digits[p]) + 1 + rnd.randrange(9)) % 10)
    changed(
        "witness digit changed",
        lambda r: r["witnesses"][w].update(digits=digits[:p] + new_digit + digits[p + 1 :]),
    )
    nonce = bytes.fromhex(result["nonce"])
    other_nonce = bytes([nonce[0] ^ 1]) + nonce[1:]
    changed("nonce changed", lambda r: r.update(nonce=other_nonce.hex()))
    # with its commitment changed too, only the seed can tell
    changed(
        "nonce and commitment changed",
        lambda r: r.update(
            nonce=other_nonce.hex(), nonce_commitment=verify.sha256_hex(other_nonce)
        ),
    )
    at = rnd.randrange(len(manifest))
    flipped = manifest[:at] + bytes([manifest[at] ^ (1 << rnd.randrange(8))]) + manifest[at + 1 :]
    out.append(("manifest byte changed", flipped, result))
    return out


@SETTINGS
@given(draw_inputs(), st.randoms(use_true_random=False))
def test_verifier_accepts_every_result_and_rejects_any_single_change(inputs, rnd):
    manifest, result = engine(inputs)
    report = verify.check(manifest, result)
    assert report.verified, report.differences
    for label, m, r in _mutations(manifest, result, rnd):
        assert not verify.check(m, r).verified, label


def test_verifier_rejects_a_changed_manifest_even_with_its_hash_updated():
    inputs = {
        "task": {"code": "P-2"},
        "strata": [{"name": "A", "ratio_bp": 5000}],
        "candidates": [[f"C{i}", "A", "371502"] for i in range(10)],
        "pool": [{"id": "I1", "department": "AJ", "district": "371502", "load": 0}],
        "team_size": 1,
        "per_department_min": {},
        "max_load": None,
        "district_rule": "any",
        "excluded_pairs": [],
        "batches": 1,
        "digits": ["123456"],
        "nonce": NONCE,
    }
    manifest, result = engine(inputs)
    changed = manifest.replace(b'"ratio_bp":5000', b'"ratio_bp":6000')
    forged = dict(result, manifest_hash=verify.sha256_hex(changed))
    report = verify.check(changed, forged)
    assert not report.verified and {"SEED", "STRATUM"} <= {k for k, _ in report.differences}


def test_engine_and_plain_verifier_agree_under_heavy_constraints():
    """The engine lays rounds out lazily and skips decks at max_load; the
    verifier reshuffles eagerly as the text reads. Crowded, constrained draws
    (many targets per inspector, exclusions, loads, every district rule)
    exercise exactly those shortcuts."""
    rnd = random.Random(20260302)
    for case in range(150):
        n_pool = rnd.randrange(1, 7)
        pool = [
            {
                "id": f"I{j}",
                "department": rnd.choice(DEPARTMENTS[:2]),
                "district": rnd.choice(DISTRICTS[:2]),
                "load": rnd.randrange(3),
            }
            for j in range(n_pool)
        ]
        candidates = [
            [f"C{i:02d}", "A", rnd.choice(DISTRICTS)] for i in range(rnd.randrange(5, 40))
        ]
        minimums = {d: rnd.randrange(1, 3) for d in rnd.sample(DEPARTMENTS[:2], rnd.randrange(3))}
        inputs = {
            "task": {"code": f"S-{case}"},
            "strata": [{"name": "A", "ratio_bp": rnd.choice([5000, 10000])}],
            "candidates": candidates,
            "pool": pool,
            "team_size": sum(minimums.values()) + rnd.randrange(0 if minimums else 1, 3),
            "per_department_min": minimums,
            "max_load": rnd.choice([None, 1, 2, 3, 5]),
            "district_rule": rnd.choice(["any", "same", "different"]),
            "excluded_pairs": [
                [rnd.choice(pool)["id"], rnd.choice(candidates)[0]] for _ in range(rnd.randrange(8))
            ],
            "batches": 1,
            "digits": [f"{case:06d}"],
            "nonce": NONCE,
        }
        manifest, result = engine(inputs)
        report = verify.check(manifest, result)
        assert report.verified, (case, report.differences[:3])
