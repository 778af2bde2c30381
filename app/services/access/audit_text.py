"""审计日志 in words a clerk reads: 任务 LC-LH-2026-003 的抽查比例 3% → 5%；状态 已备案 → 已公示.

The log stores what changed as column names and raw values (task_id=7,
ratio_bp=300, state: filed → published); the settings page shows this text
and keeps the raw entry one click away. Ids are looked up by name once per
page of entries; a row deleted since shows as its table and number.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.domain.ceremony import AttemptState
from app.domain.planning import DistrictRule, InitiatorLevel, PlanKind, PlanState, stratum_label
from app.domain.registry import ItemCategory
from app.models import (
    AnnualPlan,
    Department,
    DrawAttempt,
    InspectionItem,
    Inspector,
    SamplingTask,
    Target,
    TaskSamplingRule,
    User,
)

# Column names as the screens call them; a column not listed shows as its name.
FIELD_LABELS: dict[str, str] = {
    "code": "编号",
    "name": "名称",
    "title": "名称",
    "state": "状态",
    "status": "状态",
    "ratio_bp": "抽查比例",
    "ratio_cap_bp": "抽查比例上限",
    "count": "固定户数",
    "stratum": "风险类别",
    "task_id": "任务",
    "plan_id": "计划",
    "department_id": "部门",
    "lead_department_id": "牵头部门",
    "inspector_id": "执法检查人员",
    "target_id": "检查对象",
    "item_id": "事项",
    "min_inspectors": "每组最少人数",
    "team_size": "每组人数",
    "batches": "批次",
    "max_load": "每人最多检查户数",
    "recent_window_months": "近期检查回避（月）",
    "district_rule": "人员区划规则",
    "initiator_level": "发起层级",
    "kind": "计划类型",
    "category": "事项类别",
    "planned_start": "计划开始",
    "planned_end": "计划结束",
    "published_at": "公示时间",
    "filed_at": "备案时间",
    "version_no": "版本",
    "reason": "原因",
    "note": "备注",
    "badge_no": "执法证号",
    "badge_expires_on": "执法证有效期至",
    "phone": "电话",
    "district_code": "行政区划",
    "division_code": "行政区划",
    "uscc": "统一社会信用代码",
    "risk_class": "信用风险分类",
    "reg_status": "登记状态",
    "address": "地址",
    "legal_rep": "法定代表人",
    "expertise": "专业领域",
    "methods": "检查方式",
    "legal_basis": "法律依据",
    "target_type": "检查对象类型",
    "joint_allowed": "可联合抽查",
    "username": "用户名",
    "display_name": "姓名",
    "roles": "角色",
    "locked_until": "锁定至",
    "failed_logins": "登录失败次数",
    "operator": "操作人员",
    "abort_reason": "中止原因",
    "redraw_reason": "重新抽取原因",
    "supervisor": "监督人",
    "rows": "行数",
    "file": "文件",
    "source": "来源",
    "scope_divisions": "行政区划范围",
    "scope_entity_types": "主体类型范围",
    "scope_industries": "行业范围",
    "scope_tags": "监管标签范围",
    "registered_before": "成立日期早于",
    "is_joint": "联合抽查",
    "position": "顺序",
    "text": "内容",
    "basis": "依据",
    "procedure": "抽查程序",
    "items": "事项",
    "departments": "部门",
    "year": "年度",
    "sort_order": "排序",
    "recorded_on": "登记日期",
    "guide_id": "抽查细则",
    "snapshot": "计划内容",
    "attempt_no": "抽取次序",
    "manifest_hash": "清单哈希",
    "result_hash": "结果哈希",
}
# Bookkeeping columns every entry carries; they say nothing to a clerk.
HIDDEN = frozenset({"id", "version", "row_version", "created_at", "updated_at", "password_hash"})
# Long documents inside an entry: the raw entry shows them whole.
ELIDED = frozenset({"snapshot", "manifest", "result", "procedure"})
# How many fields an insert lists before "…".
INSERT_FIELDS = 4

_STATE_WORDS: dict[str, str] = {s.value: s.label for s in PlanState}
_STATE_WORDS.update({s.value: s.label for s in AttemptState})
_ENUM_WORDS: dict[str, dict[str, str]] = {
    "state": _STATE_WORDS,
    "district_rule": {r.value: r.label for r in DistrictRule},
    "initiator_level": {lv.value: lv.label for lv in InitiatorLevel},
    "kind": {k.value: k.label for k in PlanKind},
    "category": {c.value: getattr(c, "label", c.value) for c in ItemCategory},
}

# entity (table) → (model, how a row is named)
_NAMERS: dict[str, tuple[Any, Callable[[Any], str]]] = {
    "sampling_tasks": (SamplingTask, lambda t: f"任务 {t.code}"),
    "annual_plans": (AnnualPlan, lambda p: f"计划 {p.code}"),
    "departments": (Department, lambda d: str(d.name)),
    "inspectors": (Inspector, lambda i: f"{i.name}（{i.badge_no}）"),
    "targets": (Target, lambda t: str(t.name)),
    "inspection_items": (InspectionItem, lambda i: f"事项 {i.code} {i.name}"),
    "users": (User, lambda u: f"用户 {u.username}"),
    "draw_attempts": (DrawAttempt, lambda a: f"第 {a.attempt_no} 次抽取"),
}
# A column holding an id of another table.
_REFERENCES: dict[str, str] = {
    "task_id": "sampling_tasks",
    "plan_id": "annual_plans",
    "department_id": "departments",
    "lead_department_id": "departments",
    "inspector_id": "inspectors",
    "target_id": "targets",
    "item_id": "inspection_items",
    "attempt_id": "draw_attempts",
    # lists of ids
    "items": "inspection_items",
    "departments": "departments",
}


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


class AuditWording:
    """Describes entries; looks each referenced row up once (one session per page)."""

    def __init__(self, session: Session) -> None:
        self._s = session
        self._names: dict[tuple[str, int], str] = {}

    # -- names of rows ------------------------------------------------------------

    def name(self, entity: str, ident: Any) -> str | None:
        namer = _NAMERS.get(entity)
        try:
            key = (entity, int(ident))
        except (TypeError, ValueError):
            return None
        if namer is None:
            return None
        if key not in self._names:
            row = self._s.get(namer[0], key[1])
            self._names[key] = namer[1](row) if row is not None else ""
        return self._names[key] or None

    def _short_name(self, entity: str, ident: Any) -> str:
        named = self.name(entity, ident)
        if named is None:
            return f"#{ident}"
        # 事项 SCJG-01 食品… → SCJG-01: lists stay short.
        return named.split(" ")[1] if named.startswith("事项 ") else named

    def _rule_task(self, rule_id: Any) -> tuple[str | None, str | None]:
        try:
            rule = self._s.get(TaskSamplingRule, int(rule_id))
        except (TypeError, ValueError):
            return None, None
        if rule is None:
            return None, None
        return self.name("sampling_tasks", rule.task_id), rule.stratum

    def subject(self, entity: str, entity_id: str | None, values: dict[str, Any]) -> str:
        """What the entry is about: 任务 LC-LH-2026-003, 张三（3715…）, 任务 … 的 A 类."""
        from app.models.auditing import entity_label

        if entity == "task_sampling_rules":
            task = self.name("sampling_tasks", values.get("task_id"))
            stratum = values.get("stratum")
            if task is None:
                task, found = self._rule_task(entity_id)
                stratum = stratum or found
            owner = task or "任务"
            return f"{owner}（{stratum_label(stratum)}）" if stratum else owner
        if entity == "task_departments":
            task_id, _, dept_id = (entity_id or "").partition(",")
            task = self.name("sampling_tasks", values.get("task_id", task_id)) or "任务"
            dept = self.name("departments", values.get("department_id", dept_id)) or "部门"
            return f"{task} 的参与部门 {dept}"
        named = self.name(entity, entity_id)
        if named:
            return named
        for key in ("code", "name", "title", "username"):
            if isinstance(values.get(key), str) and values[key]:
                return f"{entity_label(entity)} {values[key]}"
        return f"{entity_label(entity)} {entity_id or ''}".strip()

    # -- values -------------------------------------------------------------------

    def value(self, key: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "（空）"
        if key in ("ratio_bp", "ratio_cap_bp") and isinstance(value, int):
            return f"{value / 100:g}%"
        if key in _ENUM_WORDS and isinstance(value, str):
            return _ENUM_WORDS[key].get(value, value)
        if key in ELIDED:
            return "（见原始记录）"
        if key in _REFERENCES and isinstance(value, list):
            return "、".join(self._short_name(_REFERENCES[key], v) for v in value)
        if key in _REFERENCES:
            named = self.name(_REFERENCES[key], value)
            return named.removeprefix(f"{field_label(key)} ") if named else f"#{value}"
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
            try:
                return f"{datetime.fromisoformat(value).astimezone():%Y-%m-%d %H:%M}"
            except ValueError:
                pass
        if isinstance(value, list):
            return "、".join(self.value(key[:-1] if key.endswith("s") else key, v) for v in value)
        if isinstance(value, date):
            return value.isoformat()
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 40 else text[:39] + "…"

    # -- whole entries --------------------------------------------------------------

    def describe(
        self, action: str, entity: str, entity_id: str | None, before: Any, after: Any
    ) -> str:
        from app.models.auditing import entity_label

        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        if action == "import":
            rows = new.get("rows")
            where = new.get("file") or new.get("source") or ""
            return f"导入{entity_label(entity)} {rows} 行" + (f"（{where}）" if where else "")
        if action == "login":
            return f"{new.get('username', '')} 登录".strip()
        if action == "acknowledge":
            return f"核实{entity_label(entity)} {entity_id or ''}：{new.get('reason', '')}"
        if action == "restore":
            return "从备份恢复数据库" + (f"：{new.get('backup')}" if new.get("backup") else "")
        subject = self.subject(entity, entity_id, {**old, **new})
        if action == "update":
            keys = [k for k in new if k not in HIDDEN and old.get(k) != new.get(k)]
            changes = [
                f"{field_label(k)} {self.value(k, old.get(k))} → {self.value(k, new.get(k))}"
                for k in keys
            ]
            if not changes:
                return f"{subject}：无可见变化"
            gap = "" if subject.endswith("）") else " "
            return f"{subject}{gap}的{'；'.join(changes)}"
        shown = new if action != "delete" else old
        # Fields the subject already names (任务 X 的… carries task_id and code) are left out.
        keys = [
            k
            for k in shown
            if k not in HIDDEN
            and k not in ("task_id", "code")
            and shown[k] not in (None, "", [])
            and not (isinstance(shown[k], str) and shown[k] in subject)
        ]
        fields = "，".join(
            f"{field_label(k)} {self.value(k, shown[k])}" for k in keys[:INSERT_FIELDS]
        )
        more = "…" if len(keys) > INSERT_FIELDS else ""
        verb = {"insert": "新增", "delete": "删除"}.get(action, action)
        return f"{verb} {subject}" + (f"：{fields}{more}" if fields else "")


def describe_entries(session: Session, entries: Iterable[Any]) -> list[str]:
    """One sentence per entry (anything with action, entity, entity_id, before, after)."""
    wording = AuditWording(session)
    return [wording.describe(e.action, e.entity, e.entity_id, e.before, e.after) for e in entries]


def raw_text(before: Any, after: Any) -> str:
    """The entry as stored, for the one click away from the sentence."""

    def pretty(v: object) -> str:
        return json.dumps(v, ensure_ascii=False, indent=2) if v is not None else "（无）"

    return f"修改前：\n{pretty(before)}\n\n修改后：\n{pretty(after)}"


__all__ = ["AuditWording", "describe_entries", "field_label", "raw_text"]
