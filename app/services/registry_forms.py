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
from decimal import Decimal, InvalidOperation
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import OperationalError

from app.services.auth import PermissionDenied
from app.services.concurrency import ConcurrentEditError

P = ParamSpec("P")
R = TypeVar("R")

STALE_MESSAGE = "该记录已被他人修改或删除（{what}）。请关闭本窗口后重新打开，查看最新内容后再修改。"


class ValidationFailed(ValueError):
    """Field key → Chinese message; str() joins them for a plain message box."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


class SaveRefused(RuntimeError):
    """A save that could not happen; str() tells the user why, in Chinese."""


class StaleRecord(SaveRefused):
    """Optimistic lock lost: someone else saved (or removed) the record meanwhile."""


class DatabaseBusy(SaveRefused):
    """Another writer (an import, another PC) held the database past the busy timeout."""


class NotAllowed(SaveRefused):
    """An action the rules forbid (deleting a referenced row …); str() says why."""


# What an edit can be refused with, besides ValidationFailed: views show str(exc).
# A stale save is a ConcurrentEditError naming what the other person changed.
REFUSED: tuple[type[Exception], ...] = (SaveRefused, PermissionDenied, ConcurrentEditError)


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


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: object, label: str) -> date | None:
    """'2019-03-01', '2019/3/1', '2019年3月1日', '20190301' → date; '' → None."""
    if isinstance(value, date):
        return value
    text = narrow(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise ValueError(f"{label}“{text}”不是有效日期，请写成 2019-03-01 的形式")


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def parse_division(value: object, label: str = "行政区划代码") -> str:
    text = narrow(value)
    if not re.fullmatch(r"\d{6}", text):
        shown = f"“{text}”" if text else ""
        raise ValueError(f"{label}{shown}应为 6 位数字（如 371502）")
    return text


def parse_percent_bp(value: object, label: str = "比例上限") -> int:
    """'5', '5.00', '5%', '12.5 %' → basis points (500, 500, 500, 1250)."""
    text = narrow(value).removesuffix("%").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{label}“{narrow(value)}”不是数字，请填写百分数，如 5.00") from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValueError(f"{label}应在 0 到 100（%）之间")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{label}最多保留两位小数")
    return int(number * 100)


def format_percent(bp: int | None) -> str:
    return "" if bp is None else f"{bp / 100:.2f}"


def split_tags(value: object) -> list[str]:
    """'食品生产，特种设备、重点' → ['食品生产', '特种设备', '重点'], no duplicates."""
    parts = re.split(r"[,，、;；\s]+", clean(value))
    seen: dict[str, None] = {}
    for p in parts:
        if p:
            seen.setdefault(p, None)
    return list(seen)


def check_length(
    errors: dict[str, str], key: str, label: str, value: str | None, limit: int
) -> None:
    if value and len(value) > limit:
        errors[key] = f"{label}过长：最多 {limit} 个字，现有 {len(value)} 个"
