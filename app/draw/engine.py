"""Sections 4–10 put together: from a checked manifest and the inputs to the result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.draw.assign import assign_inspectors
from app.draw.protocol import (
    PROTOCOL,
    DrawInputError,
    canonical,
    check_nonce,
    check_witness_digits,
    compute_seed,
    gc_paused,
    nonce_commitment,
    sha256_hex,
)
from app.draw.select import select_targets
from app.draw.validate import Manifest, load_manifest_bytes, validate_manifest

ABORTED_KEYS = frozenset({"nonce_commitment", "at", "reason"})


@dataclass(frozen=True, slots=True)
class Witness:
    name: str
    digits: str


WitnessLike = Witness | Mapping[str, str] | tuple[str, str]


def _is_text(value: object) -> bool:
    """A str with a UTF-8 form (no lone surrogates), so the result has canonical bytes."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _witnesses(witnesses: Sequence[WitnessLike]) -> list[Witness]:
    out: list[Witness] = []
    for position, w in enumerate(witnesses, start=1):
        if isinstance(w, Witness):
            item = w
        elif isinstance(w, Mapping):
            item = Witness(w.get("name", ""), w.get("digits", ""))
        else:
            item = Witness(*w)
        check_witness_digits(item.digits, position)
        if not _is_text(item.name):
            raise DrawInputError(f"第 {position} 位见证人的姓名必须是可用 UTF-8 表示的文字")
        out.append(item)
    if not out:
        raise DrawInputError("至少需要一位见证人输入数字")
    return out


def _aborted(attempts: Sequence[Mapping[str, object]]) -> list[dict[str, str]]:
    out = []
    for k, attempt in enumerate(attempts, start=1):
        if set(attempt) != ABORTED_KEYS or not all(map(_is_text, attempt.values())):
            raise DrawInputError(
                f"作废记录第 {k} 项必须恰好含 nonce_commitment、at、reason 三个文字字段"
            )
        out.append({key: str(value) for key, value in attempt.items()})
    return out


def as_manifest(manifest: Manifest | Mapping[str, Any] | bytes) -> Manifest:
    """Accept a checked manifest, its parsed JSON, or its file bytes."""
    if isinstance(manifest, Manifest):
        return manifest
    if isinstance(manifest, bytes | bytearray):
        return load_manifest_bytes(bytes(manifest))
    return validate_manifest(manifest)


def run_draw(
    manifest: Manifest | Mapping[str, Any] | bytes,
    witnesses: Sequence[WitnessLike],
    nonce: bytes,
    software: str,
    aborted_attempts: Sequence[Mapping[str, object]] = (),
) -> dict[str, Any]:
    """The result document of section 10 (a plain JSON-ready dict)."""
    if not _is_text(software):
        raise DrawInputError("software 必须是可用 UTF-8 表示的文字")
    with gc_paused():
        return _run(as_manifest(manifest), witnesses, nonce, software, aborted_attempts)


def _run(
    checked: Manifest,
    witnesses: Sequence[WitnessLike],
    nonce: bytes,
    software: str,
    aborted_attempts: Sequence[Mapping[str, object]],
) -> dict[str, Any]:
    check_nonce(nonce)
    people = _witnesses(witnesses)
    seed = compute_seed(checked.hash, [w.digits for w in people], nonce)
    outcomes, targets = select_targets(checked, seed)
    assignment = assign_inspectors(checked, seed, ((t.id, t.district) for t in targets))
    return {
        "protocol": PROTOCOL,
        "manifest_hash": checked.hash,
        "nonce_commitment": nonce_commitment(nonce),
        "nonce": nonce.hex(),
        "witnesses": [{"name": w.name, "digits": w.digits} for w in people],
        "seed": seed,
        "strata": [
            {
                "name": o.name,
                "candidates": o.candidates,
                "selected": o.selected,
                "threshold": o.threshold.hex() if o.threshold is not None else None,
            }
            for o in outcomes
        ],
        "targets": [
            {
                "id": t.id,
                "stratum": t.stratum,
                "rank": t.rank,
                "batch": t.batch,
                "ticket": t.ticket.hex(),
            }
            for t in targets
        ],
        "teams": assignment.teams,
        "missing": assignment.missing,
        "aborted_attempts": _aborted(aborted_attempts),
        "software": software,
    }


def result_bytes(result: Mapping[str, Any]) -> bytes:
    """The stored form of a result."""
    return canonical(result)


def result_hash(result: Mapping[str, Any]) -> str:
    """Printed on the draw record and in its QR code."""
    return sha256_hex(canonical(result))
