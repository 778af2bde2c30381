"""Field rules of the registries' spreadsheets: parse what clerks type, format it back.

The item list's own fields (category, ratio cap, methods, checkpoints) are in
app/domain/item_fields.py.

Each `parse_*` takes a cell value as a spreadsheet gives it (str, int, float,
bool, date, datetime or None) and returns the stored value, or raises
FieldError whose str() says in Chinese what is wrong with the value. Each
`format_*` is the inverse used by export, so that export → import is a no-op.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from app.domain import uscc as _uscc
from app.domain.errors import UserError
from app.domain.registry import REG_STATUSES, EntityType, InspectorStatus
from app.domain.risk import UnknownRiskClass, parse_risk_class


class FieldError(UserError, ValueError):
    """A value that does not fit its field; str() is the reason in Chinese."""


def cell_text(value: object) -> str:
    """A cell as trimmed text; whole numbers lose their '.0' (phones, codes)."""
    if value is None:
        return ""
    if type(value) is str:
        return value.replace("\x00", "").strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\x00", "").strip()


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_SEPARATORS = re.compile(r"[、,，;；\n\r]+")


def split_list(value: object) -> list[str]:
    """'a、b，c;d' → ['a', 'b', 'c', 'd'], blanks and repeats dropped, order kept."""
    out: list[str] = []
    for part in _SEPARATORS.split(cell_text(value)):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def format_list(values: list[str]) -> str:
    return "、".join(values)


# ---- dates ---------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: object) -> date | None:
    """Excel date cells, 2019-03-01, 2019/3/1, 2019.3.1, 2019年3月1日, 20190301."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2_958_466:
        # An Excel day number in a cell without a date format (20190301 is text-like).
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = " ".join(nfkc(cell_text(value)).split())
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise FieldError(
        f"日期“{cell_text(value)}”无法识别，应写成 2019-03-01、2019/3/1 或 2019年3月1日"
    )


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


# ---- phone ---------------------------------------------------------------

_PHONE_OK = re.compile(r"^[0-9+()\-—/、,，;；转 ]+$")


def parse_phone(value: object, max_len: int = 40) -> str | None:
    """Digits kept as typed; a number cell keeps its digits (no '.0')."""
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= max_len:
        return value
    text = nfkc(cell_text(value)).strip()
    if not text:
        return None
    if not _PHONE_OK.match(text) or not any(ch.isdigit() for ch in text):
        raise FieldError(f"联系电话“{text}”应只含数字、空格、“-”“+”或括号")
    if len(text) > max_len:
        raise FieldError(f"联系电话“{text}”超过 {max_len} 个字符")
    return text


# ---- codes ---------------------------------------------------------------

# GB 32100 alphabet and weights, GB 11714 weights: the same rules as
# app.domain.uscc.validate, precomputed for the million-row import.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_VALUE = {c: (int(c) if c.isdigit() else ord(c) - 55) for c in _USCC_ALPHABET}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_SHAPE = re.compile(r"\d{8}[0-9A-HJ-NP-RTUWXY]{10}")


def validate_uscc(value: object) -> str:
    """app.domain.uscc.validate, four times faster on a code already written clean.

    A clean, valid code is accepted here; anything else (lower case, spaces,
    full-width, any error) goes to uscc.validate for normalising or its message.
    """
    if type(value) is str and len(value) == 18 and _USCC_SHAPE.fullmatch(value):
        total = sum(map(int.__mul__, map(_USCC_VALUE.__getitem__, value[:17]), _USCC_WEIGHTS))
        if value[17] == _USCC_ALPHABET[(31 - total) % 31]:
            org = sum(map(int.__mul__, map(_ORG_VALUE.__getitem__, value[8:16]), _ORG_WEIGHTS))
            check = 11 - org % 11
            if value[16] == ("X" if check == 10 else "0" if check == 11 else str(check)):
                return value
    return _uscc.validate(value)


_DIVISION = re.compile(r"^(\d{6})(?!\d)")


def parse_division(value: object) -> str | None:
    """A 6-digit 行政区划代码 (GB/T 2260); '371502 东昌府区' keeps the digits."""
    text = re.sub(r"\s+", "", nfkc(cell_text(value)))
    if not text:
        return None
    m = _DIVISION.match(text)
    if not m:
        raise FieldError(f"行政区划代码“{cell_text(value)}”应为 6 位数字，如 371502")
    return m[1]


