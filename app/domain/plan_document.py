"""A plan as it is published: plain text fields, the input of both plan writers.

app.excel.plan_writer (xlsx) and app.reports.plan_announcement (PDF) lay it
out; app.services.plans.export fills it from the database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskDocument:
    code: str
    title: str
    joint: str
    initiator: str
    items: tuple[str, ...]  # "SCJG-01 名称（重点检查事项，市场监管局）"
    departments: str  # "市场监管局（每组至少 1 人）、…"
    scope: tuple[tuple[str, str], ...]
    rules: tuple[tuple[str, str], ...]  # ("A 类", "3%")
    rules_short: str
    batches: int
    team_size: int
    district_rule: str
    max_load: str
    recent_window: str
    planned_start: str
    planned_end: str
    state: str

    @property
    def period(self) -> str:
        return f"{self.planned_start} 至 {self.planned_end}"


@dataclass(frozen=True)
class PlanDocument:
    code: str
    year: int
    title: str
    kind: str
    lead_department: str
    departments: str
    state: str
    version_no: int
    version_hash: str
    filed_on: str
    published_on: str
    note: str
    tasks: tuple[TaskDocument, ...]
    issuer: str = ""  # the bureau's full name: 聊城市市场监督管理局
    doc_number: str = ""  # 文号 of the filed plan; a draft has none
    # A draft printed for consultation: marked 征求意见稿, never "公示".
    is_draft: bool = False
