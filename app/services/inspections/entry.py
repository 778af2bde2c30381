"""结果录入: results per item of one inspection, entered by the team (谁检查、谁录入).

Who may enter an item's result, checked here for the GUI, the command line and
imports alike:
- a team member signed in as an inspector (Permission.ENTER_RESULTS, user
  linked through users.inspector_id): items of their own department, or any
  item when no one of the item's department is on the team;
- a department's results clerk (Permission.ENTER_ANY_RESULTS): items of their
  department (administrators and users without a department: every item).
Every entry names the team member who inspected (`entered_by_inspector_id`),
so a joint inspection records which department entered which item. An entry
puts the item 待审核; an approved or published result cannot be re-entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.results import (
    EDITABLE_STATES,
    RESULT_METHODS,
    CategoryList,
    FollowUp,
    ResultState,
    inspection_state,
)
from app.models.db import Database
from app.models.inspections import Inspection, InspectionMember, InspectionResult
from app.services.access.auth import PermissionDenied, Principal, current_principal, require
from app.services.common.categories import categories
from app.services.common.concurrency import ensure_version, flush_or_explain, touch
from app.services.inspections.common import (
    DeadlineReference,
    InspectionError,
    apply_deadline,
    calendar,
    deadline_reference,
    now_utc,
)
from app.services.inspections.team import inspection_department_ids, load_inspection


@dataclass(frozen=True)
class ResultInput:
    """One item's result as typed or imported."""

    item_id: int
    category_code: str
    inspected_on: date
    method: str
    follow_up: str = FollowUp.NONE.value
    finding: str = ""
    # The team member who inspected the item; None: the signed-in inspector, else
    # the team's member of the item's department, else the lead.
    inspector_id: int | None = None


def may_enter_any(p: Principal) -> bool:
    return p.may(Permission.ENTER_ANY_RESULTS)


def check_entry_permission(ins: Inspection, item_department_ids: Iterable[int]) -> Principal:
    """Refuse unless the current principal may enter these items of this inspection."""
    p = current_principal()
    depts = set(item_department_ids)
    if may_enter_any(p):
        return require(Permission.ENTER_ANY_RESULTS, department_ids=depts)
    team = ins.team
    require(Permission.ENTER_RESULTS, inspector_ids=[m.inspector_id for m in team])
    mine = next(m for m in team if m.inspector_id == p.inspector_id)
    team_depts = {m.department_id for m in team}
    for dept in depts:
        if dept != mine.department_id and dept in team_depts:
            raise PermissionDenied(
                f"“{p.label}”只能录入本部门的检查事项；该事项由检查组中其他部门的人员录入，操作未执行。"
            )
    return p


def _inspector_for(
    ins: Inspection, res: InspectionResult, wanted: int | None, p: Principal
) -> InspectionMember:
    team = ins.team
    if wanted is not None:
        for m in team:
            if m.inspector_id == wanted:
                return m
        raise InspectionError("录入人不是本检查组成员（谁检查、谁录入）")
    for m in team:
        if p.inspector_id is not None and m.inspector_id == p.inspector_id:
            return m
    for m in team:
        if m.department_id == res.department_id:
            return m
    if not team:
        raise InspectionError(f"检查 {ins.id} 没有检查组成员，不能录入结果")
    return team[0]


def validate(ins: Inspection, value: ResultInput, cats: CategoryList, today: date) -> str:
    """The category code for `value`, or InspectionError naming what is wrong."""
    cat = cats.find(value.category_code)
    if cat is None:
        raise InspectionError(f"结果类型“{value.category_code}”不在结果类型清单中")
    if not ins.window_start <= value.inspected_on <= ins.window_end:
        raise InspectionError(
            f"检查日期 {value.inspected_on:%Y-%m-%d} 不在任务检查期 "
            f"{ins.window_start:%Y-%m-%d} 至 {ins.window_end:%Y-%m-%d} 之内"
        )
    if value.inspected_on > today:
        raise InspectionError(f"检查日期 {value.inspected_on:%Y-%m-%d} 晚于今天")
    if value.method not in RESULT_METHODS:
        choices = "、".join(RESULT_METHODS)
        raise InspectionError(f"检查方式“{value.method}”不在可选范围（{choices}）")
    if value.follow_up not in {f.value for f in FollowUp}:
        choices = "、".join(f.value for f in FollowUp)
        raise InspectionError(f"后续处置“{value.follow_up}”不在可选范围（{choices}）")
    if cat.is_problem and not value.finding.strip() and value.follow_up == FollowUp.NONE.value:
        raise InspectionError(f"结果为“{cat.name}”时须填写问题描述或后续处置")
    return cat.code


