"""Section 8: sample sizes, selection by tickets, thresholds, reveal order, batches."""

from __future__ import annotations

import math

import pytest
from draw_helpers import draw, make_manifest

from app.draw import select as select_module
from app.draw.protocol import compute_seed, ticket
from app.draw.select import batch_sizes, sample_size, select_targets
from app.draw.validate import Stratum, validate_manifest


def test_published_example_1234_at_500_bp_is_62():
    assert sample_size(1234, Stratum("A", 500, None)) == 62


def test_ceiling_is_exact_against_integer_arithmetic():
    for population in range(0, 400):
        for bp in (0, 1, 3, 99, 100, 333, 500, 2500, 3333, 9999, 10000):
            exact = -(-population * bp // 10000)  # ceiling without floats
            assert sample_size(population, Stratum("A", bp, None)) == min(population, exact)
    # large N: floats would round wrongly here, integers do not
    big = 10**17 + 1
    assert sample_size(big, Stratum("A", 1, None)) == math.ceil(big // 10000) + 1


@pytest.mark.parametrize(
    ("population", "count", "n"), [(10, 3, 3), (3, 10, 3), (0, 5, 0), (5, 0, 0)]
)
def test_count_is_capped_by_the_stratum(population, count, n):
    assert sample_size(population, Stratum("A", None, count)) == n


@pytest.mark.parametrize(
    ("selected", "batches", "sizes"),
    [(10, 3, [4, 3, 3]), (9, 3, [3, 3, 3]), (2, 5, [1, 1, 0, 0, 0]), (0, 2, [0, 0]), (7, 1, [7])],
)
def test_batch_sizes(selected, batches, sizes):
    assert batch_sizes(selected, batches) == sizes


def _seed(manifest_checked) -> str:
    return compute_seed(manifest_checked.hash, ["123456"], bytes(32))


def test_selection_is_the_n_smallest_tickets_per_stratum_with_threshold():
    checked = validate_manifest(make_manifest())
    seed = _seed(checked)
    outcomes, targets = select_targets(checked, seed)
    chosen = {t.id for t in targets}
    for outcome in outcomes:
        members = [
            cid
            for cid, s in zip(checked.candidate_ids, checked.candidate_strata, strict=True)
            if s == outcome.name
        ]
        ranked = sorted(members, key=lambda cid: (ticket(seed, "T", cid), cid))
        assert {cid for cid in ranked[: outcome.selected]} == chosen & set(members)
        assert outcome.threshold == ticket(seed, "T", ranked[outcome.selected - 1])
        # threshold semantics: selected exactly when the ticket is not above it
        for cid in members:
            assert (cid in chosen) == (ticket(seed, "T", cid) <= outcome.threshold)
    assert [(o.name, o.candidates, o.selected) for o in outcomes] == [("A", 15, 3), ("B", 15, 4)]


def test_reveal_order_ranks_and_batches():
    result = draw(make_manifest(batches=3))
    targets = result["targets"]
    assert [t["rank"] for t in targets] == list(range(1, 8))
    assert [t["ticket"] for t in targets] == sorted(t["ticket"] for t in targets)
    assert [t["batch"] for t in targets] == [1, 1, 1, 2, 2, 3, 3]


def test_batches_larger_than_the_selection_leave_empty_batches():
    result = draw(make_manifest(batches=50))
    assert [t["batch"] for t in result["targets"]] == list(range(1, 8))


def test_empty_stratum_ratio_zero_and_full_ratio():
    candidates = [[f"C{i}", "B" if i < 5 else "C", "371502"] for i in range(10)]
    strata = [
        {"name": "A", "ratio_bp": 5000},  # no candidates at all
        {"name": "B", "ratio_bp": 0},
        {"name": "C", "ratio_bp": 10000},
    ]
    result = draw(make_manifest(candidates=candidates, strata=strata))
    assert result["strata"][0] == {"name": "A", "candidates": 0, "selected": 0, "threshold": None}
    assert result["strata"][1] == {"name": "B", "candidates": 5, "selected": 0, "threshold": None}
    assert result["strata"][2]["selected"] == 5
    assert result["strata"][2]["threshold"] == max(t["ticket"] for t in result["targets"])
    assert sorted(t["id"] for t in result["targets"]) == [f"C{i}" for i in range(5, 10)]


def test_count_larger_than_the_stratum_takes_everyone():
    strata = [{"name": "A", "count": 1000}, {"name": "B", "count": 0}]
    result = draw(make_manifest(strata=strata))
    assert [s["selected"] for s in result["strata"]] == [15, 0]


def test_no_candidates_at_all():
    result = draw(make_manifest(candidates=[]))
    assert result["targets"] == [] and result["teams"] == {} and result["missing"] == {}


def test_equal_tickets_are_settled_by_id(monkeypatch):
    # sha256 never ties in practice; force ties to prove the (ticket, id) order.
    def tied(seed, ids):
        return [b"\x01" * 32 if cid in {"C005", "C001", "C009"} else b"\x02" * 32 for cid in ids]

    monkeypatch.setattr(select_module, "target_tickets", tied)
    candidates = [[f"C{i:03d}", "A", "371502"] for i in range(12)]
    checked = validate_manifest(
        make_manifest(candidates=candidates, strata=[{"name": "A", "count": 4}])
    )
    outcomes, targets = select_targets(checked, "00" * 32)
    assert [t.id for t in targets] == ["C001", "C005", "C009", "C000"]
    assert outcomes[0].threshold == b"\x02" * 32


def test_the_cut_only_saves_work(monkeypatch):
    # A cut that keeps (almost) nobody forces the exact path for every stratum.
    candidates = [[f"C{i:04d}", "AB"[i % 2], "371502"] for i in range(3000)]
    strata = [{"name": "A", "ratio_bp": 300}, {"name": "B", "count": 40}]
    checked = validate_manifest(make_manifest(candidates=candidates, strata=strata))
    seed = _seed(checked)
    normal = select_targets(checked, seed)
    monkeypatch.setattr(select_module, "_cutoff", lambda population, n: b"\x00\x01")
    assert select_targets(checked, seed) == normal
    assert [o.selected for o in normal[0]] == [45, 40]


def test_cutoff_shape():
    assert select_module._cutoff(100, 0) == b""
    assert select_module._cutoff(100, 90) == b"\xff" * 33
    cut = select_module._cutoff(1_000_000, 18_000)
    assert len(cut) == 8
    # aims at n + 8 sqrt(n) + 16 of a million uniform tickets
    expected = int.from_bytes(cut, "big") * 1_000_000 / 2**64
    assert 18_000 + 8 * 134 < expected < 18_000 + 8 * 134 + 17
