"""Registry services: target pages, sorting, filters, search; edit forms and their locks."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from registry_data import add_departments, add_inspector, add_items, add_targets, target_code
from sqlalchemy import event, text

from app.domain.auth import Role
from app.domain.risk import UNCLASSIFIED
from app.models import Target
from app.models.db import Database
from app.services import items as item_service
from app.services import registry_query
from app.services.auth import PermissionDenied, Principal, acting_as
from app.services.inspectors import (
    InspectorForm,
    InspectorQuery,
    get_inspector,
    list_inspectors,
    save_inspector,
)
from app.services.item_groups import JointGroupForm, list_joint_groups, save_joint_group
from app.services.registry_forms import DatabaseBusy, NotAllowed, StaleRecord, ValidationFailed
from app.services.registry_query import (
    ACTIVE_STATUSES,
    SORT_COLUMNS,
    TargetQuery,
    count_targets,
    fetch_targets,
    has_fts,
    load_facets,
)
from app.services.targets import (
    TargetForm,
    add_recusal,
    get_target,
    inspector_recusals,
    remove_recusal,
    save_target,
    set_target_status,
    target_recusals,
)


def _all_pages(db: Database, q: TargetQuery, limit: int = 7) -> list:
    rows: list = []
    while True:
        page = fetch_targets(db, q, rows[-1] if rows else None, limit=limit)
        rows.extend(page)
        if len(page) < limit:
            return rows


def _python_order(rows: list, key: str, descending: bool, nulls_largest: bool) -> list[int]:
    def sort_key(r):
        value = getattr(r, key)
        is_null = value is None
        # NULLs at the backend's natural end: before values on SQLite, after on PG.
        null_rank = (1 if is_null else 0) if nulls_largest else (0 if is_null else 1)
        return (null_rank, value if not is_null else 0, r.id)

    return [r.id for r in sorted(rows, key=sort_key, reverse=descending)]


# ---- target list ---------------------------------------------------------------


def test_keyset_pages_cover_every_row_once(db: Database) -> None:
    ids = add_targets(db, 45)
    rows = _all_pages(db, TargetQuery())
    assert [r.id for r in rows] == sorted(ids)
    assert count_targets(db, TargetQuery()) == 45


@pytest.mark.parametrize("key", sorted(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_in_sql_by_every_column_pages_without_gaps(
    db: Database, key: str, descending: bool
) -> None:
    add_targets(db, 40)
    q = TargetQuery(sort_key=key, descending=descending)
    paged = _all_pages(db, q, limit=6)
    assert len(paged) == 40 and len({r.id for r in paged}) == 40
    whole = fetch_targets(db, q, limit=1000)
    assert [r.id for r in paged] == [r.id for r in whole]
    if key not in ("name", "uscc", "legal_rep", "address", "entity_type"):
        # Text collation differs between backends; the rest compare the same way.
        nulls_largest = db.engine.dialect.name == "postgresql"
        assert [r.id for r in paged] == _python_order(whole, key, descending, nulls_largest)


def test_filters_division_risk_status_type_industry(db: Database) -> None:
    add_targets(db, 60)
    everything = fetch_targets(db, TargetQuery(), limit=1000)

    def ids(q: TargetQuery) -> set[int]:
        found = {r.id for r in fetch_targets(db, q, limit=1000)}
        assert count_targets(db, q) == len(found)
        return found

    assert ids(TargetQuery(division_code="371522")) == {
        r.id for r in everything if r.division_code == "371522"
    }
    assert ids(TargetQuery(risk_class=UNCLASSIFIED)) == {
        r.id for r in everything if r.risk_class is None
    }
    assert ids(TargetQuery(risk_class="D")) == {r.id for r in everything if r.risk_class == "D"}
    assert ids(TargetQuery(reg_status="注销")) == {
        r.id for r in everything if r.reg_status == "注销"
    }
    assert ids(TargetQuery(reg_status=ACTIVE_STATUSES)) == {
        r.id for r in everything if r.reg_status in ("存续", "在业", "开业")
    }
    assert ids(TargetQuery(entity_type="个体工商户", industry_code="F521")) == {
        r.id for r in everything if r.entity_type == "个体工商户" and r.industry_code == "F521"
    }
    facets = load_facets(db)
    assert facets.divisions == ["371502", "371522", "371581"]
    assert set(facets.entity_types) == {"企业", "个体工商户"}
    assert ("F520", "零售业0") in facets.industries


@pytest.mark.parametrize(
    ("needle", "expected_names"),
    [
        ("鑫源", {"聊城市东昌府区鑫源商贸有限公司", "临清市鑫源五金经营部"}),  # 2 chars: LIKE
        ("鑫源商贸", {"聊城市东昌府区鑫源商贸有限公司"}),  # ≥ 3 chars: FTS5 on SQLite
        ("超市", {"聊城市旺旺超市有限公司", "东昌府区利民超市"}),
        ("大药房", {"莘县百姓大药房"}),
        ("药", {"莘县百姓大药房"}),
    ],
)
def test_search_matches_chinese_name_substrings(
    db: Database, needle: str, expected_names: set[str]
) -> None:
    add_targets(db, 24)
    rows = _all_pages(db, TargetQuery(text=needle), limit=5)
    assert {r.name[:-4] for r in rows} == expected_names
    assert len(rows) == 4 * len(expected_names)
    assert count_targets(db, TargetQuery(text=needle)) == len(rows)


def test_search_by_code_substring_and_with_filters(db: Database) -> None:
    ids = add_targets(db, 24)
    code = get_target(db, ids[7]).uscc
    rows = fetch_targets(db, TargetQuery(text=code[-8:].lower()))
    assert [r.uscc for r in rows] == [code]
    within = fetch_targets(db, TargetQuery(text="超市", division_code="371502", sort_key="name"))
    assert within and all("超市" in r.name and r.division_code == "371502" for r in within)
    # LIKE wildcards in the search text are taken literally.
    assert fetch_targets(db, TargetQuery(text="%")) == []
    assert fetch_targets(db, TargetQuery(text='"鑫源"')) == []


def test_search_uses_the_trigram_table_when_present(sqlite_db: Database) -> None:
    if not has_fts(sqlite_db):
        pytest.skip("targets_fts (migration 0002) not in this schema yet")
    add_targets(sqlite_db, 12)
    with sqlite_db.engine.begin() as conn:
        # Empty the index: a MATCH search now finds nothing, a LIKE one still does.
        conn.execute(text("INSERT INTO targets_fts(targets_fts) VALUES('delete-all')"))
    assert fetch_targets(sqlite_db, TargetQuery(text="大药房")) == []
    assert len(fetch_targets(sqlite_db, TargetQuery(text="药房"))) == 2


def test_common_words_sorted_by_an_index_give_the_same_rows(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A common word sorted by name walks the name index with LIKE: same rows, same order."""
    add_targets(sqlite_db, 40)
    q = TargetQuery(text="有限公司", sort_key="name", descending=True)
    via_trigrams = _all_pages(sqlite_db, q, limit=4)
    monkeypatch.setattr(registry_query, "COMMON_MATCHES", 3)
    assert registry_query._search_plan(sqlite_db, q) is False
    via_index = _all_pages(sqlite_db, q, limit=4)
    assert [r.id for r in via_index] == [r.id for r in via_trigrams]
    assert len(via_index) == 14 and all("有限公司" in r.name for r in via_index)


