"""Pure rules of 统计分析: the Wilson interval, rounding of rates, risk-class feedback.

No database and no Qt: the stats services feed counts in and get figures back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.domain.risk import RISK_CLASSES

# z for a two-sided 95 % interval.
Z95 = 1.959963984540054
# Rates in reports and JSON: fractions 0–1 with this many decimals.
RATE_DECIMALS = 4
# Clean (no problem) inspections in a row before a move down one class is suggested.
CLEAN_RUN_FOR_DOWNGRADE = 2


def rate(part: int, whole: int) -> float:
    """part / whole rounded to RATE_DECIMALS; 0.0 when nothing was counted."""
    return round(part / whole, RATE_DECIMALS) if whole else 0.0


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float

    def text(self) -> str:
        return f"{self.low * 100:.1f}%–{self.high * 100:.1f}%"


def wilson(successes: int, n: int, z: float = Z95) -> Interval | None:
    """Wilson score interval of a proportion (None when n is 0).

    Wilson rather than the normal approximation: a county's class A rate is
    often 0 of 12, where p ± z·√(p(1−p)/n) collapses to [0, 0].
    """
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Interval(
        round(max(0.0, centre - half), RATE_DECIMALS), round(min(1.0, centre + half), RATE_DECIMALS)
    )


def class_up(risk_class: str | None) -> str | None:
    """One class higher risk (A→B→C→D); D and 未分类 stay (None: no suggestion)."""
    if risk_class not in RISK_CLASSES or risk_class == RISK_CLASSES[-1]:
        return None
    return RISK_CLASSES[RISK_CLASSES.index(risk_class) + 1]


def class_down(risk_class: str | None) -> str | None:
    """One class lower risk (D→C→B→A); A and 未分类 stay (None)."""
    if risk_class not in RISK_CLASSES or risk_class == RISK_CLASSES[0]:
        return None
    return RISK_CLASSES[RISK_CLASSES.index(risk_class) - 1]


def suggest_class(
    risk_class: str | None, history: list[bool], clean_run: int = CLEAN_RUN_FOR_DOWNGRADE
) -> tuple[str, str] | None:
    """(new class, reason) from an enterprise's inspected history, newest last; or None.

    `history` holds one flag per fully entered inspection: True = a problem found.
    The newest inspection decides: a problem moves the enterprise up one class;
    `clean_run` clean inspections in a row (and no problem since) move it down one.
    """
    if not history:
        return None
    if history[-1]:
        new = class_up(risk_class)
        return None if new is None else (new, "最近一次抽查发现问题，建议上调一级")
    run = 0
    for flag in reversed(history):
        if flag:
            break
        run += 1
    if run >= clean_run:
        new = class_down(risk_class)
        if new is not None:
            return new, f"连续 {run} 次抽查未发现问题，建议下调一级"
    return None


# Item names run to twenty characters and more (食品生产企业落实食品安全主体责任情况检查):
# a chart shows up to this many, the last an ellipsis, the tooltip and the tables the whole name.
ITEM_LABEL_CHARS = 14


def elide(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the last one an ellipsis when anything was cut."""
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def short_labels(names: list[str], limit: int) -> list[str]:
    """Elided names, kept distinct: a category axis refuses two equal labels."""
    out: list[str] = []
    for name in names:
        label, n = elide(name, limit), 1
        while label in out:
            n += 1
            suffix = f"（{n}）"
            label = elide(name, limit - len(suffix)) + suffix
        out.append(label)
    return out


def bands(low: int, high: int, count: int = 8) -> list[tuple[int, int]]:
    """Histogram bands over counts in [low, high] (counts ≥ 1), at most `count` of them.

    The width is round (1, 2, 5 × 10ⁿ) and bands start at a multiple of it plus
    one (1–50, 51–100 …), so labels read as a clerk would write them; they start
    near the smallest count rather than at 1, so a year where everyone did
    250–400 inspections does not open with five empty bars.
    """
    low = max(low, 1)
    if high < low:
        return []
    width = 1
    while True:
        for w in (width, 2 * width, 5 * width):
            start = low - (low - 1) % w
            if (high - start) // w + 1 <= count:
                return [(lo, lo + w - 1) for lo in range(start, high + 1, w)]
        width *= 10
