"""Pure rules of 年度抽查计划 and 抽查任务: states, caps, ceilings, team rules, codes.

No database and no Qt: the services feed plain values in and get problems back.
A `Problem` says what is wrong and where, in Chinese, and how much it blocks:
filing (备案) or the draw (随机抽取), or nothing (a warning).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.errors import InvalidInput, UserError
from app.domain.risk import RISK_CLASSES, UNCLASSIFIED
from app.draw.select import sample_size as draw_sample_size
from app.draw.validate import Stratum

# DRAW-1 strata of a task, in manifest order (risk classes, then 未分类).
STRATA: tuple[str, ...] = (*RISK_CLASSES, UNCLASSIFIED)
MIN_TEAM_SIZE = 2
DEFAULT_RECENT_WINDOW_MONTHS = 12
FILING_DUE_MONTH_DAY = (1, 31)

# 抽查任务编号, e.g. LC-SCJGJ-2026-003: place, department (or LH for 联合), year, serial.
TASK_CODE_RE = re.compile(
    r"(?P<place>[A-Z]{2,6})-(?P<dept>[A-Z0-9]{2,12})-(?P<year>\d{4})-(?P<seq>\d{3})"
)
PLAN_CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{2,38}")


class PlanState(StrEnum):
    """Life cycle of a plan and of each of its tasks; stable codes for files and JSON."""

    DRAFT = "draft"
    FILED = "filed"
    PUBLISHED = "published"
    DRAWN = "drawn"
    INSPECTING = "inspecting"
    DONE = "done"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def rank(self) -> int:
        return list(PlanState).index(self)

    @property
    def locked(self) -> bool:
        """Filed plans change only by 调整 (a new version with a reason)."""
        return self is not PlanState.DRAFT


_STATE_LABELS = {
    PlanState.DRAFT: "草稿",
    PlanState.FILED: "已备案",
    PlanState.PUBLISHED: "已公开",
    PlanState.DRAWN: "已抽取",
    PlanState.INSPECTING: "检查中",
    PlanState.DONE: "已完成",
}

# Forward, one step at a time; nothing goes back (a mistake is fixed by 调整).
TRANSITIONS: dict[PlanState, frozenset[PlanState]] = {
    PlanState.DRAFT: frozenset({PlanState.FILED}),
    PlanState.FILED: frozenset({PlanState.PUBLISHED}),
    PlanState.PUBLISHED: frozenset({PlanState.DRAWN}),
    PlanState.DRAWN: frozenset({PlanState.INSPECTING}),
    PlanState.INSPECTING: frozenset({PlanState.DONE}),
    PlanState.DONE: frozenset(),
}

# A task may still be adjusted while nobody has drawn from it.
ADJUSTABLE_TASK_STATES = frozenset({PlanState.DRAFT, PlanState.FILED, PlanState.PUBLISHED})


class PlanKind(StrEnum):
    DEPARTMENT = "dept"
    JOINT = "joint"

    @property
    def label(self) -> str:
        return {"dept": "部门年度抽查计划", "joint": "部门联合年度抽查计划"}[self.value]


class InitiatorLevel(StrEnum):
    CITY = "city"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return {"city": "市级统一抽查", "county": "县级自行抽查"}[self.value]


class DistrictRule(StrEnum):
    """DRAW-1 `district_rule`."""

    ANY = "any"
    SAME = "same"
    DIFFERENT = "different"

    @property
    def label(self) -> str:
        return {"any": "不限", "same": "本区划人员", "different": "异地交叉检查"}[self.value]


class Severity(StrEnum):
    BLOCKS_FILING = "blocks_filing"
    BLOCKS_DRAW = "blocks_draw"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return {
            "blocks_filing": "不能备案",
            "blocks_draw": "不能抽取",
            "warning": "提示",
        }[self.value]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"【{self.severity.label}】{self.message}"


class TransitionError(UserError, ValueError):
    """A state change the life cycle does not allow; str() is Chinese."""


@dataclass(frozen=True)
class SamplingRule:
    """抽查比例 (basis points) or a fixed count for one stratum; exactly one is set."""

    stratum: str
    ratio_bp: int | None = None
    count: int | None = None

    def describe(self) -> str:
        if self.ratio_bp is not None:
            return format_ratio(self.ratio_bp)
        return f"{self.count} 户"


@dataclass(frozen=True)
class ItemCap:
    """What the cap rule needs to know of an item."""

    code: str
    name: str
    is_key: bool
    ratio_cap_bp: int | None


def format_ratio(ratio_bp: int) -> str:
    """500 → '5%', 250 → '2.5%', 1 → '0.01%'."""
    whole, frac = divmod(ratio_bp, 100)
    return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0") + "%"


def parse_ratio_percent(text: str) -> int:
    """'5', '5%', '2.55' → basis points; at most two decimals, 0–100."""
    raw = text.strip().rstrip("%％").strip()
    if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", raw):
        raise InvalidInput(f"抽查比例“{text}”无效：应为 0 到 100 之间的百分数，最多两位小数")
    whole, _, frac = raw.partition(".")
    bp = int(whole) * 100 + int((frac + "00")[:2])
    if bp > 10000:
        raise InvalidInput(f"抽查比例“{text}”超过 100%")
    return bp


def sample_size(population: int, rule: SamplingRule) -> int:
    """DRAW-1 section 8: the exact number a stratum of `population` yields."""
    return draw_sample_size(population, Stratum(rule.stratum, rule.ratio_bp, rule.count))


def strictest_cap(items: Iterable[ItemCap]) -> ItemCap | None:
    """The general item with the lowest cap; key items have none."""
    capped = [i for i in items if not i.is_key and i.ratio_cap_bp is not None]
    return min(capped, key=lambda i: (i.ratio_cap_bp, i.code)) if capped else None


def check_caps(
    task: str,
    items: Iterable[ItemCap],
    rules: Iterable[SamplingRule],
    populations: Mapping[str, int] | None = None,
) -> list[Problem]:
    """A ratio above the strictest general-item cap blocks filing.

    A joint task checks all its items in one visit, so the lowest cap of its
    general items applies to the whole task. A fixed count is checked against
    the cap's ceiling once the stratum's population is known.
    """
    cap = strictest_cap(items)
    if cap is None or cap.ratio_cap_bp is None:
        return []
    limit = cap.ratio_cap_bp
    problems: list[Problem] = []
    for rule in rules:
        where = f"任务 {task} 的 {stratum_label(rule.stratum)} 抽查比例"
        if rule.ratio_bp is not None and rule.ratio_bp > limit:
            problems.append(
                Problem(
                    Severity.BLOCKS_FILING,
                    f"{where} {format_ratio(rule.ratio_bp)} 超过一般检查事项"
                    f"“{cap.name}”（{cap.code}）的比例上限 {format_ratio(limit)}",
                )
            )
        elif rule.count is not None and populations is not None:
            n = populations.get(rule.stratum, 0)
            ceiling = sample_size(n, SamplingRule(rule.stratum, ratio_bp=limit))
            if rule.count > ceiling and rule.count > 0 and n > 0:
                problems.append(
                    Problem(
                        Severity.BLOCKS_FILING,
                        f"任务 {task} 的 {stratum_label(rule.stratum)} 固定抽取 {rule.count} 户，"
                        f"超过一般检查事项“{cap.name}”（{cap.code}）比例上限 "
                        f"{format_ratio(limit)} 对应的 {ceiling} 户（共 {n} 户）",
                    )
                )
    return problems


def stratum_label(stratum: str) -> str:
    return stratum if stratum == UNCLASSIFIED else f"{stratum} 类"


def check_rules(task: str, rules: Iterable[SamplingRule]) -> list[Problem]:
    """Each stratum at most once, one of ratio/count, values in range."""
    problems: list[Problem] = []
    seen: set[str] = set()
    rules = list(rules)
    if not rules:
        problems.append(
            Problem(Severity.BLOCKS_FILING, f"任务 {task} 未设置任何风险类别的抽查规则")
        )
    for rule in rules:
        label = stratum_label(rule.stratum)
        if rule.stratum not in STRATA:
            problems.append(
                Problem(Severity.BLOCKS_FILING, f"任务 {task}：未知的风险类别“{rule.stratum}”")
            )
        if rule.stratum in seen:
            problems.append(Problem(Severity.BLOCKS_FILING, f"任务 {task}：{label} 的抽查规则重复"))
        seen.add(rule.stratum)
        if (rule.ratio_bp is None) == (rule.count is None):
            problems.append(
                Problem(
                    Severity.BLOCKS_FILING, f"任务 {task}：{label} 须设置抽查比例或固定户数之一"
                )
            )
        elif rule.ratio_bp is not None and not 0 <= rule.ratio_bp <= 10000:
            problems.append(
                Problem(Severity.BLOCKS_FILING, f"任务 {task}：{label} 抽查比例应在 0–100% 之间")
            )
        elif rule.count is not None and rule.count < 0:
            problems.append(
                Problem(Severity.BLOCKS_FILING, f"任务 {task}：{label} 固定户数不能为负")
            )
    return problems


def check_team(
    task: str,
    team_size: int,
    per_department_min: Mapping[str, int],
    eligible: Mapping[str, int] | None = None,
    department_names: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Team rules: at least 2, at least the sum of the departments' minimums;
    with `eligible` (inspectors per department who may be drawn), enough of them."""
    names = department_names or {}
    problems: list[Problem] = []
    if team_size < MIN_TEAM_SIZE:
        problems.append(
            Problem(Severity.BLOCKS_FILING, f"任务 {task}：每组检查人员不得少于 {MIN_TEAM_SIZE} 人")
        )
    total_min = sum(per_department_min.values())
    if team_size < total_min:
        problems.append(
            Problem(
                Severity.BLOCKS_FILING,
                f"任务 {task}：每组 {team_size} 人，少于各部门最少人数之和 {total_min} 人",
            )
        )
    if eligible is None:
        return problems
    for code in sorted(per_department_min):
        need = per_department_min[code]
        have = eligible.get(code, 0)
        if have < need:
            problems.append(
                Problem(
                    Severity.BLOCKS_DRAW,
                    f"任务 {task}：{names.get(code, code)} 符合条件的执法人员 {have} 人，"
                    f"少于每组最少 {need} 人",
                )
            )
    pool = sum(eligible.values())
    if pool < team_size:
        problems.append(
            Problem(
                Severity.BLOCKS_DRAW,
                f"任务 {task}：符合条件的执法人员共 {pool} 人，不足每组 {team_size} 人",
            )
        )
    return problems


