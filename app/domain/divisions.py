"""行政区划代码 (GB/T 2260) of 聊城市 and its county-level divisions.

A 统一社会信用代码 carries the registering division at characters 3–8, and the
cross-district rule (异地交叉检查) compares an inspector's district with a
target's, so both need one table of the codes in use.
"""

from __future__ import annotations

from app.domain.errors import UserError

CITY_CODE = "371500"
CITY_NAME = "聊城市"
PROVINCE_NAME = "山东省"

# County-level divisions in the order of the official list.
COUNTIES: dict[str, str] = {
    "371502": "东昌府区",
    "371503": "茌平区",
    "371521": "阳谷县",
    "371522": "莘县",
    "371524": "东阿县",
    "371525": "冠县",
    "371526": "高唐县",
    "371581": "临清市",
}

# Every code a target or an inspector may carry: the city (市本级) first.
DIVISIONS: dict[str, str] = {CITY_CODE: CITY_NAME, **COUNTIES}


class UnknownDivision(UserError, ValueError):
    """A code outside 聊城市; str() is a Chinese message."""


def division_name(code: str) -> str:
    """The short name of a division: '371522' → '莘县', '371500' → '聊城市'."""
    try:
        return DIVISIONS[code]
    except KeyError:
        raise UnknownDivision(f"行政区划代码“{code}”不在聊城市范围内") from None


def full_division_name(code: str) -> str:
    """The name as printed on a notice: '371522' → '聊城市莘县', '371500' → '聊城市'."""
    name = division_name(code)
    return name if code == CITY_CODE else CITY_NAME + name


def is_known_division(code: str | None) -> bool:
    return code in DIVISIONS
