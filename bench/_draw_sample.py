"""A synthetic draw (no database) for the projector's benchmark and screenshots."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from typing import Any

from app.domain.ceremony import (
    DepartmentLine,
    DrawNames,
    InspectorName,
    ItemLine,
    TaskDescription,
    stratum_populations,
)
from app.domain.uscc import make_code
from app.draw.engine import result_hash, run_draw
from app.draw.protocol import canonical, nonce_commitment, sha256_hex
from app.draw.validate import build_manifest
from app.services.draws.display import (
    CommitmentView,
    OutcomeView,
    WitnessLine,
    commitment_view,
    decoy_names,
    outcome_view,
    witness_lines,
)

DIVISIONS = ("371502", "371503", "371521", "371522", "371524", "371525")
TOWNS = ("东昌府区", "阳谷县", "莘县", "茌平区", "东阿县", "冠县", "高唐县", "临清市")
TRADES = ("商贸", "餐饮", "建材", "农资", "食品", "五金", "副食品", "物流", "医药", "粮油")
SUFFIXES = ("有限公司", "有限责任公司", "经营部", "专业合作社", "便利店", "超市")
SURNAMES = "王张李刘杨赵孙陈徐马高朱郭于宋韩董田"
GIVEN = ("伟", "芳", "建国", "志强", "海燕", "晓东", "秀英", "玉兰", "文杰", "红霞", "子涵")
DEPTS = {"SCJGJ": "市场监督管理局", "YJJ": "应急管理局", "WJW": "卫生健康委员会"}


@dataclass
class SampleDraw:
    manifest: dict[str, Any]
    manifest_hash: str
    commitment: str
    result: dict[str, Any]
    result_hash: str
    task: TaskDescription
    names: DrawNames
    witnesses: list[dict[str, str]]

    def commitment_view(self) -> CommitmentView:
        return commitment_view(
            self.manifest,
            stratum_populations(self.manifest),
            self.manifest_hash,
            self.commitment,
            self.task,
            self.names,
        )

    def witness_lines(self) -> tuple[WitnessLine, ...]:
        return witness_lines(self.witnesses)

    def outcome_view(self) -> OutcomeView:
        return outcome_view(
            self.result, self.result_hash, self.task, self.names, self.manifest["batches"]
        )

    def decoys(self) -> tuple[str, ...]:
        return decoy_names(list(self.names.targets.values())[:5000])


def sample_draw(candidates: int = 5000, inspectors: int = 60, seed: int = 7) -> SampleDraw:
    rng = random.Random(seed)
    rows, names = [], {}
    for i in range(candidates):
        division = DIVISIONS[i % len(DIVISIONS)]
        code = make_code("1", division, f"{i:08d}")
        stratum = rng.choice("AABBBCD")
        rows.append((code, stratum, division))
        names[code] = (
            f"聊城市{rng.choice(TOWNS)}{rng.choice(TRADES)}{i % 997}{rng.choice(SUFFIXES)}"
        )
    pool, people = [], {}
    for k in range(inspectors):
        dept = list(DEPTS)[k % 3]
        iid = f"ZF{k:05d}"
        pool.append({"id": iid, "department": dept, "district": DIVISIONS[k % 6], "load": 0})
        people[iid] = InspectorName(rng.choice(SURNAMES) + rng.choice(GIVEN), DEPTS[dept])
    task = TaskDescription(
        code="LC-LH-2026-003",
        title="2026 年食品经营者与特种设备使用单位联合抽查（第一批）",
        plan_code="LC-LH-2026",
        plan_title="聊城市 2026 年度部门联合抽查计划",
        is_joint=True,
        items=(
            ItemLine("SC-001", "食品经营者经营条件检查", "市场监督管理局"),
            ItemLine("SC-014", "特种设备使用单位安全管理检查", "市场监督管理局"),
            ItemLine("YJ-003", "危险化学品经营单位安全检查", "应急管理局"),
            ItemLine("WJ-007", "公共场所卫生监督检查", "卫生健康委员会"),
        ),
        departments=tuple(DepartmentLine(c, n, 1 if c != "WJW" else 0) for c, n in DEPTS.items()),
        scope=("行政区划：聊城市全域", "登记状态：存续、在业"),
        period="2026-04-01 至 2026-06-30",
        organiser="聊城市市场监督管理局",
    )
    manifest = build_manifest(
        task={
            "code": task.code,
            "title": task.title,
            "items": [i.code for i in task.items],
            "departments": list(DEPTS),
        },
        strata=[
            {"name": "A", "ratio_bp": 300},
            {"name": "B", "ratio_bp": 500},
            {"name": "C", "ratio_bp": 1000},
            {"name": "D", "count": 40},
        ],
        candidates=rows,
        pool=pool,
        team_size=2,
        per_department_min={"SCJGJ": 1},
    )
    mhash = sha256_hex(canonical(manifest))
    nonce = os.urandom(32)
    witnesses = [
        {"name": "李建国", "unit": "市人大代表", "digits": "0381945562"},
        {"name": "王秀英", "unit": "市政协委员", "digits": "778120349912"},
        {"name": "赵晓东", "unit": "企业代表", "digits": "20260401"},
    ]
    result = run_draw(manifest, witnesses, nonce, "dualrandom 0.1.0")
    return SampleDraw(
        manifest=manifest,
        manifest_hash=mhash,
        commitment=nonce_commitment(nonce),
        result=result,
        result_hash=result_hash(result),
        task=task,
        names=DrawNames(names, people, DEPTS),
        witnesses=witnesses,
    )
