"""公示与后续处置: publication kinds and states, follow-up types, upload layouts, result diffs.

Pure rules (no DB, no Qt). A publication's content is a JSON document (what
was made public, per enterprise and item); a correction is a new version and
`diff_results` says what changed between two of them, for the 更正 notice.

The platform upload layout (the provincial platform's xlsx columns) is data:
resources/publication_layouts/national.json maps each column to a field of
`UPLOAD_FIELDS`; a province ships its own file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.domain.errors import InvalidInput
from app.domain.results import FollowUp

# What a result on the exemption list (轻微违法违规经营行为免罚清单) shows.
EXEMPT_RESULT_TEXT = "责令改正，依法不予处罚"
# 抽查结果 are made public within this many working days after the task is done.
PUBLICATION_DEADLINE_WORKDAYS = 20


class PublicationKind(StrEnum):
    ITEM_LIST = "item_list"
    PLAN = "plan"
    RESULTS = "results"
    EXEMPTIONS = "exemptions"

    @property
    def label(self) -> str:
        return {
            "item_list": "抽查事项清单",
            "plan": "年度抽查计划",
            "results": "抽查结果",
            "exemptions": "免罚清单",
        }[self.value]


class PublicationState(StrEnum):
    """Shown on the 公示 page; never stored: a row is published, a newer one corrects it."""

    DUE = "due"
    PUBLISHED = "published"
    CORRECTED = "corrected"

    @property
    def label(self) -> str:
        return {"due": "待公示", "published": "已公示", "corrected": "已更正"}[self.value]


class FollowUpType(StrEnum):
    """后续处置 type of a follow-up record (stored by value)."""

    RECTIFY = "rectify"
    CASE_FILED = "case_filed"
    NOTIFY_DEPARTMENT = "notify_department"
    JUDICIAL = "judicial"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "rectify": "责令改正",
            "case_filed": "移送立案查处",
            "notify_department": "抄告相关部门",
            "judicial": "移送司法机关",
            "other": "其他",
        }[self.value]

    @classmethod
    def from_text(cls, text: str) -> FollowUpType:
        """By value or label (what a clerk types); ValueError otherwise."""
        text = text.strip()
        for t in cls:
            if text in (t.value, t.label):
                return t
        raise ValueError(f"后续处置类型“{text}”不在可选范围内（{'、'.join(t.label for t in cls)}）")


# A result's 后续处置 (as entered) → the follow-up record it needs; NONE needs none.
FOLLOW_UP_OF_RESULT: dict[str, FollowUpType] = {
    FollowUp.RECTIFY.value: FollowUpType.RECTIFY,
    FollowUp.CASE_FILED.value: FollowUpType.CASE_FILED,
    FollowUp.NOTIFY_DEPARTMENT.value: FollowUpType.NOTIFY_DEPARTMENT,
    FollowUp.JUDICIAL.value: FollowUpType.JUDICIAL,
    FollowUp.OTHER.value: FollowUpType.OTHER,
}


class FollowUpStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "未完结", "closed": "已完结"}[self.value]


def result_text(category_name: str, exempt: bool) -> str:
    """A result as published: the category, or the exemption wording."""
    return EXEMPT_RESULT_TEXT if exempt else category_name


def announcement_title(issuer: str, year: int, seq: int, correction: bool = False) -> str:
    """聊城市市场监督管理局2026年度第003号抽查任务检查结果公告（更正）."""
    title = f"{issuer}{year}年度第{seq:03d}号抽查任务检查结果公告"
    return title + "（更正）" if correction else title


# --- what changed between two versions -----------------------------------------------


@dataclass(frozen=True)
class ResultChange:
    uscc: str
    target_name: str
    item: str  # 事项名称（代码）
    before: str  # "" when the item was not in the earlier version
    after: str  # "" when it is no longer published

    @property
    def text(self) -> str:
        where = f"{self.target_name}（{self.uscc}）“{self.item}”"
        if not self.before:
            return f"{where}：新增公示结果“{self.after}”"
        if not self.after:
            return f"{where}：撤回原公示结果“{self.before}”"
        return f"{where}：原公示“{self.before}”，更正为“{self.after}”"


def _results_of(content: Mapping[str, Any]) -> dict[tuple[str, str], tuple[str, str, str]]:
    out: dict[tuple[str, str], tuple[str, str, str]] = {}
    for ent in content.get("enterprises", []):
        for item in ent.get("items", []):
            shown = str(item["result"])
            if item.get("finding"):
                shown += f"：{item['finding']}"
            label = f"{item['item_name']}（{item['item_code']}）"
            out[(str(ent["uscc"]), str(item["item_code"]))] = (str(ent["name"]), label, shown)
    return out


def diff_results(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[ResultChange]:
    """Per enterprise and item, what the new version publishes differently."""
    before, after = _results_of(old), _results_of(new)
    changes = []
    for key in sorted(before.keys() | after.keys()):
        b, a = before.get(key), after.get(key)
        if b is not None and a is not None and b[2] == a[2]:
            continue
        name, label = (a or b)[0], (a or b)[1]  # type: ignore[index]
        changes.append(ResultChange(key[0], name, label, b[2] if b else "", a[2] if a else ""))
    return changes


# --- the platform's upload layout -------------------------------------------------------

# Fields a layout column may name: one row per enterprise and item.
UPLOAD_FIELDS: dict[str, str] = {
    "target_name": "企业名称",
    "uscc": "统一社会信用代码",
    "task_code": "抽查任务编号",
    "task_title": "抽查任务名称",
    "inspection_kind": "检查类型",
    "department": "检查实施机关",
    "inspected_on": "检查日期",
    "item_code": "抽查事项编号",
    "item_name": "抽查事项",
    "result": "检查结果",
    "finding": "问题描述",
    "follow_up": "后续处置",
    "published_on": "公示日期",
    "doc_number": "公告文号",
}


class LayoutFileError(InvalidInput):
    """An upload layout that cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class LayoutColumn:
    header: str
    field: str
    width: int = 16


