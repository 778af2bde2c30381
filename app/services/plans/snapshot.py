"""A plan as plain data: the snapshot stored with each version, and its comparison.

The snapshot is JSON with integers and strings only, hashed like a DRAW-1
manifest (canonical bytes, SHA-256), so a published plan can be checked
against the stored version byte for byte.
"""

from __future__ import annotations

from typing import Any

from app.domain.planning import (
    STRATA,
    DistrictRule,
    InitiatorLevel,
    PlanKind,
    format_ratio,
    stratum_label,
)
from app.draw.protocol import canonical, sha256_hex
from app.models.plans import AnnualPlan, SamplingTask
from app.services.plans.values import DiffRow

SNAPSHOT_FORMAT = 1


def task_snapshot(task: SamplingTask) -> dict[str, Any]:
    return {
        "code": task.code,
        "title": task.title,
        "is_joint": task.is_joint,
        "initiator_level": str(task.initiator_level),
        "items": [
            {
                "code": i.code,
                "name": i.name,
                "department": i.department.code,
                "category": str(i.category),
                "ratio_cap_bp": i.ratio_cap_bp,
            }
            for i in sorted(task.items, key=lambda i: i.code)
        ],
        "departments": [
            {"code": td.department.code, "name": td.department.name, "min": td.min_inspectors}
            for td in sorted(task.departments, key=lambda td: td.department.sort_order)
        ],
        "scope": {
            "divisions": sorted(task.scope_divisions),
            "entity_types": sorted(task.scope_entity_types),
            "industries": sorted(task.scope_industries),
            "tags": sorted(task.scope_tags),
            "registered_before": (
                task.registered_before.isoformat() if task.registered_before else None
            ),
        },
        "rules": [
            {"stratum": r.stratum, "ratio_bp": r.ratio_bp, "count": r.count}
            for r in sorted(task.rules, key=lambda r: _stratum_order(r.stratum))
        ],
        "batches": task.batches,
        "team_size": task.team_size,
        "district_rule": str(task.district_rule),
        "max_load": task.max_load,
        "recent_window_months": task.recent_window_months,
        "planned_start": task.planned_start.isoformat(),
        "planned_end": task.planned_end.isoformat(),
    }


def plan_snapshot(plan: AnnualPlan) -> dict[str, Any]:
    return {
        "format": SNAPSHOT_FORMAT,
        "code": plan.code,
        "year": plan.year,
        "title": plan.title,
        "kind": str(plan.kind),
        "lead_department": {"code": plan.lead_department.code, "name": plan.lead_department.name},
        "departments": [{"code": d.code, "name": d.name} for d in plan.departments],
        "note": plan.note,
        "tasks": [task_snapshot(t) for t in plan.tasks],
    }


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return sha256_hex(canonical(snapshot))


def _stratum_order(stratum: str) -> int:
    return STRATA.index(stratum) if stratum in STRATA else len(STRATA)


# --- side-by-side comparison -------------------------------------------------


def _names(entries: list[dict[str, Any]]) -> str:
    return "、".join(e["name"] for e in entries)


def _scope_text(scope: dict[str, Any]) -> list[tuple[str, str]]:
    def listed(values: list[str]) -> str:
        return "、".join(values) if values else "不限"

    return [
        ("区划", listed(scope["divisions"])),
        ("主体类型", listed(scope["entity_types"])),
        ("行业", listed(scope["industries"])),
        ("标签", listed(scope["tags"])),
        ("成立日期早于", scope["registered_before"] or "不限"),
    ]


def _task_lines(task: dict[str, Any]) -> list[tuple[str, str]]:
    lines = [
        ("任务名称", task["title"]),
        ("联合抽查", "是" if task["is_joint"] else "否"),
        ("发起层级", InitiatorLevel(task["initiator_level"]).label),
        ("抽查事项", "；".join(f"{i['code']} {i['name']}" for i in task["items"])),
        (
            "参与部门（每组最少人数）",
            "、".join(f"{d['name']}（{d['min']}）" for d in task["departments"]),
        ),
    ]
    lines += _scope_text(task["scope"])
    for rule in task["rules"]:
        ratio, count = rule["ratio_bp"], rule["count"]
        value = format_ratio(ratio) if ratio is not None else f"{count} 户"
        lines.append((f"{stratum_label(rule['stratum'])}抽查", value))
    lines += [
        ("批次", str(task["batches"])),
        ("每组人数", str(task["team_size"])),
        ("人员区划规则", DistrictRule(task["district_rule"]).label),
        ("每人最多户数", "不限" if task["max_load"] is None else str(task["max_load"])),
        ("近期检查回避（月）", str(task["recent_window_months"])),
        ("计划时间", f"{task['planned_start']} 至 {task['planned_end']}"),
    ]
    return lines


def snapshot_lines(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    """The plan as (label, value) lines, tasks in order, labels unique."""
    lines = [
        ("计划编号", snapshot["code"]),
        ("年度", str(snapshot["year"])),
        ("计划名称", snapshot["title"]),
        ("计划类型", PlanKind(snapshot["kind"]).label),
        ("牵头部门", snapshot["lead_department"]["name"]),
        ("参与部门", _names(snapshot["departments"])),
        ("说明", snapshot["note"]),
    ]
    for task in snapshot["tasks"]:
        lines += [(f"{task['code']}｜{label}", value) for label, value in _task_lines(task)]
    return lines


def compare_snapshots(left: dict[str, Any], right: dict[str, Any]) -> list[DiffRow]:
    """Every line of either version, in order; a task only in one side shows "—" on the other."""
    a = dict(snapshot_lines(left))
    b = dict(snapshot_lines(right))
    order = list(a)
    for label in b:
        if label not in a:
            order.append(label)
    return [DiffRow(label, a.get(label, "—"), b.get(label, "—")) for label in order]
