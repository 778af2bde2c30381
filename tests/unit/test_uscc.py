"""统一社会信用代码: real published codes and every way a code can be wrong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import uscc

REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110000600037341L",  # example from python-stdnum's documentation
    "91110108551385082Q",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code: str) -> None:
    assert uscc.validate(code) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("９１４４０３００１９２２０３８２１６", "914403001922038216"),  # full-width digits
        (" 91440300708461136t ", "91440300708461136T"),  # lower case, spaces
        ("9144 0300 7084 6113 6T", "91440300708461136T"),  # grouped
        ("91440300708461136\u3000T", "91440300708461136T"),  # ideographic space
        ("９１４４０３００７０８４６１１３６ｔ", "91440300708461136T"),  # full-width letter
    ],
)
def test_normalised_before_validation(raw: str, expected: str) -> None:
    assert uscc.validate(raw) == expected


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("", "为空"),
        (None, "为空"),
        ("91440300708461136", "18 位"),
        ("91440300708461136TX", "18 位"),
        ("9144030A708461136T", "格式"),  # letter in the first 8
        ("91440300708461I36T", "格式"),  # I is not in the alphabet
        ("91440300708461136U", "第 18 位"),  # wrong check character
    ],
)
def test_invalid_codes_say_why(bad: object, reason: str) -> None:
    with pytest.raises(uscc.InvalidUSCC, match=reason):
        uscc.validate(bad)


def test_org_code_check_digit_is_checked() -> None:
    # Change the organisation code's check digit (char 17) and repair the
    # 18th character, so only the GB 11714 check can catch it.
    good = "914403001922038216"
    head = good[:16] + "2"
    from stdnum.cn import uscc as stdnum_uscc

    forged = head + stdnum_uscc.calc_check_digit(head + "0")
    assert stdnum_uscc.is_valid(forged)  # python-stdnum alone accepts it
    with pytest.raises(uscc.InvalidUSCC, match="组织机构代码"):
        uscc.validate(forged)


def test_org_code_check_char_known_values() -> None:
    assert uscc.org_code_check_char("19220382") == "1"
    assert uscc.org_code_check_char("70846113") == "6"


def test_division_of() -> None:
    assert uscc.division_of("914403001922038216") == "440300"


_BODY = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)


@given(kind=st.sampled_from("123"), division=st.from_regex(r"\A37[0-9]{4}\Z"), body=_BODY)
def test_made_codes_validate_and_any_single_change_is_caught(
    kind: str, division: str, body: str
) -> None:
    code = uscc.make_code(kind, division, body)
    assert uscc.validate(code) == code
    assert code[1] == kind and uscc.division_of(code) == division
    for pos in range(18):
        for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if ch == code[pos]:
                continue
            changed = code[:pos] + ch + code[pos + 1 :]
            # The 18th character is a check over all 17 others with weights
            # coprime to 31, so any single substitution fails somewhere.
            assert not uscc.is_valid(changed), changed
            break
