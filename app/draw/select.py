"""Section 8: stratified selection by target tickets, reveal order and batches."""

from __future__ import annotations

import heapq
import operator
from dataclasses import dataclass
from itertools import compress

from app.draw.protocol import target_tickets
from app.draw.validate import Manifest, Stratum


@dataclass(frozen=True, slots=True)
class StratumOutcome:
    name: str
    candidates: int
    selected: int
    threshold: bytes | None  # ticket of the stratum's last selected candidate


@dataclass(frozen=True, slots=True)
class Target:
    id: str
    stratum: str
    district: str
    ticket: bytes
    rank: int
    batch: int


def sample_size(population: int, stratum: Stratum) -> int:
    """n for a stratum of N candidates: an exact integer ceiling, never a float."""
    if stratum.ratio_bp is not None:
        return min(population, (population * stratum.ratio_bp + 9999) // 10000)
    assert stratum.count is not None
    return min(population, stratum.count)


def batch_sizes(selected: int, batches: int) -> list[int]:
    """S split into B runs: the first S mod B one longer (some may be empty)."""
    base, extra = divmod(selected, batches)
    return [base + 1] * extra + [base] * (batches - extra)


def select_targets(manifest: Manifest, seed: str) -> tuple[list[StratumOutcome], list[Target]]:
    """The strata summaries (manifest order) and the targets in reveal order."""
    ids = manifest.candidate_ids
    strata_col = manifest.candidate_strata
    tickets = target_tickets(seed, ids)

    # Pass 1, per stratum: the n-th smallest ticket bounds the selection.
    # Column-wise filtering (map/compress) keeps the per-candidate work in C.
    sizes: dict[str, tuple[int, int]] = {}  # name -> (N, n)
    bound: dict[str, bytes] = {}
    for stratum in manifest.strata:
        st_tickets = list(compress(tickets, map(stratum.name.__eq__, strata_col)))
        population = len(st_tickets)
        n = sample_size(population, stratum)
        sizes[stratum.name] = (population, n)
        # b"" is below every 32-byte ticket: nothing passes an empty stratum's bound.
        bound[stratum.name] = heapq.nsmallest(n, st_tickets)[-1] if n else b""

    # Pass 2, one sweep over all candidates: keep tickets at or below their
    # stratum's bound (exactly n, unless tickets tie at the bound).
    keep = map(operator.le, tickets, map(bound.__getitem__, strata_col))
    kept = compress(zip(tickets, ids, strata_col, manifest.candidate_districts, strict=True), keep)
    by_stratum: dict[str, list[tuple[bytes, str, str, str]]] = {name: [] for name in sizes}
    for entry in kept:
        by_stratum[entry[2]].append(entry)

    outcomes: list[StratumOutcome] = []
    chosen: list[tuple[bytes, str, str, str]] = []  # (ticket, id, stratum, district)
    for stratum in manifest.strata:
        population, n = sizes[stratum.name]
        # (ticket, id) is unique, so sorting settles equal tickets by id.
        picked = sorted(by_stratum[stratum.name])[:n]
        threshold = picked[-1][0] if n else None
        outcomes.append(StratumOutcome(stratum.name, population, n, threshold))
        chosen.extend(picked)

    chosen.sort()
    batch_of = [
        b
        for b, size in enumerate(batch_sizes(len(chosen), manifest.batches), 1)
        for _ in range(size)
    ]
    targets = [
        Target(cid, name, district, t, rank, batch)
        for rank, ((t, cid, name, district), batch) in enumerate(
            zip(chosen, batch_of, strict=True), start=1
        )
    ]
    return outcomes, targets
