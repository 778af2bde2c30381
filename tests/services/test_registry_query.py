"""Registry services: target pages, sorting, filters, search; edit forms and their locks."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from registry_data import add_departments, add_inspector, add_targets, target_code
from sqlalchemy import event, func, text

from app.domain.risk import UNCLASSIFIED
from app.models import Target
from app.models.db import Database
from app.services.common.concurrency import ConcurrentEditError
from app.services.registry import query as registry_query
from app.services.registry.forms import DatabaseBusy, ValidationFailed
from app.services.registry.query import (
    ACTIVE_STATUSES,
    SORT_COLUMNS,
    TargetQuery,
    count_targets,
    fetch_targets,
    has_fts,
    load_facets,
)
from app.services.registry.targets import (
    TargetForm,
    add_recusal,
    get_target,
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


def test_trigram_search_with_filters_loops_over_the_matches(sqlite_db: Database) -> None:
    """The FTS table must be the outer loop: the other order runs MATCH once per target."""
    if not has_fts(sqlite_db):
        pytest.skip("targets_fts (migration 0002) not in this schema yet")
    q = TargetQuery(text="超市有限", division_code="371522", risk_class="A", sort_key="name")
    for stmt in (
        registry_query._select(sqlite_db, q, True, func.count()),
        registry_query._select(sqlite_db, q, True, Target.id).order_by(Target.name),
    ):
        sql = str(stmt.compile(sqlite_db.engine, compile_kwargs={"literal_binds": True}))
        with sqlite_db.engine.connect() as conn:
            plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
        assert plan[0].startswith("SCAN targets_fts"), plan
        assert "INTEGER PRIMARY KEY" in plan[1], plan


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
    with pytest.raises(ConcurrentEditError, match="在您打开之后已被") as err:
        save_target(db, second)
    # The message lists the other person's change and this user's own.
    assert "联系电话：（空） → 0635-8888888" in str(err.value)
    assert get_target(db, target_id).name == "莘县新开超市有限公司"
    with pytest.raises(ConcurrentEditError, match="联系电话"):
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
