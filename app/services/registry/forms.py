"""What the registry edit services share: their errors and the parsing of typed text.

Forms arrive as the text a clerk typed; the services parse and check them and
either save or raise ValidationFailed with one Chinese message per field, so
that a dialog can show each message next to its field.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import OperationalError

from app.domain import registry_fields as fields
from app.domain.errors import InvalidInput, UserError
from app.domain.item_fields import parse_ratio_cap
from app.domain.registry_fields import FieldError, split_list
from app.models.faults import DatabaseBusy

P = ParamSpec("P")
R = TypeVar("R")

STALE_MESSAGE = "该记录已被他人修改或删除（{what}）。请关闭本窗口后重新打开，查看最新内容后再修改。"


class ValidationFailed(UserError, ValueError):
    """Field key → Chinese message; str() joins them for a plain message box."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


class SaveRefused(UserError, RuntimeError):
    """A save that could not happen; str() tells the user why, in Chinese."""


class StaleRecord(SaveRefused):
    """Optimistic lock lost: someone else saved (or removed) the record meanwhile."""


class NotAllowed(SaveRefused):
    """An action the rules forbid (deleting a referenced row …); str() says why."""


# What an edit can be refused with, besides ValidationFailed: views show str(exc).
# A stale save is a ConcurrentEditError naming what the other person changed.
# Both derive from UserError like every refusal (permission, database fault, …).
REFUSED: tuple[type[Exception], ...] = (UserError,)


def when_busy(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn SQLite's "database is locked" into DatabaseBusy with a message."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise DatabaseBusy(
                "数据库正被其他操作占用（可能正在导入名录，或其他电脑正在保存），"
                "本次修改未保存。请稍后再试。"
            ) from exc

    return wrapper


def clean(value: object) -> str:
    """Trimmed text; None → ''. Names keep their full-width （） as registered."""
    return ("" if value is None else str(value)).strip()


def narrow(value: object) -> str:
    """Codes, numbers and dates: full-width → half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", clean(value)).strip()


def optional(value: object) -> str | None:
    text = clean(value)
    return text or None


def parse_date(value: object, label: str) -> date | None:
    """'2019-03-01', '2019/3/1', '2019年3月1日', '20190301' → date; '' → None."""
    text = value if isinstance(value, date) else narrow(value)
    try:
        return fields.parse_date(text)
    except FieldError:
        raise InvalidInput(f"{label}“{text}”不是有效日期，请写成 2019-03-01 的形式") from None


format_date = fields.format_date


def parse_division(value: object, label: str = "行政区划代码") -> str:
    text = narrow(value)
    try:
        code = fields.parse_division(text)
    except FieldError:
        code = None
    if code is None:
        shown = f"“{text}”" if text else ""
        raise InvalidInput(f"{label}{shown}应为 6 位数字（如 371502）")
    return code


def parse_percent_bp(value: object, label: str = "比例上限") -> int:
    """'5', '5.00', '5%', '12.5 %' → basis points (500, 500, 500, 1250)."""
    text = narrow(value)
    try:
        bp = parse_ratio_cap(text)
    except FieldError:
        bp = None
    if bp is not None:
        return bp
    # Which rule the text broke, in the words of the dialog.
    number = text.removesuffix("%").strip()
    if not re.fullmatch(r"\d+(?:\.\d+)?", number):
        raise InvalidInput(f"{label}“{text}”不是数字，请填写百分数，如 5.00")
    if Decimal(number) > 100:
        raise InvalidInput(f"{label}应在 0 到 100（%）之间")
    raise InvalidInput(f"{label}最多保留两位小数")


def format_percent(bp: int | None) -> str:
    return "" if bp is None else f"{bp / 100:.2f}"


def split_tags(value: object) -> list[str]:
    """'食品生产，特种设备、重点' → ['食品生产', '特种设备', '重点'], no duplicates.

    Spaces separate tags too, unlike in a spreadsheet cell.
    """
    return split_list("、".join(clean(value).split()))


def check_length(
    errors: dict[str, str], key: str, label: str, value: str | None, limit: int
) -> None:
    if value and len(value) > limit:
        errors[key] = f"{label}过长：最多 {limit} 个字，现有 {len(value)} 个"