def check_capacity(
    task: str, selected: int, team_size: int, pool: int, max_load: int | None
) -> list[Problem]:
    """With a max load, the pool must be able to staff every selected target."""
    if max_load is None or selected == 0:
        return []
    need, have = selected * team_size, pool * max_load
    if have >= need:
        return []
    return [
        Problem(
            Severity.BLOCKS_DRAW,
            f"任务 {task}：预计抽取 {selected} 户、每组 {team_size} 人，需 {need} 人次，"
            f"但 {pool} 名人员每人最多 {max_load} 户，只能安排 {have} 人次",
        )
    ]


def check_transition(what: str, current: PlanState, new: PlanState) -> None:
    if new not in TRANSITIONS[current]:
        allowed = "、".join(s.label for s in TRANSITIONS[current]) or "无"
        raise TransitionError(
            f"{what} 当前为“{current.label}”，不能改为“{new.label}”（可改为：{allowed}）"
        )


def filing_due(year: int) -> date:
    """年度抽查计划 is due by 31 January of its year."""
    return date(year, *FILING_DUE_MONTH_DAY)


def filing_late(year: int, filed_on: date) -> Problem | None:
    due = filing_due(year)
    if filed_on <= due:
        return None
    return Problem(
        Severity.WARNING,
        f"{year} 年度抽查计划应于 {due:%Y年%m月%d日} 前备案，"
        f"今天（{filed_on:%Y年%m月%d日}）已逾期 {(filed_on - due).days} 天",
    )


