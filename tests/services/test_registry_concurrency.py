"""Joint item groups and departments: a form saved over someone else's save is refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.models import InspectionItem
from app.models.db import Database
from app.services.access import audit
from app.services.common.concurrency import ConcurrentEditError
from app.services.registry.inspectors import list_departments
from app.services.registry.item_groups import (
    DepartmentForm,
    JointGroupForm,
    list_joint_groups,
    save_department,
    save_joint_group,
)
from tests.registry_data import add_departments, add_items


@pytest.fixture
def group(db: Database) -> JointGroupForm:
    items = add_items(db, add_departments(db))
    with db.session() as s:
        s.get(InspectionItem, items["SJ-002"]).joint_allowed = True
    ids = [items["SJ-001"], items["YJ-001"]]
    gid = save_joint_group(db, JointGroupForm(None, "LH-01", "食品与危化品联合检查", ids))
    (row,) = list_joint_groups(db)
    assert row.id == gid and row.version == 1
    return JointGroupForm(gid, row.code, row.name, [m.id for m in row.members], row.version)


def test_group_saved_over_a_rename_is_refused(db: Database, group: JointGroupForm) -> None:
    with audit.acting_as("王五"):
        save_joint_group(db, replace(group, name="食品安全与危化品联合检查"))
    with pytest.raises(ConcurrentEditError, match="“王五”") as err:
        save_joint_group(db, replace(group, name="我的名称"))
    text = str(err.value)
    assert "联合抽查事项（编号" in text
    assert "名称：食品与危化品联合检查 → 食品安全与危化品联合检查（您改为 我的名称）" in text
    assert list_joint_groups(db)[0].name == "食品安全与危化品联合检查"


def test_group_members_changed_alone_move_the_version(db: Database, group: JointGroupForm) -> None:
    with db.session() as s:
        extra = s.query(InspectionItem).filter_by(code="SJ-002").one().id
    save_joint_group(db, replace(group, item_ids=[*group.item_ids, extra]))
    assert list_joint_groups(db)[0].version == 2
    with pytest.raises(ConcurrentEditError, match="抽查事项"):
        save_joint_group(db, replace(group, name="我的名称"))


def test_department_renamed_twice(db: Database) -> None:
    add_departments(db)
    row = next(d for d in list_departments(db) if d.code == "YJ")
    form = DepartmentForm(row.id, row.code, row.name, row.sort_order, row.version)
    with audit.acting_as("王五"):
        save_department(db, replace(form, name="应急管理局（安委办）"))
    with pytest.raises(ConcurrentEditError, match="应急管理局 → 应急管理局（安委办）"):
        save_department(db, replace(form, sort_order=9))
    fresh = next(d for d in list_departments(db) if d.code == "YJ")
    save_department(db, DepartmentForm(fresh.id, "YJ", fresh.name, 9, fresh.version))
