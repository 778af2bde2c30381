"""DRAW-1 engine speed: draw + result, verification, and the hashing floor.

    python bench/draw_engine.py [--sizes 100000 1000000] [--runs 3]

For each size a synthetic manifest is built deterministically: 4 strata
(A 60 % at 3 %, B 25 % at 5 %, C 10 % at 10 %, D 5 % at 19 % — 5 % overall),
600 inspectors in 2 departments, teams of 2 with one from each department,
2,000 excluded pairs. Timed, median of --runs:

- draw+result: manifest file bytes -> checked manifest -> result -> canonical
  result bytes and result_hash (what `dualrandom draw --manifest` does);
- verify: the standalone verifier on the manifest bytes and the result bytes;
- floor: plain hashlib.sha256 over the same "seed|T|id" messages, prebuilt as
  bytes, i.e. the unavoidable cost of one ticket per candidate.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.draw import verify
from app.draw.assign import assign_inspectors
from app.draw.engine import result_bytes, run_draw
from app.draw.protocol import canonical, compute_seed, gc_paused, sha256_hex, target_tickets
from app.draw.select import select_targets
from app.draw.validate import (
    build_manifest,
    load_manifest_bytes,
    parse_json_bytes,
    validate_manifest,
)

DISTRICTS = ("371502", "371503", "371521", "371522", "371524", "371525", "371526", "371581")
STRATA = (("A", 300, 60), ("B", 500, 25), ("C", 1000, 10), ("D", 1900, 5))  # name, bp, share %
WITNESSES = [{"name": "见证人甲", "digits": "031415"}, {"name": "见证人乙", "digits": "271828"}]
NONCE = bytes(range(32))
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the USCC alphabet


def make_manifest_bytes(size: int) -> bytes:
    rng = random.Random(size)
    cutoffs = []
    total = 0
    for _, _, share in STRATA:
        total += share
        cutoffs.append(size * total // 100)
    candidates = []
    stratum = 0
    for i in range(size):
        while i >= cutoffs[stratum]:
            stratum += 1
        body = "".join(rng.choice(CODE_CHARS) for _ in range(9))
        district = DISTRICTS[i % len(DISTRICTS)]
        candidates.append([f"91{district}{body}{i % 10}", STRATA[stratum][0], district])
    pool = [
        {
            "id": f"ZF{j:05d}",
            "department": "SCJGJ" if j % 2 else "YJJ",
            "district": DISTRICTS[j % len(DISTRICTS)],
            "load": rng.randrange(3),
        }
        for j in range(600)
    ]
    pairs = {(rng.choice(pool)["id"], rng.choice(candidates)[0]) for _ in range(2000)}
    manifest = build_manifest(
        task={"code": f"BENCH-{size}", "title": "基准测试", "items": [], "departments": []},
        strata=[{"name": name, "ratio_bp": bp} for name, bp, _ in STRATA],
        candidates=candidates,
        pool=pool,
        team_size=2,
        per_department_min={"SCJGJ": 1, "YJJ": 1},
        excluded_pairs=pairs,
    )
    return canonical(manifest)


CPU: list[float] = []  # CPU seconds of the last timed() call, beside its wall time


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time over runs. Its CPU time goes to CPU[-1]: on a shared
    machine the wall time includes waiting for a core, CPU time does not."""
    times, cpu = [], []
    value = None
    for _ in range(runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        value = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU.append(statistics.median(cpu))
    return statistics.median(times), value


def draw_and_result(data: bytes) -> tuple[bytes, str]:
    result = run_draw(load_manifest_bytes(data), WITNESSES, NONCE, "bench")
    out = result_bytes(result)
    return out, sha256_hex(out)


def verify_bytes(manifest: bytes, result: bytes) -> bool:
    return verify.check(manifest, verify.load_json(result)).verified


def bench(size: int, runs: int) -> None:
    start = time.perf_counter()
    data = make_manifest_bytes(size)
    print(
        f"\n== {size:,} candidates ({len(data) / 1e6:.1f} MB manifest, built in "
        f"{time.perf_counter() - start:.1f} s) =="
    )

    # phases, to show where the time goes (collector paused, as in the engine)
    obj = parse_json_bytes(data)
    phases: list[tuple[str, float]] = []
    paused = gc_paused()
    paused.__enter__()
    t, _ = timed(lambda: parse_json_bytes(data), runs)
    phases.append(("parse JSON", t))
    t, _ = timed(lambda: canonical(obj) == data, runs)
    phases.append(("canonical check", t))
    t, manifest = timed(lambda: validate_manifest(obj, sha256_hex(data)), runs)
    phases.append(("rules + manifest_hash", t))
    seed = compute_seed(manifest.hash, [w["digits"] for w in WITNESSES], NONCE)
    t, _ = timed(lambda: target_tickets(seed, manifest.candidate_ids), runs)
    phases.append(("target tickets", t))
    t, (outcomes, targets) = timed(lambda: select_targets(manifest, seed), runs)
    phases.append(("selection (incl. tickets)", t))
    pairs = [(x.id, x.district) for x in targets]
    t, _ = timed(lambda: assign_inspectors(manifest, seed, pairs), runs)
    phases.append(("assignment", t))
    paused.__exit__(None, None, None)
    phase_cpu = CPU[-len(phases) :]
    print(f"  {'phase':<28}{'wall':>8}  {'cpu':>8}")
    for (name, seconds), cpu in zip(phases, phase_cpu, strict=True):
        print(f"  {name:<28}{seconds:8.3f}  {cpu:8.3f} s")

    t_draw, (out, digest) = timed(lambda: draw_and_result(data), runs)
    c_draw = CPU[-1]
    t_verify, ok = timed(lambda: verify_bytes(data, out), runs)
    c_verify = CPU[-1]
    messages = [f"{seed}|T|{cid}".encode() for cid in manifest.candidate_ids]
    sha = hashlib.sha256
    t_floor, _ = timed(lambda: [sha(m).digest() for m in messages], runs)
    c_floor = CPU[-1]
    selected = sum(o.selected for o in outcomes)
    print(
        f"  selected {selected:,} targets; result {len(out) / 1e6:.1f} MB, "
        f"result_hash {digest[:16]}…; verifier says {'VERIFIED' if ok else 'FAILED'}"
    )
    print(f"  draw+result                 {t_draw:8.3f}  {c_draw:8.3f} s")
    print(f"  verify                      {t_verify:8.3f}  {c_verify:8.3f} s")
    print(f"  hashlib floor               {t_floor:8.3f}  {c_floor:8.3f} s")
    print(f"  ratio draw/floor            {t_draw / t_floor:8.1f}  {c_draw / c_floor:8.1f}")
    print(f"  ratio verify/floor          {t_verify / t_floor:8.1f}  {c_verify / c_floor:8.1f}")
    t_tickets, c_tickets = phases[3][1], phase_cpu[3]
    print(f"  ratio tickets/floor         {t_tickets / t_floor:8.2f}  {c_tickets / c_floor:8.2f}")
    if not ok:
        raise SystemExit("the verifier rejected the engine's result")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}")
    for size in args.sizes:
        bench(size, args.runs)


if __name__ == "__main__":
    main()
