"""Section 8: stratified selection by target tickets, reveal order and batches."""

from __future__ import annotations

import heapq
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
    districts = manifest.candidate_districts
    tickets = target_tickets(seed, ids)

    outcomes: list[StratumOutcome] = []
    chosen: list[tuple[bytes, str, str, str]] = []  # (ticket, id, stratum, district)
    for stratum in manifest.strata:
        # Column-wise filtering keeps the per-candidate work in C.
        mask = list(map(stratum.name.__eq__, strata_col))
        st_tickets = list(compress(tickets, mask))
        population = len(st_tickets)
        n = sample_size(population, stratum)
        if n == 0:
            outcomes.append(StratumOutcome(stratum.name, population, 0, None))
            continue
        # The n-th smallest ticket bounds the selection; everything at or below
        # it is kept and ordered by (ticket, id), which settles equal tickets.
        bound = heapq.nsmallest(n, st_tickets)[-1]
        keep = list(map(bound.__ge__, st_tickets))
        st_ids = compress(compress(ids, mask), keep)
        st_districts = compress(compress(districts, mask), keep)
        picked = sorted(zip(compress(st_tickets, keep), st_ids, st_districts, strict=True))[:n]
        outcomes.append(StratumOutcome(stratum.name, population, n, picked[-1][0]))
        chosen.extend((t, cid, stratum.name, d) for t, cid, d in picked)

    chosen.sort()  # (ticket, id) is unique, so the stratum never decides
    sizes = batch_sizes(len(chosen), manifest.batches)
    batch_of = [b for b, size in enumerate(sizes, start=1) for _ in range(size)]
    targets = [
        Target(cid, name, district, t, rank, batch)
        for rank, ((t, cid, name, district), batch) in enumerate(
            zip(chosen, batch_of, strict=True), start=1
        )
    ]
    return outcomes, targets
