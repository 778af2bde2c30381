"""Over thousands of seeds: equal selection probability n/N, and balanced loads."""

from __future__ import annotations

import math
from collections import Counter

from draw_helpers import NONCE, pool_member

from app.draw.engine import run_draw
from app.draw.validate import build_manifest, validate_manifest

SEEDS = 2400
# Upper-tail standard normal quantile for p = 1e-6: the test fails by chance
# once in a million runs, so a failure means a real bias.
Z_1E6 = 4.753424


def chi_square_critical(df: int) -> float:
    """Wilson–Hilferty: chi2_df quantile from the normal one (no scipy needed)."""
    h = 2 / (9 * df)
    return df * (1 - h + Z_1E6 * math.sqrt(h)) ** 3


def _exact_survival(x: float, df: int) -> float:
    """P(chi2_df > x) in closed form, for even df."""
    half = x / 2
    return math.exp(-half) * sum(half**i / math.factorial(i) for i in range(df // 2))


def test_wilson_hilferty_is_close_and_on_the_safe_side():
    for df in (6, 10, 12, 50):
        critical = chi_square_critical(df)
        assert 1e-7 < _exact_survival(critical, df) <= 1e-6


def _manifest(team_size: int, minimums: dict[str, int], departments: tuple[str, ...]):
    candidates = [[f"C{i:02d}", "A" if i < 12 else "B", "371502"] for i in range(20)]
    pool = [pool_member(f"I{j}", departments[j % len(departments)]) for j in range(7)]
    return validate_manifest(
        build_manifest(
            task={"code": "STAT"},
            strata=[{"name": "A", "ratio_bp": 2500}, {"name": "B", "count": 3}],
            candidates=candidates,
            pool=pool,
            team_size=team_size,
            per_department_min=minimums,
        )
    )


def _chi_square(counts: Counter[str], members: list[str], n: int, seeds: int) -> float:
    """Sum of (c - E)^2 / Var over one stratum, scaled to chi2 with N-1 df.

    Drawing exactly n of N without replacement gives each count variance
    S p (1-p) and covariance -S p (1-p) / (N-1); the covariance matrix is
    S p (1-p) N/(N-1) times a rank N-1 projection, hence the factor (N-1)/N.
    """
    size = len(members)
    p = n / size
    expected = seeds * p
    spread = sum((counts[c] - expected) ** 2 for c in members) / (seeds * p * (1 - p))
    return spread * (size - 1) / size


def test_every_candidate_is_selected_with_probability_n_over_n():
    manifest = _manifest(2, {"AJ": 1, "SCJ": 1}, ("AJ", "SCJ"))
    counts: Counter[str] = Counter()
    for k in range(SEEDS):
        result = run_draw(manifest, [("", f"{k:08d}")], NONCE, "stat")
        counts.update(t["id"] for t in result["targets"])
        # teams of one AJ and one SCJ member: each department deck deals
        # once per target, so loads inside a department differ by one at most
        loads = Counter(i for team in result["teams"].values() for i in team)
        for department in ("AJ", "SCJ"):
            members = [p.id for p in manifest.pool if p.department == department]
            spread = [loads[i] for i in members]
            assert max(spread) - min(spread) <= 1
    a = [f"C{i:02d}" for i in range(12)]
    b = [f"C{i:02d}" for i in range(12, 20)]
    assert _chi_square(counts, a, 3, SEEDS) < chi_square_critical(len(a) - 1)
    assert _chi_square(counts, b, 3, SEEDS) < chi_square_critical(len(b) - 1)
    assert sum(counts[c] for c in a) == 3 * SEEDS and sum(counts[c] for c in b) == 3 * SEEDS


def test_single_deck_loads_never_differ_by_more_than_one():
    manifest = _manifest(1, {}, ("SCJ",))
    for k in range(300):
        result = run_draw(manifest, [("", f"{k:06d}")], NONCE, "stat")
        loads = Counter(team[0] for team in result["teams"].values())
        spread = [loads[p.id] for p in manifest.pool]
        assert max(spread) - min(spread) <= 1
