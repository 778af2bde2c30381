"""抽查结果: result categories (data, loadable per province), states, follow-ups, case sources.

The national list of result categories is data, not code:
resources/result_categories/national.json holds `code`, `name`, `is_problem`
and `sort` for each; a province that publishes a variant ships its own file
and the bureau points the `result_categories` setting at it. Codes are what
the database stores, so a renamed category keeps its history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.domain.errors import InvalidInput
from app.domain.registry import InspectionMethod


class ResultState(StrEnum):
    """A result's review state (and an inspection's, as the least advanced of its results)."""

    NOT_ENTERED = "not_entered"
    PENDING_REVIEW = "pending_review"
    RETURNED = "returned"
    APPROVED = "approved"
    # Set by publication (公示), never by entry or review.
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    ResultState.NOT_ENTERED: "未录入",
    ResultState.PENDING_REVIEW: "待审核",
    ResultState.RETURNED: "审核退回",
    ResultState.APPROVED: "审核通过",
    ResultState.PUBLISHED: "已公示",
}

# The team may (re-)enter a result in these states; review has not accepted it yet.
EDITABLE_STATES = frozenset(
    {ResultState.NOT_ENTERED, ResultState.PENDING_REVIEW, ResultState.RETURNED}
)


def inspection_state(states: Iterable[ResultState]) -> ResultState:
    """An inspection's state from its results: any returned → returned; any missing → not entered.

    Otherwise the least advanced of the rest (pending < approved < published).
    """
    values = set(states)
    if not values or ResultState.NOT_ENTERED in values:
        return ResultState.NOT_ENTERED
    if ResultState.RETURNED in values:
        return ResultState.RETURNED
    for state in (ResultState.PENDING_REVIEW, ResultState.APPROVED):
        if state in values:
            return state
    return ResultState.PUBLISHED


class InspectionKind(StrEnum):
    RANDOM = "random"  # 双随机抽查 from a drawn task
    CASE = "case"  # 个案检查: not drawn
    SPECIAL = "special"  # 专项检查 (a campaign that still draws)

    @property
    def label(self) -> str:
        return {"random": "双随机抽查", "case": "个案检查", "special": "专项检查"}[self.value]


class CaseSource(StrEnum):
    """Where a case inspection comes from."""

    COMPLAINT = "complaint"
    REFERRAL = "referral"
    MONITORING = "monitoring"
    CAMPAIGN = "campaign"

    @property
    def label(self) -> str:
        return {
            "complaint": "投诉举报",
            "referral": "转办交办",
            "monitoring": "数据监测",
            "campaign": "专项检查",
        }[self.value]


class FollowUp(StrEnum):
    """后续处置 needed after an item's result; stored by value."""

    NONE = "无需后续处置"
    RECTIFY = "责令改正"
    CASE_FILED = "移送立案"
    NOTIFY_DEPARTMENT = "抄告相关部门"
    JUDICIAL = "移送司法机关"
    OTHER = "其他"


# 检查方式 a result may name: the item list's methods and a free "其他".
RESULT_METHODS: tuple[str, ...] = (*(m.value for m in InspectionMethod), "其他")


@dataclass(frozen=True, slots=True)
class ResultCategory:
    code: str
    name: str
    is_problem: bool
    sort: int


@dataclass(frozen=True, slots=True)
class CategoryList:
    """One loaded list of result categories, in sort order."""

    name: str
    categories: tuple[ResultCategory, ...]

    def by_code(self, code: str) -> ResultCategory | None:
        return next((c for c in self.categories if c.code == code), None)

    def by_name(self, name: str) -> ResultCategory | None:
        text = name.strip()
        return next((c for c in self.categories if c.name == text), None)

    def find(self, text: str) -> ResultCategory | None:
        """By code or by exact name (what a clerk types in a spreadsheet)."""
        return self.by_code(text.strip()) or self.by_name(text)

    @property
    def no_problem(self) -> ResultCategory:
        """The category “未发现问题” (the first not-a-problem one in sort order)."""
        return self.by_name("未发现问题") or next(c for c in self.categories if not c.is_problem)


class CategoryFileError(InvalidInput):
    """A result-category file that cannot be used (message in Chinese)."""


def parse_categories(data: Mapping[str, Any]) -> CategoryList:
    """A category list from its JSON document; refuses duplicates and empty lists."""
    try:
        raw = data["categories"]
        cats = [
            ResultCategory(str(c["code"]), str(c["name"]), bool(c["is_problem"]), int(c["sort"]))
            for c in raw
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise CategoryFileError(f"结果类型文件格式不对：{exc}") from exc
    if not cats:
        raise CategoryFileError("结果类型文件没有任何类型")
    if len({c.code for c in cats}) != len(cats) or len({c.name for c in cats}) != len(cats):
        raise CategoryFileError("结果类型文件中有重复的代码或名称")
    if all(c.is_problem for c in cats):
        raise CategoryFileError("结果类型文件至少要有一个“未发现问题”类的类型")
    cats.sort(key=lambda c: (c.sort, c.code))
    return CategoryList(str(data.get("name", "")), tuple(cats))


def load_categories(path: Path) -> CategoryList:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CategoryFileError(f"无法读取结果类型文件 {path}：{exc}") from exc
    return parse_categories(data)