def check_task_code(code: str, year: int | None = None) -> str | None:
    """None when the code is well formed, else the reason in Chinese."""
    m = TASK_CODE_RE.fullmatch(code)
    if m is None:
        return f"任务编号“{code}”格式不符，应如 LC-SCJGJ-2026-003（地区-部门-年度-序号）"
    if year is not None and int(m["year"]) != year:
        return f"任务编号“{code}”中的年度 {m['year']} 与计划年度 {year} 不一致"
    return None


def check_plan_code(code: str) -> str | None:
    if PLAN_CODE_RE.fullmatch(code) is None:
        return f"计划编号“{code}”格式不符：3–40 位大写字母、数字或“-”，如 LC-LH-2026"
    return None


def next_task_code(place: str, dept: str, year: int, existing: Iterable[str]) -> str:
    """The next free serial for place-dept-year."""
    prefix = f"{place}-{dept}-{year}-"
    used = {
        int(c[len(prefix) :])
        for c in existing
        if c.startswith(prefix) and c[len(prefix) :].isdigit()
    }
    n = 1
    while n in used:
        n += 1
    return f"{prefix}{n:03d}"


def periods_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def expected_both(
    shared: Mapping[str, int], p1: Mapping[str, float], p2: Mapping[str, float]
) -> float:
    """Expected number of targets both tasks visit, drawn independently (per stratum n/N)."""
    return sum(k * p1.get(s, 0.0) * p2.get(s, 0.0) for s, k in shared.items())