def apply_entry(
    s: Session, ins: Inspection, value: ResultInput, p: Principal, cats: CategoryList, today: date
) -> InspectionResult:
    """Validate and store one item's entry (permission already checked)."""
    res = next((r for r in ins.results if r.item_id == value.item_id), None)
    if res is None:
        raise InspectionError(f"检查 {ins.id} 不包括该检查事项")
    if ResultState(res.state) not in EDITABLE_STATES:
        raise InspectionError(
            f"事项“{res.item.name}”的结果已{ResultState(res.state).label}，不能再修改"
        )
    code = validate(ins, value, cats, today)
    member = _inspector_for(ins, res, value.inspector_id, p)
    cat = cats.by_code(code)
    assert cat is not None
    res.category_code = code
    res.is_problem = cat.is_problem
    res.finding = value.finding.strip()
    res.inspected_on = value.inspected_on
    res.method = value.method
    res.follow_up = value.follow_up
    res.entered_by_user_id = p.user_id
    res.entered_by_inspector_id = member.inspector_id
    res.entered_by_name = member.inspector.name
    res.entered_department_id = member.department_id
    res.entered_at = now_utc()
    res.state = ResultState.PENDING_REVIEW.value
    return res


def after_entries(s: Session, ins: Inspection) -> None:
    """The inspection's visit date, deadline and state follow its results; so does the target."""
    dates = [r.inspected_on for r in ins.results if r.inspected_on is not None]
    if dates:
        ins.inspected_on = min(dates)
        latest = max(dates)
        target = ins.target
        if target.last_inspected_on is None or target.last_inspected_on < latest:
            target.last_inspected_on = latest
    mode = deadline_reference(s)
    if mode is DeadlineReference.INSPECTION_DATE:
        apply_deadline(ins, mode, calendar(s))
    ins.state = inspection_state(ResultState(r.state) for r in ins.results).value
    touch(ins)


def enter_results(
    db: Database,
    inspection_id: int,
    values: Sequence[ResultInput],
    *,
    today: date,
    expected_version: int | None = None,
) -> str:
    """Store the entries (all or nothing) and put them 待审核."""
    if not values:
        raise InspectionError("没有要保存的结果")
    with db.session() as s:
        ins = load_inspection(s, inspection_id)
        by_item = {r.item_id: r for r in ins.results}
        depts = {by_item[v.item_id].department_id for v in values if v.item_id in by_item}
        p = check_entry_permission(ins, depts)
        require(Permission.VIEW, department_ids=inspection_department_ids(ins))
        if expected_version is not None:
            ensure_version(ins, expected_version)
        cats = categories(s)
        for value in values:
            apply_entry(s, ins, value, p, cats, today)
        after_entries(s, ins)
        flush_or_explain(s)
        return f"已保存 {len(values)} 项结果，待审核。"


def fill_no_problem(
    db: Database,
    inspection_id: int,
    *,
    inspected_on: date,
    method: str,
    today: date,
    expected_version: int | None = None,
) -> int:
    """“其余事项均未发现问题”: every item not yet entered that the user may enter, in one go."""
    with db.session() as s:
        ins = load_inspection(s, inspection_id)
        remaining = [r for r in ins.results if r.state == ResultState.NOT_ENTERED.value]
        if not remaining:
            raise InspectionError(f"检查 {ins.id} 没有未录入的事项")
        p = current_principal()
        allowed = []
        for r in remaining:
            try:
                check_entry_permission(ins, [r.department_id])
            except PermissionDenied:
                continue
            allowed.append(r)
        if not allowed:
            check_entry_permission(ins, {r.department_id for r in remaining})  # raises
        if expected_version is not None:
            ensure_version(ins, expected_version)
        cats = categories(s)
        code = cats.no_problem.code
        for r in allowed:
            value = ResultInput(r.item_id, code, inspected_on, method, FollowUp.NONE.value)
            apply_entry(s, ins, value, p, cats, today)
        after_entries(s, ins)
        flush_or_explain(s)
        return len(allowed)
