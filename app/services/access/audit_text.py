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

from app.domain.planning import stratum_label
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
from app.models.inspections import Inspection, InspectionResult
from app.services.access.audit_words import (
    ELIDED,
    ENTITYENUM_WORDS,
    ENUM_WORDS,
    FIELD_LABELS,
    HIDDEN,
    INSERT_FIELDS,
)
from app.services.common.categories import categories

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
    "inspections": (Inspection, lambda i: f"检查 {i.id}（{i.target.name}）"),
    "inspection_results": (
        InspectionResult,
        lambda r: f"检查 {r.inspection_id}（{r.inspection.target.name}）的{r.item.name}",
    ),
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
    "inspection_id": "inspections",
    "result_id": "inspection_results",
    "entered_department_id": "departments",
    "entered_by_inspector_id": "inspectors",
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
        self._categories: dict[str, str] | None = None

    def _category(self, code: str) -> str:
        if self._categories is None:
            self._categories = {c.code: c.name for c in categories(self._s).categories}
        name = self._categories.get(code)
        return f"{code} {name}" if name else code

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

    def value(self, key: str, value: Any, entity: str = "") -> str:
        if value is None or value == "" or value == []:
            return "（空）"
        if key in ("ratio_bp", "ratio_cap_bp") and isinstance(value, int):
            return f"{value / 100:g}%"
        words = ENTITYENUM_WORDS.get((entity, key))
        if words is not None and isinstance(value, str):
            return words.get(value, value)
        if key == "category_code" and isinstance(value, str):
            return self._category(value)
        if key in ENUM_WORDS and isinstance(value, str):
            return ENUM_WORDS[key].get(value, value)
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
                f"{field_label(k)} {self.value(k, old.get(k), entity)} → "
                f"{self.value(k, new.get(k), entity)}"
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
            f"{field_label(k)} {self.value(k, shown[k], entity)}" for k in keys[:INSERT_FIELDS]
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