@dataclass(frozen=True)
class UploadLayout:
    name: str
    sheet: str
    columns: tuple[LayoutColumn, ...]


def parse_layout(data: Mapping[str, Any]) -> UploadLayout:
    try:
        cols = tuple(
            LayoutColumn(str(c["header"]), str(c["field"]), int(c.get("width", 16)))
            for c in data["columns"]
        )
        sheet = str(data.get("sheet", "抽查结果"))[:31]
    except (KeyError, TypeError, ValueError) as exc:
        raise LayoutFileError(f"公示上传格式文件格式不对：{exc}") from exc
    if not cols:
        raise LayoutFileError("公示上传格式文件没有任何列")
    unknown = [c.field for c in cols if c.field not in UPLOAD_FIELDS]
    if unknown:
        raise LayoutFileError(
            f"公示上传格式文件中的字段“{'、'.join(unknown)}”不认识；可用字段："
            + "、".join(UPLOAD_FIELDS)
        )
    return UploadLayout(str(data.get("name", "")), sheet, cols)


def load_layout(path: Path) -> UploadLayout:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LayoutFileError(f"无法读取公示上传格式文件 {path}：{exc}") from exc
    return parse_layout(data)


def upload_rows(content: Mapping[str, Any], layout: UploadLayout) -> list[list[Any]]:
    """The rows of the upload sheet (without the header) in the layout's column order."""
    common = {
        "task_code": content.get("task_code", ""),
        "task_title": content.get("task_title", ""),
        "inspection_kind": content.get("inspection_kind", ""),
        "published_on": content.get("published_on", ""),
        "doc_number": content.get("doc_number", ""),
    }
    rows: list[list[Any]] = []
    for ent in content.get("enterprises", []):
        for item in ent.get("items", []):
            values = {
                **common,
                "target_name": ent["name"],
                "uscc": ent["uscc"],
                "inspected_on": item.get("inspected_on") or ent.get("inspected_on", ""),
                **{k: item.get(k, "") for k in ("department", "item_code", "item_name")},
                "result": item["result"],
                "finding": item.get("finding", ""),
                "follow_up": item.get("follow_up", ""),
            }
            rows.append([values.get(c.field, "") for c in layout.columns])
    return rows


def headers(layout: UploadLayout) -> Sequence[str]:
    return [c.header for c in layout.columns]