# ---- target edits ----------------------------------------------------------------


def _form(**changes: str) -> TargetForm:
    values = {
        "uscc": target_code(900, "371522"),
        "name": "莘县新开超市有限公司",
        "division_code": "371522",
        "reg_status": "存续",
        "risk_class": "B",
        "founded_on": "2020/5/6",
        "tags": "食品经营，重点",
    }
    values.update(changes)
    return TargetForm(**values)  # type: ignore[arg-type]


def test_save_new_target_then_edit_it(db: Database) -> None:
    saved = save_target(db, _form(uscc=" " + target_code(900, "371522").lower()))
    form = get_target(db, saved.id)
    assert form.uscc == target_code(900, "371522")
    assert form.founded_on == "2020-05-06" and form.tags == "食品经营、重点"
    form.name = "莘县新开超市（更名）有限公司"
    form.risk_class = "高风险"
    again = save_target(db, form)
    assert again.version == saved.version + 1
    reread = get_target(db, saved.id)
    assert reread.risk_class == "D" and reread.name.endswith("（更名）有限公司")
    assert fetch_targets(db, TargetQuery(text="更名"))[0].id == saved.id


def test_invalid_target_fields_each_get_a_message(db: Database) -> None:
    add_targets(db, 3)
    bad = _form(
        uscc=target_code(900, "371522")[:-1] + "0",
        name=" ",
        division_code="3715",
        reg_status="歇业",
        risk_class="E",
        founded_on=(date.today() + timedelta(days=3)).isoformat(),
    )
    with pytest.raises(ValidationFailed) as err:
        save_target(db, bad)
    assert set(err.value.errors) == {
        "uscc",
        "name",
        "division_code",
        "reg_status",
        "risk_class",
        "founded_on",
    }
    assert "校验" in err.value.errors["uscc"] and "6 位数字" in err.value.errors["division_code"]
    with pytest.raises(ValidationFailed) as dup:
        save_target(db, _form(uscc=target_code(0, "371502", "2")))
    assert "已登记在检查对象" in dup.value.errors["uscc"]
    with pytest.raises(ValidationFailed) as date_err:
        save_target(db, _form(founded_on="2020-13-01"))
    assert "不是有效日期" in date_err.value.errors["founded_on"]


