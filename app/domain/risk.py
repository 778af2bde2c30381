"""信用风险分类: A low … D high; empty means 未分类 (its own stratum in a draw)."""

from __future__ import annotations

from app.domain.errors import UserError

RISK_CLASSES: tuple[str, ...] = ("A", "B", "C", "D")
UNCLASSIFIED = "未分类"
RISK_LABELS: dict[str, str] = {"A": "低风险", "B": "一般风险", "C": "较高风险", "D": "高风险"}

_ALIASES: dict[str, str] = {
    **{c: c for c in RISK_CLASSES},
    **{label: c for c, label in RISK_LABELS.items()},
    **{f"{c}类": c for c in RISK_CLASSES},
    **{f"{label}（{c}类）": c for c, label in RISK_LABELS.items()},
    **{f"{label}({c}类)": c for c, label in RISK_LABELS.items()},
}


class UnknownRiskClass(UserError, ValueError):
    pass


def parse_risk_class(value: object) -> str | None:
    """'A'…'D', the Chinese labels or empty (→ None = 未分类); anything else raises."""
    if value is None:
        return None
    text = str(value).strip().upper()
    if not text or text == UNCLASSIFIED:
        return None
    if text in _ALIASES:
        return _ALIASES[text]
    raise UnknownRiskClass(
        f"未知的信用风险分类“{value}”，应为 A/B/C/D 或 低风险/一般风险/较高风险/高风险"
    )


def stratum_name(risk_class: str | None) -> str:
    """The DRAW-1 stratum a target belongs to."""
    return risk_class or UNCLASSIFIED
