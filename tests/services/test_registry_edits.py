"""Registry edit services: recusals, inspectors, items with guides, joint groups, permissions."""

from __future__ import annotations

from datetime import date

import pytest
from registry_data import add_departments, add_inspector, add_items, add_targets

from app.domain.auth import Role
from app.models.db import Database
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.common.concurrency import ConcurrentEditError
from app.services.registry import items as item_service
from app.services.registry.forms import (
    NotAllowed,
    ValidationFailed,
    parse_date,
    parse_division,
    parse_percent_bp,
    split_tags,
)
from app.services.registry.inspectors import (
    InspectorForm,
    InspectorQuery,
    get_inspector,
    list_inspectors,
    save_inspector,
)
from app.services.registry.item_groups import JointGroupForm, list_joint_groups, save_joint_group
from app.services.registry.targets import (
    add_recusal,
    get_target,
    inspector_recusals,
    remove_recusal,
    save_target,
    target_recusals,
)

# ---- typed text: the import's rules, the dialog's messages ---------------------------------


def test_form_fields_read_what_the_import_reads() -> None:
    assert parse_date("2019 年 3 月 1 日", "成立日期") == date(2019, 3, 1)
    assert parse_date("２０１９／３／１", "成立日期") == date(2019, 3, 1)
    assert parse_date(" ", "成立日期") is None
    assert parse_division("371502 东昌府区") == "371502"
    assert parse_percent_bp("１２．５ ％") == 1250
    assert parse_percent_bp("5.00%") == 500
    assert split_tags("食品生产 特种设备，重点、食品生产") == ["食品生产", "特种设备", "重点"]


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("date", "2019-02-30", "执法证有效期“2019-02-30”不是有效日期"),
        ("division", "", "所属区划应为 6 位数字"),
        ("division", "37150", "所属区划“37150”应为 6 位数字"),
        ("percent", "五", "比例上限“五”不是数字"),
        ("percent", "100.5", "比例上限应在 0 到 100（%）之间"),
        ("percent", "5.555%", "比例上限最多保留两位小数"),
    ],
)
def test_form_field_messages_name_the_field(field: str, text: str, message: str) -> None:
    parse = {
        "date": lambda t: parse_date(t, "执法证有效期"),
        "division": lambda t: parse_division(t, "所属区划"),
        "percent": parse_percent_bp,
    }[field]
    with pytest.raises(ValueError) as err:
        parse(text)
    assert str(err.value).startswith(message)


# ---- recusals, inspectors, items ------------------------------------------------------


def test_recusal_add_list_both_sides_and_remove(db: Database) -> None:
    ids = add_targets(db, 2)
    depts = add_departments(db)
    inspector = add_inspector(db, depts["SJ"])
    code = get_target(db, ids[1]).uscc
    row = add_recusal(db, inspector, code.lower(), "曾在该企业任职", "2024年3月1日")
    assert row.recorded_on == date(2024, 3, 1) and row.target_uscc == code
    assert [r.id for r in inspector_recusals(db, inspector)] == [row.id]
    assert [r.id for r in target_recusals(db, ids[1])] == [row.id]
    with pytest.raises(ValidationFailed) as err:
        add_recusal(db, inspector, code, "重复", "")
    assert "已登记回避" in err.value.errors["target"]
    with pytest.raises(ValidationFailed) as err:
        add_recusal(db, inspector, "91371500000000000X", "", "")
    assert set(err.value.errors) == {"target", "reason"}
    remove_recusal(db, row.id)
    assert target_recusals(db, ids[1]) == []


def test_inspector_save_unique_badge_qualifications_and_drawable(db: Database) -> None:
    depts = add_departments(db)
    items = add_items(db, depts)
    add_inspector(db, depts["SJ"], badge_no="37150001")
    form = InspectorForm(
        name="李四",
        department_id=depts["SJ"],
        badge_no="37150001",
        badge_expires_on="2020-01-01",
        qualification_ids=[items["SJ-001"], items["SJ-002"]],
    )
    with pytest.raises(ValidationFailed) as err:
        save_inspector(db, form)
    assert "不能重复" in err.value.errors["badge_no"]
    form.badge_no = "37150002"
    new_id = save_inspector(db, form)
    rows = list_inspectors(db, InspectorQuery(department_id=depts["SJ"]))
    li = next(r for r in rows if r.id == new_id)
    assert li.qualification_count == 2 and not li.drawable  # badge expired
    drawable = list_inspectors(db, InspectorQuery(drawable_only=True))
    assert [r.name for r in drawable] == ["张三"]
    # Qualifications alone changed: the version moves, so a stale form is refused.
    stale = get_inspector(db, new_id)
    fresh = get_inspector(db, new_id)
    fresh.qualification_ids = [items["SJ-001"]]
    save_inspector(db, fresh)
    assert get_inspector(db, new_id).version == (stale.version or 0) + 1
    stale.phone = "13900000000"
    with pytest.raises(ConcurrentEditError, match="执法检查人员"):
        save_inspector(db, stale)