def test_division_differing_from_the_code_is_a_warning(db: Database) -> None:
    saved = save_target(db, _form(division_code="371581"))
    assert saved.warnings and "371522" in saved.warnings[0]


def test_optimistic_lock_refuses_the_second_of_two_concurrent_edits(db: Database) -> None:
    target_id = save_target(db, _form()).id
    first, second = get_target(db, target_id), get_target(db, target_id)
    first.phone = "0635-8888888"
    save_target(db, first)
    second.name = "另一人的修改有限公司"
    with pytest.raises(StaleRecord, match="该记录已被他人修改"):
        save_target(db, second)
    assert get_target(db, target_id).name == "莘县新开超市有限公司"
    with pytest.raises(StaleRecord):
        set_target_status(db, target_id, second.version or 0, "注销")


def test_deregister_is_a_status_change_and_keeps_the_row(db: Database) -> None:
    ids = add_targets(db, 4)
    depts = add_departments(db)
    inspector = add_inspector(db, depts["SJ"])
    code = get_target(db, ids[0]).uscc
    add_recusal(db, inspector, code, "亲属关系", "2024-01-02")
    form = get_target(db, ids[0])
    new_version = set_target_status(db, ids[0], form.version or 0, "注销")
    assert new_version == (form.version or 0) + 1
    assert get_target(db, ids[0]).reg_status == "注销"
    with db.session() as s:
        assert s.get(Target, ids[0]) is not None
    active = {r.id for r in fetch_targets(db, TargetQuery(reg_status=ACTIVE_STATUSES))}
    assert ids[0] not in active
    assert target_recusals(db, ids[0])[0].inspector_name == "张三"


def test_a_locked_database_is_a_message_not_a_crash(sqlite_db: Database) -> None:
    ids = add_targets(sqlite_db, 1)
    form = get_target(sqlite_db, ids[0])
    sqlite_db.engine.dispose()
    event.listen(
        sqlite_db.engine, "connect", lambda conn, _rec: conn.execute("PRAGMA busy_timeout=50")
    )
    blocker = sqlite3.connect(str(sqlite_db.engine.url.database))
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another writer, e.g. an import in progress
        form.name = "改名中的检查对象"
        with pytest.raises(DatabaseBusy, match="稍后再试"):
            save_target(sqlite_db, form)
    finally:
        blocker.rollback()
        blocker.close()
    assert save_target(sqlite_db, form).version == (form.version or 0) + 1


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
    with pytest.raises(StaleRecord):
        save_inspector(db, stale)


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
