"""Write the published test vectors in docs/draw-vectors/.

    python tests/unit/draw/make_vectors.py

Run only when a vector is added: existing vectors are a published record
and test_draw_vectors.py checks the engine against them byte for byte.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from app.draw.engine import result_bytes, result_hash, run_draw  # noqa: E402
from app.draw.protocol import canonical  # noqa: E402
from app.draw.validate import build_manifest  # noqa: E402

OUT = ROOT / "docs" / "draw-vectors"
D1, D2, D3 = "371502", "371521", "371581"  # 东昌府区, 阳谷县, 临清市


def uscc(k: int, district: str) -> str:
    # USCC-shaped ids (the check character is not computed: any id will do)
    return f"92{district}MA{k:08d}"


def member(iid: str, department: str, district: str, load: int = 0) -> dict[str, Any]:
    return {"id": iid, "department": department, "district": district, "load": load}


VECTORS: list[dict[str, Any]] = [
    {
        "about": "比例层与定数层、3 个批次、单一“*”牌堆、一个排除对",
        "manifest": {
            "task": {
                "code": "LC-2026-V01",
                "title": "向量一：食品经营抽查",
                "items": ["食品经营"],
                "departments": ["SCJGJ"],
            },
            "strata": [{"name": "A", "ratio_bp": 2500}, {"name": "B", "count": 3}],
            "candidates": [
                [uscc(k, (D1, D2)[k % 2]), "A" if k < 14 else "B", (D1, D2)[k % 2]]
                for k in range(1, 23)
            ],
            "pool": [member(f"ZF{j:03d}", "SCJGJ", D1) for j in range(1, 6)],
            "team_size": 2,
            "excluded_pairs": [["ZF001", uscc(8, D1)]],
            "batches": 3,
        },
        "witnesses": [{"name": "张伟", "digits": "204815"}, {"name": "王芳", "digits": "771203"}],
        "nonce": "5f3a9c1e7b2d4f60a8c3e5b7d9f1a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6",
    },
    {
        "about": "两个部门各至少 1 人、队伍 3 人、max_load 在中途用尽、缺员",
        "manifest": {
            "task": {
                "code": "LC-2026-V02",
                "title": "向量二：部门联合抽查",
                "items": ["特种设备", "食品生产"],
                "departments": ["SCJGJ", "YJJ"],
            },
            "strata": [{"name": "B", "ratio_bp": 5000}, {"name": "D", "count": 4}],
            "candidates": [[uscc(100 + k, D1), "B" if k % 3 else "D", D1] for k in range(16)],
            "pool": [
                member("SC01", "SCJGJ", D1, 1),
                member("SC02", "SCJGJ", D1),
                member("SC03", "SCJGJ", D1),
                member("YJ01", "YJJ", D1),
                member("YJ02", "YJJ", D1, 2),
            ],
            "team_size": 3,
            "per_department_min": {"SCJGJ": 1, "YJJ": 1},
            "max_load": 4,
            "excluded_pairs": [["YJ01", uscc(100, D1)], ["YJ01", uscc(101, D1)]],
            "batches": 1,
        },
        "witnesses": [{"name": "李娜", "digits": "000000"}],
        "nonce": "0000000000000000000000000000000000000000000000000000000000000001",
    },
    {
        "about": "district_rule same：按区划分牌堆 k@x；一个区划没有检查人员",
        "manifest": {
            "task": {
                "code": "LC-2026-V03",
                "title": "向量三：属地检查",
                "items": ["价格"],
                "departments": ["SCJGJ"],
            },
            "strata": [{"name": "A", "ratio_bp": 3000}, {"name": "未分类", "ratio_bp": 10000}],
            "candidates": [
                [
                    uscc(200 + k, (D1, D2, D3)[k % 3]),
                    "A" if k < 15 else "未分类",
                    (D1, D2, D3)[k % 3],
                ]
                for k in range(18)
            ],
            "pool": [member(f"P{j}", "SCJGJ", (D1, D2)[j % 2]) for j in range(6)],
            "team_size": 2,
            "per_department_min": {"SCJGJ": 1},
            "district_rule": "same",
            "excluded_pairs": [],
            "batches": 2,
        },
        "witnesses": [{"name": "刘洋", "digits": "31415926535897932384626433832795"}],
        "nonce": "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    },
    {
        "about": "异地交叉（different）、前导零见证数字、空层、比例 0、批次多于抽中数",
        "manifest": {
            "task": {
                "code": "LC-2026-V04",
                "title": "向量四：异地交叉检查",
                "items": ["广告"],
                "departments": ["SCJGJ"],
            },
            "strata": [
                {"name": "A", "ratio_bp": 0},
                {"name": "C", "count": 5},
                {"name": "D", "ratio_bp": 700},
            ],
            "candidates": [
                [uscc(300 + k, (D1, D2, D3)[k % 3]), "AC"[k % 2], (D1, D2, D3)[k % 3]]
                for k in range(12)
            ],
            "pool": [member(f"X{j}", "SCJGJ", (D1, D2, D3)[j % 3], j % 2) for j in range(5)],
            "team_size": 2,
            "district_rule": "different",
            "excluded_pairs": [["X1", uscc(301, D2)], ["X4", uscc(301, D2)]],
            "batches": 8,
        },
        "witnesses": [
            {"name": "赵敏", "digits": "007007"},
            {"name": "孙强", "digits": "0000123456"},
        ],
        "nonce": "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
    },
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    summary = []
    for number, vector in enumerate(VECTORS, start=1):
        spec = dict(vector["manifest"])
        manifest = build_manifest(**spec)
        data = canonical(manifest)
        nonce = bytes.fromhex(vector["nonce"])
        result = run_draw(data, vector["witnesses"], nonce, "dualrandom 0.1.0")
        stem = f"vector-{number:02d}"
        (OUT / f"{stem}-manifest.json").write_bytes(data)
        inputs = {
            "about": vector["about"],
            "witnesses": vector["witnesses"],
            "nonce": vector["nonce"],
        }
        (OUT / f"{stem}-input.json").write_bytes(canonical(inputs))
        (OUT / f"{stem}-result.json").write_bytes(result_bytes(result))
        summary.append((stem, result["manifest_hash"], result["seed"], result_hash(result)))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
