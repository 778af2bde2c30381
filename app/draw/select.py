"""Section 8: stratified selection by target tickets, reveal order and batches."""

from __future__ import annotations

import math
import operator
from collections import Counter
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


_ABOVE_ALL = b"\xff" * 33  # compares above every 32-byte ticket


def _cutoff(population: int, n: int) -> bytes:
    """A ticket prefix that, almost surely, more than n of the stratum's tickets fall below.

    Tickets are uniform, so aiming at n + 8·sqrt(n) + 16 of them puts the
    selection's bound about eight standard deviations inside the cut. The cut
    only saves work: select_targets checks that at least n tickets fell below
    it and otherwise redoes the stratum over all its candidates, so the result
    never depends on it.
    """
    if n == 0:
        return b""
    want = n + 8 * math.isqrt(n) + 16
    if want >= population:
        return _ABOVE_ALL
    return ((want << 64) // population).to_bytes(8, "big")


def select_targets(manifest: Manifest, seed: str) -> tuple[list[StratumOutcome], list[Target]]:
    """The strata summaries (manifest order) and the targets in reveal order.

    Per stratum the selection is its n smallest (ticket, id). Rather than
    ranking every candidate, one sweep keeps those below a generous cut (see
    _cutoff) and only they are sorted; the per-candidate work stays in C
    (map, compress, zip) apart from the one hash each.
    """
    ids = manifest.candidate_ids
    strata_col = manifest.candidate_strata
    districts = manifest.candidate_districts
    tickets = target_tickets(seed, ids)

    counts = Counter(strata_col)
    sizes = {s.name: (counts[s.name], sample_size(counts[s.name], s)) for s in manifest.strata}
    cut = {name: _cutoff(population, n) for name, (population, n) in sizes.items()}

    below = map(operator.gt, map(cut.__getitem__, strata_col), tickets)
    kept: dict[str, list[tuple[bytes, str, str, str]]] = {name: [] for name in sizes}
    for entry in compress(zip(tickets, ids, strata_col, districts, strict=True), below):
        kept[entry[2]].append(entry)

    outcomes: list[StratumOutcome] = []
    chosen: list[tuple[bytes, str, str, str]] = []  # (ticket, id, stratum, district)
    for stratum in manifest.strata:
        population, n = sizes[stratum.name]
        group = kept[stratum.name]
        if len(group) < n:  # the cut was too tight: rank the whole stratum
            everyone = zip(tickets, ids, strata_col, districts, strict=True)
            group = list(compress(everyone, map(stratum.name.__eq__, strata_col)))
        # (ticket, id) is unique, so sorting settles equal tickets by id.
        picked = sorted(group)[:n]
        threshold = picked[-1][0] if n else None
        outcomes.append(StratumOutcome(stratum.name, population, n, threshold))
        chosen.extend(picked)

    chosen.sort()
    sizes_per_batch = batch_sizes(len(chosen), manifest.batches)
    batch_of = [b for b, size in enumerate(sizes_per_batch, start=1) for _ in range(size)]
    targets = [
        Target(cid, name, district, t, rank, batch)
        for rank, ((t, cid, name, district), batch) in enumerate(
            zip(chosen, batch_of, strict=True), start=1
        )
    ]
    return outcomes, targets
