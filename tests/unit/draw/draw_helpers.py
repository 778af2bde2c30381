"""Small manifests and one-call draws shared by the draw tests."""

from __future__ import annotations

from typing import Any

from app.draw.engine import run_draw
from app.draw.protocol import canonical
from app.draw.validate import build_manifest

NONCE = bytes(range(32))
DISTRICTS = ("371502", "371503", "371521")


def pool_member(iid: str, department: str = "SCJ", district: str = "371502", load: int = 0):
    return {"id": iid, "department": department, "district": district, "load": load}


def make_manifest(
    *,
    candidates: list[list[str]] | None = None,
    strata: list[dict[str, Any]] | None = None,
    pool: list[dict[str, Any]] | None = None,
    team_size: int = 1,
    per_department_min: dict[str, int] | None = None,
    max_load: int | None = None,
    district_rule: str = "any",
    excluded_pairs: list[list[str]] | None = None,
    batches: int = 1,
) -> dict[str, Any]:
    """A valid manifest; by default 30 candidates in A/B, 4 inspectors of one department."""
    if candidates is None:
        candidates = [[f"C{i:03d}", "AB"[i % 2], DISTRICTS[i % len(DISTRICTS)]] for i in range(30)]
    if strata is None:
        strata = [{"name": "A", "ratio_bp": 2000}, {"name": "B", "count": 4}]
    if pool is None:
        pool = [pool_member(f"I{j}", district=DISTRICTS[j % 3]) for j in range(4)]
    return build_manifest(
        task={"code": "TEST-1", "title": "测试任务", "items": ["食品经营"], "departments": []},
        strata=strata,
        candidates=candidates,
        pool=pool,
        team_size=team_size,
        per_department_min=per_department_min,
        max_load=max_load,
        district_rule=district_rule,
        excluded_pairs=excluded_pairs or [],
        batches=batches,
    )


def draw(
    manifest: dict[str, Any], digits: tuple[str, ...] = ("123456",), nonce: bytes = NONCE
) -> dict[str, Any]:
    witnesses = [{"name": f"见证人{k}", "digits": d} for k, d in enumerate(digits, start=1)]
    return run_draw(canonical(manifest), witnesses, nonce, "dualrandom test")
