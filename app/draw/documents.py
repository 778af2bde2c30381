"""DRAW-1's two documents as types: what services and views may read from them.

The manifest (section 3) and the result (section 10) travel as parsed JSON,
because their bytes are the record and must be hashed exactly as stored.
These TypedDicts name every field the protocol defines, so code outside
app/draw reads `result["targets"]` with its type known and a mistyped key is
an error under mypy, without copying a million-row document into objects.
Treat them as read-only: a change would no longer be what was hashed.

Standard library only, like the rest of app/draw; verify.py does not use it
(it must stay a single file anyone can read alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, cast


class TaskHeader(TypedDict):
    code: str
    title: str
    items: list[str]
    departments: list[str]


class StratumRule(TypedDict, total=False):
    name: str
    ratio_bp: int
    count: int


class PoolEntry(TypedDict):
    id: str
    department: str
    district: str
    load: int


class InspectorRules(TypedDict):
    team_size: int
    per_department_min: dict[str, int]
    max_load: int | None
    district_rule: str
    pool: list[PoolEntry]
    excluded_pairs: list[list[str]]


class ManifestHead(TypedDict):
    """A manifest without its `candidates` (section 3): what screens and records need."""

    protocol: str
    task: TaskHeader
    strata: list[StratumRule]
    batches: int
    inspectors: InspectorRules


class ManifestDoc(ManifestHead):
    candidates: list[list[str]]  # [id, stratum, district], sorted by id


class WitnessEntry(TypedDict):
    name: str
    digits: str


class StratumOutcome(TypedDict):
    name: str
    candidates: int
    selected: int
    threshold: str | None


class DrawnTarget(TypedDict):
    id: str
    stratum: str
    rank: int
    batch: int
    ticket: str


class AbortedAttempt(TypedDict):
    nonce_commitment: str
    at: str
    reason: str


class ResultDoc(TypedDict):
    """Section 10: the result document, exactly as stored."""

    protocol: str
    manifest_hash: str
    nonce_commitment: str
    nonce: str
    witnesses: list[WitnessEntry]
    seed: str
    strata: list[StratumOutcome]
    targets: list[DrawnTarget]
    teams: dict[str, list[str]]
    missing: dict[str, dict[str, int]]
    aborted_attempts: list[AbortedAttempt]
    software: str


def result_doc(parsed: Mapping[str, Any]) -> ResultDoc:
    """A parsed result as its type (the engine and the stored bytes produce exactly this)."""
    return cast(ResultDoc, parsed)


def manifest_doc(parsed: Mapping[str, Any]) -> ManifestDoc:
    return cast(ManifestDoc, parsed)


def manifest_head(manifest: Mapping[str, Any]) -> ManifestHead:
    """The manifest without its candidate list (kept out of reach of the collector)."""
    return cast(ManifestHead, {k: v for k, v in manifest.items() if k != "candidates"})
