"""Export a plan for 公示: an xlsx table or an A4 PDF announcement.

Both writers take a `PlanDocument`: the plan as it stands (the same snapshot
that a version stores), already turned into the words a reader sees.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.domain.divisions import DIVISIONS
from app.domain.errors import UserError
from app.domain.industries import industry_label
from app.domain.plan_document import PlanDocument, TaskDocument
from app.domain.planning import (
    DistrictRule,
    InitiatorLevel,
    PlanKind,
    PlanState,
    format_ratio,
    stratum_label,
)
from app.domain.registry import ItemCategory
from app.models import AppSetting
from app.models.db import Database
from app.services.access.auth import put_setting
from app.services.plans.scope import require_plan_view
from app.services.plans.snapshot import plan_snapshot, snapshot_hash
from app.services.plans.values import PlanError
from app.services.system.bureau import BureauProfile, load_bureau, next_document_number

if TYPE_CHECKING:
    from app.models.plans import AnnualPlan


class ExportError(UserError, ValueError):
    """The file cannot be written; str() says what and where, in Chinese."""


def _listed(values: list[str], names: dict[str, str] | None = None) -> str:
    """Codes by name: "东昌府区、莘县"; a code without a name is printed as it is."""
    if not values:
        return "不限"
    names = names or {}
    return "、".join(names.get(v, v) for v in values)


def _task_document(t: dict[str, Any], state: str, divisions: dict[str, str]) -> TaskDocument:
    rules = []
    for r in t["rules"]:
        value = format_ratio(r["ratio_bp"]) if r["ratio_bp"] is not None else f"{r['count']} 户"
        rules.append((stratum_label(r["stratum"]).replace(" ", ""), value))
    scope = t["scope"]
    return TaskDocument(
        code=t["code"],
        title=t["title"],
        joint="部门联合抽查" if t["is_joint"] else "单部门抽查",
        initiator=InitiatorLevel(t["initiator_level"]).label,
        items=tuple(
            f"{i['code']} {i['name']}（{ItemCategory(i['category']).label}）" for i in t["items"]
        ),
        departments="、".join(
            f"{d['name']}（每组至少 {d['min']} 人）" if d["min"] else d["name"]
            for d in t["departments"]
        ),
        scope=(
            ("行政区划", _listed(scope["divisions"], divisions)),
            ("主体类型", _listed(scope["entity_types"])),
            ("行业", "、".join(industry_label(c) for c in scope["industries"]) or "不限"),
            ("监管标签", _listed(scope["tags"])),
            ("成立日期早于", scope["registered_before"] or "不限"),
        ),
        rules=tuple(rules),
        rules_short="，".join(f"{k} {v}" for k, v in rules),
        batches=t["batches"],
        team_size=t["team_size"],
        district_rule=DistrictRule(t["district_rule"]).label,
        max_load="不限" if t["max_load"] is None else f"{t['max_load']} 户",
        recent_window=f"{t['recent_window_months']} 个月",
        planned_start=t["planned_start"],
        planned_end=t["planned_end"],
        state=state,
    )


def _day(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone()
    return f"{local.year}年{local.month}月{local.day}日"  # as dates are written: no leading 0


def plan_document(db: Database, code: str) -> PlanDocument:
    from sqlalchemy import select

    from app.models.plans import AnnualPlan

    with db.session() as s:
        plan = s.scalars(select(AnnualPlan).where(AnnualPlan.code == code)).one_or_none()
        if plan is None:
            raise PlanError(f"找不到计划“{code}”")
        require_plan_view(plan)
        snap = plan_snapshot(plan)
        states = {t.code: PlanState(t.state).label for t in plan.tasks}
        latest = max(plan.versions, key=lambda v: v.version_no) if plan.versions else None
        is_draft = PlanState(plan.state) is PlanState.DRAFT
        bureau = load_bureau(db)
        doc_number = "" if is_draft else _plan_document_number(s, bureau, plan)
        meta = (
            PlanState(plan.state).label,
            plan.version_no,
            latest.snapshot_hash if latest else snapshot_hash(snap),
            _day(plan.filed_at),
            _day(plan.published_at),
        )
    divisions = dict(DIVISIONS)
    return PlanDocument(
        code=snap["code"],
        year=snap["year"],
        title=snap["title"],
        kind=PlanKind(snap["kind"]).label,
        lead_department=snap["lead_department"]["name"],
        departments="、".join(d["name"] for d in snap["departments"]),
        state=meta[0],
        version_no=meta[1],
        version_hash=meta[2],
        filed_on=meta[3],
        published_on=meta[4],
        note=snap["note"],
        tasks=tuple(_task_document(t, states[t["code"]], divisions) for t in snap["tasks"]),
        issuer=bureau.full_name,
        doc_number=doc_number,
        is_draft=is_draft,
    )


def _plan_document_number(s: Session, bureau: BureauProfile, plan: AnnualPlan) -> str:
    """The 文号 of the plan's current version: given on its first export as a
    document, then kept (an app setting per plan and version) so every copy
    printed of the same version carries the same number."""
    key = f"docno-of/plan/{plan.code}/v{plan.version_no}"
    row = s.get(AppSetting, key)
    if row is not None:
        return str(row.value)
    issued = plan.published_at or plan.filed_at or datetime.now()
    number = bureau.document_number(issued.year, next_document_number(s, "plan", issued.year))
    put_setting(s, key, number)
    return str(number)


def export_plan(db: Database, code: str, out: Path) -> Path:
    """Write `out` (.xlsx or .pdf, by its suffix) and return it."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise ExportError(f"不支持的导出格式“{out.suffix or '（无扩展名）'}”：请使用 .xlsx 或 .pdf")
    doc = plan_document(db, code)
    if not out.parent.exists():
        raise ExportError(f"导出失败：文件夹不存在：{out.parent}")
    tmp = out.with_name(f".{out.name}.partial")
    try:
        if suffix == ".xlsx":
            from app.excel.plan_writer import write_plan_xlsx

            write_plan_xlsx(doc, tmp)
        else:
            from app.reports.plan_announcement import write_plan_pdf

            write_plan_pdf(doc, tmp)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"无法写入 {out}：{exc.strerror or exc}") from None
    # Exporting a public plan is publishing it: the file is kept as a 公示 record.
    from app.services.publication.plans import record_plan_export

    record_plan_export(db, code, out)
    return out
