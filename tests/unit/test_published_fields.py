"""Pure rules of published lists: department names, checkpoints in one cell, plan fields."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.department_names import DepartmentMatcher, Member, field_of, normalise
from app.domain.item_fields import split_item_cell
from app.domain.plan_fields import parse_count, parse_frequency, parse_period
from app.domain.registry_fields import FieldError

MEMBERS = DepartmentMatcher(
    Member(i, code, name)
    for i, (code, name) in enumerate(
        [
            ("SCJGJ", "聊城市市场监督管理局"),
            ("WJW", "卫生健康委"),
            ("JTJ", "教育体育局"),
            ("WLJ", "文化和旅游局"),
            ("GAJ", "公安局"),
        ]
    )
)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("市场监管部门", "SCJGJ"),
        ("县市场监督管理局", "SCJGJ"),
        ("聊城市市场监督管理局", "SCJGJ"),
        ("scjgj", "SCJGJ"),
        ("卫生健康部门", "WJW"),
        ("卫健委", "WJW"),
        ("教育部门", "JTJ"),
        ("文化和旅游部门", "WLJ"),
        ("文旅局", "WLJ"),
        ("公安机关", "GAJ"),
        ("公安部门", "GAJ"),
        ("火星部门", None),
    ],
)
def test_departments_as_written(written: str, code: str | None) -> None:
    found = MEMBERS.find(written)
    assert (found.code if found else None) == code


def test_two_departments_in_one_cell() -> None:
    found, unknown = MEMBERS.find_all("教育、卫生健康部门")
    assert [m.code for m in found] == ["JTJ", "WJW"] and unknown == []
    found, unknown = MEMBERS.find_all("教育，火星部门")
    assert [m.code for m in found] == ["JTJ"] and unknown == ["火星部门"]
    assert "公安局" in MEMBERS.unknown_reason(unknown)


def test_normalise_and_field() -> None:
    assert normalise("文化和旅游部门") == "文化旅游"
    assert field_of("卫生健康委员会") == "卫生健康"
    assert field_of("食品股") is None


def test_checkpoints_inside_the_item_cell() -> None:
    assert split_item_cell("校车安全管理机制事项：1.制度；2.驾驶人；3.检验。") == (
        "校车安全管理机制事项",
        ["制度", "驾驶人", "检验"],
    )
    assert split_item_cell("学校食堂检查：（1）许可证；（2）健康证明") == (
        "学校食堂检查",
        ["许可证", "健康证明"],
    )
    assert split_item_cell("药品检查：按 2024 年 1.5 版") == ("药品检查：按 2024 年 1.5 版", [])
    assert split_item_cell("食品经营者检查") == ("食品经营者检查", [])


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1月—12月", date(2026, 1, 1), date(2026, 12, 31)),
        ("3-6月", date(2026, 3, 1), date(2026, 6, 30)),
        ("3月1日至6月15日", date(2026, 3, 1), date(2026, 6, 15)),
        ("第二季度", date(2026, 4, 1), date(2026, 6, 30)),
        ("下半年", date(2026, 7, 1), date(2026, 12, 31)),
        ("二月", date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_period(text: str, start: date, end: date) -> None:
    assert parse_period(text, 2026) == (start, end)


def test_bad_fields() -> None:
    with pytest.raises(FieldError, match="无法识别"):
        parse_period("尽快", 2026)
    with pytest.raises(FieldError):
        parse_period("6月—3月", 2026)
    assert parse_count("2户") == 2 and parse_count("") is None
    assert parse_frequency("每季度1次") == 4 and parse_frequency("两次") == 2
    with pytest.raises(FieldError):
        parse_frequency("若干")
