"""Field rules of the registry spreadsheets: parse what clerks type, format it back."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import uscc
from app.domain.item_fields import (
    format_checkpoints,
    format_ratio_cap,
    parse_category,
    parse_checkpoints,
    parse_methods,
    parse_ratio_cap,
    parse_yes_no,
)
from app.domain.registry import InspectorStatus, ItemCategory
from app.domain.registry_fields import (
    FieldError,
    cell_text,
    format_date,
    format_industry,
    format_list,
    parse_date,
    parse_division,
    parse_entity_type,
    parse_industry,
    parse_inspector_status,
    parse_phone,
    parse_reg_status,
    parse_risk,
    split_list,
    validate_uscc,
)


def test_cell_text_keeps_digits_of_number_cells() -> None:
    assert cell_text(13800138000.0) == "13800138000"
    assert cell_text(371502) == "371502"
    assert cell_text(1.5) == "1.5"
    assert cell_text("  x \x00") == "x"
    assert cell_text(None) == ""
    assert cell_text(datetime(2019, 3, 1)) == "2019-03-01"


@pytest.mark.parametrize(
    "value",
    [
        date(2019, 3, 1),
        datetime(2019, 3, 1, 0, 0),
        "2019-03-01",
        "2019/3/1",
        "2019.3.1",
        "2019年3月1日",
        "２０１９年３月１日",
        "20190301",
        " 2019-03-01 00:00:00 ",
        43525,  # an Excel day number in a cell without a date format
        43525.0,
    ],
)
def test_dates_in_every_format(value: object) -> None:
    assert parse_date(value) == date(2019, 3, 1)


@pytest.mark.parametrize("value", ["2019-02-30", "三月一日", "2019-13-01", "abc", "01/03/2019"])
def test_bad_dates_say_what_was_written(value: str) -> None:
    with pytest.raises(FieldError, match="无法识别"):
        parse_date(value)


def test_empty_date_is_none() -> None:
    assert parse_date("") is None and parse_date(None) is None


def test_phone() -> None:
    assert parse_phone(13800138000.0) == "13800138000"
    assert parse_phone("0635-8888888") == "0635-8888888"
    assert parse_phone("０６３５－８８８８８８８") == "0635-8888888"
    assert parse_phone("") is None
    with pytest.raises(FieldError, match="联系电话"):
        parse_phone("无")
    with pytest.raises(FieldError, match="超过"):
        parse_phone("1" * 41)


def test_division() -> None:
    assert parse_division(371502) == "371502"
    assert parse_division(" 371502 东昌府区") == "371502"
    assert parse_division("") is None
    for bad in ("东昌府区", "37150", "3715021"):
        with pytest.raises(FieldError, match="6 位数字"):
            parse_division(bad)


def test_risk_classes() -> None:
    assert [parse_risk(v) for v in ("A", "b", "Ｃ", "高风险", "一般风险", "", None)] == [
        "A",
        "B",
        "C",
        "D",
        "B",
        None,
        None,
    ]
    with pytest.raises(FieldError, match="信用风险分类"):
        parse_risk("E")


def test_reg_status_spellings() -> None:
    assert parse_reg_status("存续（在营、开业、在册）") == "存续"
    assert parse_reg_status("在营") == "在业"
    assert parse_reg_status("吊销，未注销") == "吊销"
    assert parse_reg_status("吊销，已注销") == "注销"
    assert parse_reg_status("") == "存续"
    with pytest.raises(FieldError, match="登记状态"):
        parse_reg_status("清算中")


def test_entity_types() -> None:
    assert parse_entity_type("有限责任公司（自然人独资）") == "企业"
    assert parse_entity_type("个体工商户") == "个体工商户"
    assert parse_entity_type("个体") == "个体工商户"
    assert parse_entity_type("农民专业合作社") == "农民专业合作社"
    assert parse_entity_type("") is None
    with pytest.raises(FieldError):
        parse_entity_type("其他")


def test_industry() -> None:
    assert parse_industry("C1391 谷物磨制") == ("C1391", "谷物磨制")
    assert parse_industry("c1391谷物磨制") == ("C1391", "谷物磨制")
    assert parse_industry("F") == ("F", None)
    assert parse_industry(5211) == ("5211", None)
    assert parse_industry("百货零售") == (None, "百货零售")
    assert parse_industry("") == (None, None)
    with pytest.raises(FieldError):
        parse_industry("零" * 101)


@given(
    st.one_of(st.none(), st.from_regex(r"[A-T][0-9]{0,4}", fullmatch=True)),
    st.one_of(st.none(), st.text("零售业批发谷物磨制（）", min_size=1, max_size=20)),
)
def test_industry_round_trip(code: str | None, name: str | None) -> None:
    assert parse_industry(format_industry(code, name)) == (code, name)


def test_inspector_status() -> None:
    assert parse_inspector_status("") is InspectorStatus.ACTIVE
    assert parse_inspector_status("在职") is InspectorStatus.ACTIVE
    assert parse_inspector_status("退休") is InspectorStatus.RETIRED
    with pytest.raises(FieldError, match="人员状态"):
        parse_inspector_status("出差")


def test_category() -> None:
    assert parse_category("重点检查事项") is ItemCategory.KEY
    assert parse_category(" 一般 ") is ItemCategory.GENERAL
    with pytest.raises(FieldError, match="事项类别"):
        parse_category("")


@pytest.mark.parametrize(
    ("value", "bp"),
    [("5", 500), ("5%", 500), ("5.00%", 500), ("５％", 500), ("12.5", 1250), ("0.25%", 25),
     (0.05, 500), (5, 500), (12.5, 1250), ("100", 10000), ("", None), (None, None)],
)  # fmt: skip
def test_ratio_cap_in_basis_points(value: object, bp: int | None) -> None:
    assert parse_ratio_cap(value) == bp


@pytest.mark.parametrize("value", ["5.125%", "101", "abc", "-5", 1.0001 * 100])
def test_bad_ratio_caps(value: object) -> None:
    with pytest.raises(FieldError, match="抽查比例上限"):
        parse_ratio_cap(value)


@given(st.integers(0, 10_000))
def test_ratio_cap_round_trip(bp: int) -> None:
    assert parse_ratio_cap(format_ratio_cap(bp)) == bp


def test_methods_and_lists() -> None:
    assert parse_methods("现场检查、书面检查，网络监测;实地核查") == (
        ["实地核查", "书面检查", "网络监测"],
        [],
    )
    assert parse_methods("实地核查、飞行检查") == (["实地核查"], ["飞行检查"])
    assert split_list("a、b，c;d；a\ne") == ["a", "b", "c", "d", "e"]
    assert format_list(["a", "b"]) == "a、b"


def test_yes_no() -> None:
    assert parse_yes_no("是") and parse_yes_no("") and parse_yes_no(True)
    assert not parse_yes_no("否") and not parse_yes_no("N")
    with pytest.raises(FieldError):
        parse_yes_no("也许")


def test_checkpoints_lines_and_numbering() -> None:
    assert parse_checkpoints("要点一｜依据一\n要点二") == [("要点一", "依据一"), ("要点二", "")]
    text = "1. 查看许可证｜《食品安全法》第三十五条\n   有效期内\n2、查看台账|第五十条"
    assert parse_checkpoints(text) == [
        ("查看许可证", "《食品安全法》第三十五条\n   有效期内"),
        ("查看台账", "第五十条"),
    ]
    assert parse_checkpoints("") == []
    with pytest.raises(FieldError, match="缺少要点"):
        parse_checkpoints("｜只有依据")


_point_text = st.text(
    st.sampled_from("检查许可证台账是否齐全有效期内。（）1.5米 \n"), min_size=1, max_size=30
).map(
    # Lines as a clerk writes them; one starting like "2." would begin a new point.
    lambda s: "\n".join(
        line.strip() for line in s.split("\n") if line.strip() and not line.strip()[0].isdigit()
    )
)


@given(st.lists(st.tuples(_point_text.filter(bool), _point_text | st.just("")), max_size=6))
def test_checkpoints_round_trip(points: list[tuple[str, str]]) -> None:
    assert parse_checkpoints(format_checkpoints(points)) == points


def test_dates_round_trip() -> None:
    assert parse_date(format_date(date(2020, 2, 29))) == date(2020, 2, 29)
    assert format_date(None) == ""


_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXYZIOSV"


@given(
    st.text(_ALPHABET, min_size=17, max_size=19)
    | st.builds(lambda n: uscc.make_code("1", "371502", f"{n:08d}"), st.integers(0, 10**8 - 1))
    | st.builds(lambda n: uscc.make_code("1", "371502", f"{n:08d}").lower(), st.integers(0, 99))
)
def test_fast_uscc_check_agrees_with_the_domain_rule(code: str) -> None:
    try:
        expected: str | None = uscc.validate(code)
    except uscc.InvalidUSCC:
        expected = None
    try:
        got: str | None = validate_uscc(code)
    except uscc.InvalidUSCC:
        got = None
    assert got == expected
