"""随机抽取 as people see it: the public description of a task and the names behind ids.

Plain values shared by the projector, the draw record PDF and the services
that fill them from the database. Nothing here reads a database or draws a
pixel; nothing here is personal data beyond what is public (an inspector's
name and department, an enterprise's name and code — never a phone number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.domain.risk import RISK_LABELS, UNCLASSIFIED

DISTRICT_RULE_LABELS = {"any": "不限", "same": "本区划人员", "different": "异地交叉检查"}


class AttemptState(StrEnum):
    """Where one draw attempt of a task stands; stable codes stored in the database."""

    COMMITTED = "committed"  # manifest and nonce commitment stored, no witness yet
    WITNESSING = "witnessing"  # at least one witness's digits stored
    COMPUTED = "computed"  # seed and result stored: the task's result of record
    ABORTED = "aborted"  # abandoned before computing, with a reason
    SUPERSEDED = "superseded"  # a computed result replaced by a confirmed second draw

    @property
    def label(self) -> str:
        return _ATTEMPT_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still waiting for witnesses or the computation: at most one per task."""
        return self in (AttemptState.COMMITTED, AttemptState.WITNESSING)


_ATTEMPT_LABELS = {
    AttemptState.COMMITTED: "已承诺，待见证人输入",
    AttemptState.WITNESSING: "见证人输入中",
    AttemptState.COMPUTED: "已抽取",
    AttemptState.ABORTED: "已作废",
    AttemptState.SUPERSEDED: "已被重新抽取取代",
}
OPEN_STATES: tuple[str, ...] = (AttemptState.COMMITTED.value, AttemptState.WITNESSING.value)


@dataclass(frozen=True)
class ItemLine:
    """抽查事项 of a task, as listed on the projector and the record."""

    code: str
    name: str
    department: str = ""


@dataclass(frozen=True)
class DepartmentLine:
    """参与部门 and the fewest of its inspectors on every team."""

    code: str
    name: str
    min_inspectors: int = 0


@dataclass(frozen=True)
class TaskDescription:
    """What the audience and the record are told about a task (public data only)."""

    code: str
    title: str
    plan_code: str = ""
    plan_title: str = ""
    is_joint: bool = False
    items: tuple[ItemLine, ...] = ()
    departments: tuple[DepartmentLine, ...] = ()
    scope: tuple[str, ...] = ()  # 检查对象范围, one readable line per condition
    period: str = ""  # 计划检查时间
    organiser: str = ""  # 组织单位


@dataclass(frozen=True)
class InspectorName:
    name: str
    department: str


@dataclass(frozen=True)
class DrawNames:
    """Names behind the ids of a manifest and its result."""

    targets: Mapping[str, str] = field(default_factory=dict)  # candidate id → 名称
    inspectors: Mapping[str, InspectorName] = field(default_factory=dict)
    departments: Mapping[str, str] = field(default_factory=dict)  # code → 名称

    def target(self, cid: str) -> str:
        return self.targets.get(cid, "")

    def inspector(self, iid: str) -> InspectorName:
        return self.inspectors.get(iid) or InspectorName(iid, "")

    def department(self, code: str) -> str:
        if code == "*":
            return "不限部门"
        return self.departments.get(code, code)


def stratum_title(name: str) -> str:
    """'B' → 'B 类（一般风险）'; 未分类 stays as it is."""
    if name == UNCLASSIFIED or name not in RISK_LABELS:
        return name
    return f"{name} 类（{RISK_LABELS[name]}）"


def percent_text(ratio_bp: int) -> str:
    """500 → '5%', 250 → '2.5%', 1 → '0.01%' (exact; basis points are integers)."""
    whole, frac = divmod(ratio_bp, 100)
    return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0") + "%"


def rule_text(stratum: Mapping[str, Any]) -> str:
    """A manifest stratum's sampling rule in words."""
    if stratum.get("ratio_bp") is not None:
        return f"按 {percent_text(int(stratum['ratio_bp']))} 抽取"
    return f"固定抽取 {stratum['count']} 户"


def planned_count(population: int, stratum: Mapping[str, Any]) -> int:
    """DRAW-1 section 8 n for a stratum, known before the draw."""
    if stratum.get("ratio_bp") is not None:
        return min(population, (population * int(stratum["ratio_bp"]) + 9999) // 10000)
    return min(population, int(stratum["count"]))


def probability_text(selected: int, candidates: int) -> str:
    """'154/5120（约 3.01%）': the exact fraction first, then a rounded percentage."""
    if candidates == 0:
        return "0/0"
    pct = selected * 100 / candidates
    return f"{selected}/{candidates}（约 {pct:.2f}%）"


def hex_groups(hex_text: str, size: int = 4) -> str:
    """'ab12cd34…' → 'ab12 cd34 …': easier to read aloud and compare by eye."""
    return " ".join(hex_text[i : i + size] for i in range(0, len(hex_text), size))


def hex_lines(hex_text: str, per_line: int = 32, size: int = 4) -> list[str]:
    """A 64-hex hash as two grouped lines (large type on the projector and the record)."""
    return [hex_groups(hex_text[i : i + per_line], size) for i in range(0, len(hex_text), per_line)]


def stratum_populations(manifest: Mapping[str, Any]) -> dict[str, int]:
    """Candidates per stratum, counted from the manifest."""
    counts: dict[str, int] = {s["name"]: 0 for s in manifest["strata"]}
    for candidate in manifest["candidates"]:
        counts[candidate[1]] = counts.get(candidate[1], 0) + 1
    return counts


def commitment_qr_text(manifest_hash: str, nonce_commitment: str) -> str:
    """What the commitment QR code carries: both values, labelled."""
    return f"DRAW-1 manifest_hash={manifest_hash} nonce_commitment={nonce_commitment}"


def short_result_qr_text(task_code: str, result_hash: str) -> str:
    """The projector's QR code: small enough to scan from a few rows back."""
    return f"DRAW-1 {task_code} result_hash={result_hash}"


def result_qr_text(task_code: str, result_hash: str, manifest_hash: str) -> str:
    """What the result QR code carries: enough to find and check the published files."""
    return (
        f"DRAW-1 task={task_code} result_hash={result_hash} manifest_hash={manifest_hash} "
        "verify: python verify.py manifest.json result.json"
    )
