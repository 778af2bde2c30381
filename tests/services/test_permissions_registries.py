"""The registries are refused in the service layer: called directly, as each kind of user.

Shared read-only: every role reads them; only 维护事项清单与名录库 (planners,
administrators) changes them, and inspectors, items, 回避 and joint groups
only within the user's department. The target registry has no department.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.auth import Role
from app.models import InspectionItem, Inspector, Recusal, Target
from app.models.db import Database
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.registry import items as item_service
from app.services.registry.export import export_registry
from app.services.registry.files import export_registry_file
from app.services.registry.imports.engine import import_registry
from app.services.registry.inspectors import InspectorForm, get_inspector, save_inspector
from app.services.registry.item_groups import (
    DepartmentForm,
    JointGroupForm,
    delete_joint_group,
    save_department,
    save_joint_group,
)
from app.services.registry.targets import (
    add_recusal,
    get_target,
    remove_recusal,
    save_target,
    set_target_status,
)
from tests.registry_data import (
    add_departments,
    add_inspector,
    add_items,
    add_targets,
    target_code,
)
from tests.xlsx_files import target_rows, write_xlsx

# Roles without 维护事项清单与名录库.
READ_ONLY_ROLES = (Role.VIEWER, Role.DRAW_OPERATOR, Role.INSPECTOR, Role.PUBLISHER)


def who(*roles: Role, dept: int | None = None, name: str = "市场监管局") -> Principal:
    return Principal(None, "u", "某人", frozenset(roles), dept, name if dept else None)


@pytest.fixture
def reg(db: Database) -> dict[str, int]:
    """Two departments, three items, one inspector of each department, two targets."""
    depts = add_departments(db)
    ids = {**depts, **add_items(db, depts)}
    ids["sj_person"] = add_inspector(db, depts["SJ"], "张三", "37150001")
    ids["yj_person"] = add_inspector(db, depts["YJ"], "李四", "37150002")
    ids["t0"], ids["t1"] = add_targets(db, 2)
    return ids


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_change_no_registry(
    db: Database, reg: dict[str, int], role: Role, tmp_path: Path
) -> None:
    user = who(role, dept=reg["SJ"])
    target = get_target(db, reg["t0"])
    target.name = "改名"
    person = get_inspector(db, reg["sj_person"])
    person.phone = "13900000000"
    item = item_service.get_item(db, reg["SJ-001"])
    item.name = "改名"
    file = write_xlsx(tmp_path / "t.xlsx", target_rows([target_code(50)]))
    with acting_as(user):
        for attempt in (
            lambda: save_target(db, target),
            lambda: set_target_status(db, reg["t0"], target.version or 0, "注销"),
            lambda: save_inspector(db, person),
            lambda: item_service.save_item(db, item),
            lambda: item_service.delete_item(db, reg["SJ-002"]),
            lambda: add_recusal(db, reg["sj_person"], target.uscc, "亲属", ""),
            lambda: import_registry(db, "targets", file),
            lambda: save_department(db, DepartmentForm(reg["SJ"], "SJ", "市场监督管理局")),
        ):
            with pytest.raises(PermissionDenied, match="维护事项清单与名录库"):
                attempt()
        # Reading stays open to every role.
        assert export_registry(db, "targets", tmp_path / "out.xlsx") == 2
    assert get_target(db, reg["t0"]).name != "改名"
    assert _count(db, Target) == 2 and _count(db, Recusal) == 0


def test_the_target_registry_is_shared_by_every_department(
    db: Database, reg: dict[str, int], tmp_path: Path
) -> None:
    target = get_target(db, reg["t0"])
    target.phone = "0635-1234567"
    with acting_as(who(Role.PLANNER, dept=reg["YJ"], name="应急管理局")):
        save_target(db, target)
        set_target_status(db, reg["t1"], get_target(db, reg["t1"]).version or 0, "吊销")
        file = write_xlsx(tmp_path / "t.xlsx", target_rows([target_code(60)]))
        assert import_registry(db, "targets", file).inserted == 1
    assert get_target(db, reg["t0"]).phone == "0635-1234567"


def test_another_departments_people_items_and_recusals_are_refused(
    db: Database, reg: dict[str, int]
) -> None:
    yj_planner = who(Role.PLANNER, dept=reg["YJ"], name="应急管理局")
    code = get_target(db, reg["t0"]).uscc
    sj_recusal = add_recusal(db, reg["sj_person"], code, "亲属", "")
    person = get_inspector(db, reg["sj_person"])
    person.phone = "13900000000"
    moved = get_inspector(db, reg["sj_person"])
    moved.department_id = reg["YJ"]  # taking another department's inspector over
    item = item_service.get_item(db, reg["SJ-001"])
    item.name = "他部门的事项"
    with acting_as(yj_planner):
        for attempt in (
            lambda: save_inspector(db, person),
            lambda: save_inspector(db, moved),
            lambda: save_inspector(
                db, InspectorForm(name="新人", department_id=reg["SJ"], badge_no="37159999")
            ),
            lambda: item_service.save_item(db, item),
            lambda: item_service.delete_item(db, reg["SJ-002"]),
            lambda: add_recusal(db, reg["sj_person"], code, "曾任职", ""),
            lambda: remove_recusal(db, sj_recusal.id),
            lambda: save_department(db, DepartmentForm(reg["SJ"], "SJ", "改名局")),
            lambda: save_department(db, DepartmentForm(None, "NEW", "新部门")),
        ):
            with pytest.raises(PermissionDenied, match=r"其他部门|只能维护本部门"):
                attempt()
        # Their own department's records are theirs to change.
        own = get_inspector(db, reg["yj_person"])
        own.phone = "13700000000"
        save_inspector(db, own)
        add_recusal(db, reg["yj_person"], code, "亲属", "")
        save_department(db, DepartmentForm(reg["YJ"], "YJ", "应急管理局（安委办）"))
    with db.session() as s:
        assert s.get(Inspector, reg["sj_person"]).department_id == reg["SJ"]
        assert s.get(InspectionItem, reg["SJ-001"]).name == "食品经营者经营条件检查"
        assert s.scalar(select(func.count()).select_from(Recusal)) == 2
    # A user tied to no department keeps the city-wide list of departments.
    with acting_as(who(Role.PLANNER)):
        save_department(db, DepartmentForm(None, "WJ", "卫生健康委"))


def test_joint_groups_belong_to_their_member_departments(db: Database, reg: dict[str, int]) -> None:
    with db.session() as s:
        for code in ("SJ-001", "YJ-001"):
            s.get(InspectionItem, reg[code]).joint_allowed = True
    form = JointGroupForm(
        code="LH-01", name="食品与危化品", item_ids=[reg["SJ-001"], reg["YJ-001"]]
    )
    outsider = who(Role.PLANNER, dept=reg["SJ"] + reg["YJ"] + 10, name="卫生健康委")
    with acting_as(outsider), pytest.raises(PermissionDenied, match="其他部门"):
        save_joint_group(db, form)
    with acting_as(who(Role.PLANNER, dept=reg["YJ"], name="应急管理局")):
        group = save_joint_group(db, form)
    with acting_as(outsider), pytest.raises(PermissionDenied, match="其他部门"):
        delete_joint_group(db, group)
    with acting_as(who(Role.VIEWER, dept=reg["SJ"])), pytest.raises(PermissionDenied):
        delete_joint_group(db, group)
    with acting_as(who(Role.PLANNER, dept=reg["SJ"])):
        delete_joint_group(db, group)


def test_import_rejects_the_rows_of_other_departments(
    db: Database, reg: dict[str, int], tmp_path: Path
) -> None:
    people = [
        ["姓名", "部门", "执法证号"],
        ["王五", "市场监管局", "37150003"],
        ["赵六", "应急管理局", "37150004"],
        ["张三改", "市场监管局", "37150002"],  # 李四's badge: 应急管理局's inspector
    ]
    items = [
        ["事项编码", "事项名称", "实施部门", "事项类别"],
        ["SJ-009", "计量器具检查", "市场监管局", "重点检查事项"],
        ["YJ-009", "烟花爆竹检查", "应急管理局", "重点检查事项"],
        ["YJ-001", "改名", "市场监管局", "重点检查事项"],  # 应急管理局's item
    ]
    code = get_target(db, reg["t0"]).uscc
    recusals = [
        ["执法证号", "统一社会信用代码", "回避事由"],
        ["37150001", code, "亲属"],
        ["37150002", code, "亲属"],
    ]
    sj_planner = who(Role.PLANNER, dept=reg["SJ"])
    with acting_as(sj_planner):
        got = {
            kind: import_registry(db, kind, write_xlsx(tmp_path / f"{kind}.xlsx", rows))
            for kind, rows in (("inspectors", people), ("items", items), ("recusals", recusals))
        }
    assert (got["inspectors"].inserted, got["inspectors"].rejected) == (1, 2)
    assert (got["items"].inserted, got["items"].rejected) == (1, 2)
    assert (got["recusals"].inserted, got["recusals"].rejected) == (1, 1)
    for report in got.values():
        assert all("属于其他部门" in i.reason for i in report.rejections)
        assert all("只能导入市场监管局的数据" in i.reason for i in report.rejections)
    with db.session() as s:
        assert s.get(Inspector, reg["yj_person"]).name == "李四"
        assert s.get(InspectionItem, reg["YJ-001"]).name == "危险化学品经营许可检查"


def test_export_needs_only_to_read(db: Database, reg: dict[str, int], tmp_path: Path) -> None:
    nobody = Principal(None, "x", "无角色", frozenset())
    with acting_as(nobody), pytest.raises(PermissionDenied, match="查看"):
        export_registry_file(db, "inspectors", tmp_path / "p.xlsx")
    with acting_as(who(Role.INSPECTOR, dept=reg["YJ"])):
        assert export_registry_file(db, "inspectors", tmp_path / "p.xlsx") == 2