def test_inspector_list_flags_expired_badges_as_of_the_day_given(db: Database) -> None:
    """The list computes the 已过期 flag on the day it is given, not the machine's clock."""
    depts = add_departments(db)
    day = date(2026, 7, 20)
    for name, badge, expires in (
        ("昨过期", "37150011", "2026-07-19"),
        ("今到期", "37150012", "2026-07-20"),
        ("未填证", "37150013", ""),
    ):
        save_inspector(
            db,
            InspectorForm(
                name=name, department_id=depts["SJ"], badge_no=badge, badge_expires_on=expires
            ),
        )
    rows = {r.name: r for r in list_inspectors(db, InspectorQuery(), today=day)}
    assert rows["昨过期"].badge_expired and not rows["昨过期"].drawable
    assert not rows["今到期"].badge_expired and rows["今到期"].drawable
    assert rows["未填证"].badge_expires_on is None
    assert not rows["未填证"].badge_expired and not rows["未填证"].drawable
    # A day later, the badge that expired today has lapsed too.
    later = {r.name: r for r in list_inspectors(db, InspectorQuery(), today=date(2026, 7, 21))}
    assert later["今到期"].badge_expired


def test_item_save_cap_guide_and_checkpoint_order(db: Database) -> None:
    depts = add_departments(db)
    form = item_service.ItemForm(
        code="sj-010",
        name="广告发布检查",
        department_id=depts["SJ"],
        category="GENERAL",
        ratio_cap="3.5%",
        methods=["网络监测", "书面检查"],
        procedure="调取广告样件，核对发布记录。",
        checkpoints=[
            item_service.CheckpointForm("广告内容是否真实", "《广告法》第四条"),
            item_service.CheckpointForm("", ""),
            item_service.CheckpointForm("是否有发布登记", "《广告法》第二十九条"),
        ],
    )
    item_id = item_service.save_item(db, form)
    saved = item_service.get_item(db, item_id)
    assert saved.code == "SJ-010" and saved.ratio_cap == "3.50"
    assert saved.methods == ["书面检查", "网络监测"]  # the item list's order
    assert [c.text for c in saved.checkpoints] == ["广告内容是否真实", "是否有发布登记"]
    saved.checkpoints.reverse()
    saved.checkpoints.append(item_service.CheckpointForm("新增要点", ""))
    item_service.save_item(db, saved)
    again = item_service.get_item(db, item_id)
    assert [c.text for c in again.checkpoints] == ["是否有发布登记", "广告内容是否真实", "新增要点"]
    assert again.version == (saved.version or 0) + 1
    again.checkpoints = again.checkpoints[:1]
    again.category = "KEY"
    again.ratio_cap = "not used"
    item_service.save_item(db, again)
    key = item_service.get_item(db, item_id)
    assert key.ratio_cap == "" and len(key.checkpoints) == 1
    row = next(r for r in item_service.list_items(db) if r.id == item_id)
    assert item_service.ratio_cap_text(row.category, row.ratio_cap_bp) == "不设上限"


def test_item_validation_messages(db: Database) -> None:
    depts = add_departments(db)
    add_items(db, depts)
    form = item_service.ItemForm(
        code="SJ-001",
        name="",
        department_id=depts["SJ"],
        category="GENERAL",
        ratio_cap="5.555",
        methods=[],
        checkpoints=[item_service.CheckpointForm("", "只有依据")],
    )
    with pytest.raises(ValidationFailed) as err:
        item_service.save_item(db, form)
    assert set(err.value.errors) == {"code", "name", "ratio_cap", "methods", "checkpoints"}
    assert "两位小数" in err.value.errors["ratio_cap"]
    form.ratio_cap = ""
    with pytest.raises(ValidationFailed) as err:
        item_service.save_item(db, form)
    assert "须填写比例上限" in err.value.errors["ratio_cap"]


def test_joint_group_needs_two_departments_and_blocks_item_delete(db: Database) -> None:
    depts = add_departments(db)
    items = add_items(db, depts)
    one_dept = JointGroupForm(code="LH-01", name="食品联合", item_ids=[items["SJ-001"]])
    with pytest.raises(ValidationFailed, match="至少两个部门"):
        save_joint_group(db, one_dept)
    one_dept.item_ids.append(items["YJ-001"])
    group_id = save_joint_group(db, one_dept)
    [group] = list_joint_groups(db)
    assert group.id == group_id and group.departments == ["市场监管局", "应急管理局"]
    with pytest.raises(NotAllowed, match="联合抽查事项组"):
        item_service.delete_item(db, items["YJ-001"])
    item_service.delete_item(db, items["SJ-002"])
    assert {r.code for r in item_service.list_items(db)} == {"SJ-001", "YJ-001"}


def test_edits_need_the_registry_permission_and_the_department(db: Database) -> None:
    depts = add_departments(db)
    items = add_items(db, depts)
    ids = add_targets(db, 1)
    viewer = Principal(None, "leader", "领导", frozenset({Role.VIEWER}))
    planner = Principal(
        None, "yj", "应急局计划员", frozenset({Role.PLANNER}), department_id=depts["YJ"]
    )
    form = get_target(db, ids[0])
    form.name = "只读用户的修改"
    with acting_as(viewer), pytest.raises(PermissionDenied, match="维护事项清单与名录库"):
        save_target(db, form)
    sj_item = item_service.get_item(db, items["SJ-001"])
    sj_item.name = "他部门的事项"
    with acting_as(planner):
        with pytest.raises(PermissionDenied, match="其他部门"):
            item_service.save_item(db, sj_item)
        yj_item = item_service.get_item(db, items["YJ-001"])
        yj_item.name = "危险化学品经营许可条件检查"
        item_service.save_item(db, yj_item)
        save_target(db, form)  # the target registry is shared by every department
    assert item_service.get_item(db, items["SJ-001"]).name == "食品经营者经营条件检查"
