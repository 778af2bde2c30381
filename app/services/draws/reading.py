"""Reading a stored attempt back: its manifest checked against its hash, its outcome named.

Helpers of app.services.draws.ceremony, inside the caller's Session (one per step).
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from app.draw.documents import ManifestHead, manifest_head, result_doc
from app.draw.protocol import gc_paused, sha256_hex
from app.draw.validate import Manifest, parse_json_bytes, validate_manifest
from app.models.draws import DrawAttempt
from app.services.draws import lookup as draw_lookup
from app.services.draws.attempts import DrawError, Outcome


def load_checked(attempt: DrawAttempt, task_code: str) -> tuple[Manifest, ManifestHead]:
    """The stored manifest, checked once against its stored hash and the protocol."""
    data, stored_hash = attempt.manifest, attempt.manifest_hash
    if sha256_hex(data) != stored_hash:
        raise DrawError(f"任务“{task_code}”存档的抽取清单与其哈希不符，数据可能已损坏")
    with gc_paused():
        full = parse_json_bytes(data)
        checked = validate_manifest(full, manifest_hash=stored_hash)
        head = manifest_head(full)
        del full
    return checked, head


def read_outcome(s: Session, attempt: DrawAttempt, head: ManifestHead) -> Outcome | None:
    """The stored result with the names behind its ids (None before computing)."""
    if attempt.result is None:
        return None
    data = attempt.result.result
    result = result_doc(json.loads(data))
    names = draw_lookup.draw_names(s, head, result)
    return Outcome(result, data, attempt.result.result_hash, names)
