"""What the projector shows, built from a draw's manifest, result and names.

Pure: no database, no Qt. The console builds these values from what the
drawing service returns and hands them to the projector, which only paints.
Only public data goes in: task, items, departments, pool sizes and rules,
hashes, witnesses' names and digits, enterprises' names and codes, and the
inspectors' names and departments (never phone numbers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import segno

from app.domain.ceremony import (
    DISTRICT_RULE_LABELS,
    DrawNames,
    TaskDescription,
    commitment_qr_text,
    planned_count,
    rule_text,
    short_result_qr_text,
    stratum_title,
)
from app.draw.documents import ManifestHead, ResultDoc

QrMatrix = tuple[bytes, ...]  # rows of 0/1 modules, no quiet zone


def qr_matrix(text: str) -> QrMatrix:
    """The QR code of `text` (error correction M) as rows of 0/1 bytes."""
    code = segno.make(text, error="m", micro=False, boost_error=False)
    return tuple(bytes(row) for row in code.matrix)


@dataclass(frozen=True)
class StratumLine:
    name: str
    title: str  # 'A 类（低风险）'
    candidates: int
    rule: str  # '按 3% 抽取'
    planned: int  # n, known before the draw


@dataclass(frozen=True)
class CommitmentView:
    """Stage 1: the task, its pool and rules, the commitment in large type."""

    task_code: str
    task_title: str
    plan_title: str
    items: tuple[str, ...]
    departments: tuple[str, ...]
    strata: tuple[StratumLine, ...]
    total_candidates: int
    eligible_inspectors: int
    team_rule: str
    manifest_hash: str
    nonce_commitment: str
    qr: QrMatrix


@dataclass(frozen=True)
class WitnessLine:
    position: int
    name: str
    unit: str
    digits: str


@dataclass(frozen=True)
class TeamMember:
    name: str
    department: str
    lead: bool


@dataclass(frozen=True)
class RevealEntry:
    rank: int
    batch: int
    target_id: str
    name: str
    stratum: str
    stratum_title: str
    team: tuple[TeamMember, ...]
    missing: int


@dataclass(frozen=True)
class OutcomeView:
    """Stages 3 and 4: the targets in reveal order, then the seed and result hash."""

    task_code: str
    task_title: str
    entries: tuple[RevealEntry, ...]  # may be the first few only, while the rest are named
    batches: int
    seed: str
    result_hash: str
    manifest_hash: str
    qr: QrMatrix
    count: int  # every drawn target

    @property
    def total(self) -> int:
        return self.count

    @property
    def complete(self) -> bool:
        return len(self.entries) == self.count


def team_rule_text(manifest: ManifestHead, names: DrawNames) -> str:
    """'每组 2 人；市场监管局至少 1 人；异地交叉检查'."""
    inspectors = manifest["inspectors"]
    parts = [f"每组 {inspectors['team_size']} 人"]
    for code, n in sorted(inspectors["per_department_min"].items()):
        parts.append(f"{names.department(code)}至少 {n} 人")
    rule = inspectors["district_rule"]
    if rule != "any":
        parts.append(DISTRICT_RULE_LABELS.get(rule, rule))
    if inspectors["max_load"] is not None:
        parts.append(f"每人最多 {inspectors['max_load']} 户")
    return "；".join(parts)


def commitment_view(
    manifest: ManifestHead,
    populations: Mapping[str, int],
    manifest_hash: str,
    nonce_commitment: str,
    task: TaskDescription,
    names: DrawNames,
) -> CommitmentView:
    """`manifest` may lack its candidate list: `populations` counts the candidates."""
    strata = tuple(
        StratumLine(
            name=s["name"],
            title=stratum_title(s["name"]),
            candidates=populations.get(s["name"], 0),
            rule=rule_text(s),
            planned=planned_count(populations.get(s["name"], 0), s),
        )
        for s in manifest["strata"]
    )
    return CommitmentView(
        task_code=task.code,
        task_title=task.title,
        plan_title=task.plan_title,
        items=tuple(i.name for i in task.items),
        departments=tuple(d.name for d in task.departments),
        strata=strata,
        total_candidates=sum(populations.values()),
        eligible_inspectors=len(manifest["inspectors"]["pool"]),
        team_rule=team_rule_text(manifest, names),
        manifest_hash=manifest_hash,
        nonce_commitment=nonce_commitment,
        qr=qr_matrix(commitment_qr_text(manifest_hash, nonce_commitment)),
    )


def witness_lines(witnesses: Sequence[Mapping[str, str]]) -> tuple[WitnessLine, ...]:
    """Witnesses as entered: dicts with name, unit and digits (digits are text)."""
    return tuple(
        WitnessLine(k, w.get("name", ""), w.get("unit", ""), w["digits"])
        for k, w in enumerate(witnesses, start=1)
    )


def reveal_entries(result: ResultDoc, names: DrawNames) -> tuple[RevealEntry, ...]:
    teams, missing = result["teams"], result["missing"]
    entries = []
    for t in result["targets"]:
        cid = t["id"]
        team = []
        for k, iid in enumerate(teams.get(cid, [])):
            person = names.inspector(iid)
            team.append(TeamMember(person.name, person.department, k == 0))
        entries.append(
            RevealEntry(
                rank=t["rank"],
                batch=t["batch"],
                target_id=cid,
                name=names.target(cid) or cid,
                stratum=t["stratum"],
                stratum_title=stratum_title(t["stratum"]),
                team=tuple(team),
                missing=sum(missing.get(cid, {}).values()),
            )
        )
    return tuple(entries)


def outcome_view(
    result: ResultDoc,
    result_hash: str,
    task: TaskDescription,
    names: DrawNames,
    batches: int = 1,
    count: int | None = None,
) -> OutcomeView:
    entries = reveal_entries(result, names)
    return OutcomeView(
        task_code=task.code,
        task_title=task.title,
        entries=entries,
        batches=batches,
        seed=result["seed"],
        result_hash=result_hash,
        manifest_hash=result["manifest_hash"],
        qr=qr_matrix(short_result_qr_text(task.code, result_hash)),
        count=len(entries) if count is None else count,
    )


def decoy_names(pool_names: Sequence[str], count: int = 60) -> tuple[str, ...]:
    """Names that roll past before each target settles (decoration, not randomness)."""
    unique = list(dict.fromkeys(n for n in pool_names if n))
    if not unique:
        return ("……",)
    step = max(1, len(unique) // count)
    return tuple(unique[::step][:count])