def parse_risk(value: object) -> str | None:
    """'A'…'D', 低风险…高风险, 'A类'; empty = 未分类 (None)."""
    try:
        return parse_risk_class(nfkc(cell_text(value)))
    except UnknownRiskClass as exc:
        raise FieldError(str(exc)) from None


# ---- target fields ---------------------------------------------------------

_REG_STATUS_ALIASES: dict[str, str] = {
    "在营": "在业",
    "正常": "存续",
    "在册": "存续",
    "确立": "存续",
    "歇业": "停业",
    "吊销,未注销": "吊销",
    "吊销未注销": "吊销",
    "吊销,已注销": "注销",
    "已注销": "注销",
    "撤销": "注销",
    "迁移": "迁出",
    "已迁出": "迁出",
}
DEFAULT_REG_STATUS = "存续"


def parse_reg_status(value: object) -> str:
    """One of REG_STATUSES; national-platform spellings like '存续（在营、开业、在册）'.

    Empty → 存续. Anything else raises: the caller decides how to keep it.
    """
    text = re.sub(r"\s+", "", nfkc(cell_text(value)))
    if not text:
        return DEFAULT_REG_STATUS
    if text in REG_STATUSES:
        return text
    if text in _REG_STATUS_ALIASES:
        return _REG_STATUS_ALIASES[text]
    head = re.split(r"[(（]", text, maxsplit=1)[0]
    if head in REG_STATUSES:
        return head
    raise FieldError(f"登记状态“{cell_text(value)}”无法识别，应为 {'、'.join(REG_STATUSES)} 之一")


def parse_entity_type(value: object) -> str | None:
    """企业 / 个体工商户 / 农民专业合作社; specific company forms count as 企业."""
    text = re.sub(r"\s+", "", nfkc(cell_text(value)))
    if not text:
        return None
    if "个体" in text:
        return EntityType.SOLE_TRADER.value
    if "合作社" in text:
        return EntityType.COOPERATIVE.value
    if any(word in text for word in ("企业", "公司", "合伙", "独资", "集体", "全民", "联营")):
        return EntityType.ENTERPRISE.value
    raise FieldError(
        f"市场主体类型“{cell_text(value)}”无法识别，应为企业、个体工商户或农民专业合作社"
    )


_INDUSTRY = re.compile(r"^([A-Ta-t]\d{0,4}|\d{2,4})(?![0-9A-Za-z])[\s:：\-—_/]*(.*)$", re.S)


def parse_industry(value: object) -> tuple[str | None, str | None]:
    """'C1391 谷物磨制' → ('C1391', '谷物磨制'); a lone code or a lone name also works."""
    text = cell_text(value)
    if not text:
        return None, None
    narrow = nfkc(text)
    m = _INDUSTRY.match(narrow)
    if m:
        # The name as written (full-width brackets stay); NFKC kept the length here.
        rest = text[m.start(2) :] if len(narrow) == len(text) else m[2]
        code, name = m[1].upper(), rest.strip() or None
    else:
        code, name = None, text
    if name is not None and len(name) > 100:
        raise FieldError(f"行业名称“{name[:20]}…”超过 100 个字")
    return code, name


def format_industry(code: str | None, name: str | None) -> str:
    return " ".join(p for p in (code, name) if p)


# ---- inspectors -------------------------------------------------------------

_INSPECTOR_STATUS_ALIASES: dict[str, InspectorStatus] = {
    **{s.value: s for s in InspectorStatus},
    "在职": InspectorStatus.ACTIVE,
    "正常": InspectorStatus.ACTIVE,
    "挂职": InspectorStatus.SECONDED,
    "外派": InspectorStatus.SECONDED,
    "离职": InspectorStatus.AWAY,
    "调离": InspectorStatus.AWAY,
    "停职": InspectorStatus.AWAY,
    "休假": InspectorStatus.AWAY,
    "已退休": InspectorStatus.RETIRED,
}


def parse_inspector_status(value: object) -> InspectorStatus:
    """在岗/借调/离岗/退休 (and common synonyms); empty → 在岗."""
    text = re.sub(r"\s+", "", nfkc(cell_text(value)))
    if not text:
        return InspectorStatus.ACTIVE
    try:
        return _INSPECTOR_STATUS_ALIASES[text]
    except KeyError:
        allowed = "、".join(s.value for s in InspectorStatus)
        raise FieldError(f"人员状态“{text}”无法识别，应为 {allowed} 之一") from None
