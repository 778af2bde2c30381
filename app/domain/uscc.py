"""统一社会信用代码 (GB 32100-2015) checks.

python-stdnum checks the format and the 18th check character; it does not
check the GB 11714 organisation code embedded at characters 9–17, whose last
character is a check digit of its own, so that is done here.
"""

from __future__ import annotations

import unicodedata

from stdnum.cn import uscc as _stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from app.domain.errors import UserError

# GB 11714-1997: weights of the 8 body characters of an organisation code.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class InvalidUSCC(UserError, ValueError):
    """A code that is not a valid 统一社会信用代码; str() is a Chinese reason."""


def normalize(value: object) -> str:
    """Full-width to half-width, spaces and dashes removed, upper case."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def _org_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    return ord(ch) - ord("A") + 10


def org_code_check_char(body: str) -> str:
    """Check character of the 8-character organisation code body (GB 11714)."""
    total = sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate(value: object) -> str:
    """Return the normalised code or raise InvalidUSCC with the reason in Chinese."""
    code = normalize(value)
    if not code:
        raise InvalidUSCC("统一社会信用代码为空")
    try:
        _stdnum_uscc.validate(code)
    except InvalidLength:
        raise InvalidUSCC(f"统一社会信用代码“{code}”应为 18 位，实际 {len(code)} 位") from None
    except InvalidFormat:
        raise InvalidUSCC(
            f"统一社会信用代码“{code}”格式不符：前 8 位应为数字，其后只能是数字和"
            "除 I、O、Z、S、V 以外的大写字母"
        ) from None
    except InvalidChecksum:
        raise InvalidUSCC(f"统一社会信用代码“{code}”第 18 位校验码错误") from None
    except ValidationError as exc:  # future stdnum reasons
        raise InvalidUSCC(f"统一社会信用代码“{code}”无效：{exc}") from None
    body, check = code[8:16], code[16]
    if check != org_code_check_char(body):
        raise InvalidUSCC(f"统一社会信用代码“{code}”中组织机构代码（第 9–17 位）的校验位错误")
    return code


def is_valid(value: object) -> bool:
    try:
        validate(value)
    except InvalidUSCC:
        return False
    return True


def division_of(code: str) -> str:
    """行政区划代码 embedded at characters 3–8."""
    return code[2:8]


def make_code(kind: str, division: str, org_body: str, authority: str = "9") -> str:
    """Build a valid code from its parts (demo data and tests).

    `authority` is the registering authority (9 = market regulation), `kind`
    the entity category (1 enterprise, 2 sole trader, 3 cooperative).
    """
    org = org_body + org_code_check_char(org_body)
    head = authority + kind + division + org
    return head + _stdnum_uscc.calc_check_digit(head + "0")
