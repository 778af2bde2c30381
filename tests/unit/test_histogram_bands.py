"""Workload histogram bands: round widths, at most eight, starting near the smallest count."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.stats import bands


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (1, 1, [(1, 1)]),
        (1, 8, [(k, k) for k in range(1, 9)]),
        (1, 9, [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]),
        (1, 398, [(lo, lo + 49) for lo in range(1, 400, 50)]),
        # Everyone did 250–400: the bars start at 241, not with empty bands from 1.
        (251, 398, [(lo, lo + 19) for lo in range(241, 400, 20)]),
        (5, 5, [(5, 5)]),
    ],
)
def test_bands_by_hand(low: int, high: int, expected: list[tuple[int, int]]) -> None:
    assert bands(low, high) == expected


def test_no_counts_no_bands() -> None:
    assert bands(3, 2) == []


@given(st.integers(1, 100_000), st.integers(0, 100_000), st.integers(1, 12))
def test_bands_cover_every_count_once(low: int, extra: int, count: int) -> None:
    high = low + extra
    out = bands(low, high, count)
    assert 1 <= len(out) <= count
    width = out[0][1] - out[0][0] + 1
    assert str(width).strip("0") in ("1", "2", "5")
    assert (out[0][0] - 1) % width == 0
    assert out[0][0] <= low and out[-1][1] >= high
    assert all(b[0] == a[1] + 1 for a, b in pairwise(out))
    assert all(hi - lo + 1 == width for lo, hi in out)
