"""Fields of a published annual plan table: 计划开展时间, 抽查数量, 抽查频次.

Same contract as app/domain/registry_fields.py: `parse_*` raises FieldError
with a Chinese reason.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from app.domain.registry_fields import FieldError, cell_text, nfkc

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_NUMBER = r"(\d{1,2}|十[一二]?|[一二三四五六七八九十])"
_DASH = r"\s*(?:[-—–~～至到]+)\s*"
# "1月—12月", "3-6月", "3月1日至6月30日", "2026年4月-2026年9月"
_RANGE = re.compile(
    rf"(?:\d{{4}}年)?{_NUMBER}月?(?:(\d{{1,2}})日)?{_DASH}(?:\d{{4}}年)?{_NUMBER}月(?:(\d{{1,2}})日)?"
)
_ONE_MONTH = re.compile(rf"^(?:\d{{4}}年)?{_NUMBER}月(?:份)?$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"第([一二三四1-4])季度")
_HALVES = {"上半年": (1, 6), "下半年": (7, 12), "全年": (1, 12), "年内": (1, 12)}


def _month(text: str) -> int:
    n = int(text) if text.isdigit() else _CN_DIGITS.get(text, 0)
    if not 1 <= n <= 12:
        raise FieldError(f"月份“{text}”无效")
    return n


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: object, year: int) -> tuple[date, date]:
    """'1月—12月' → (year-01-01, year-12-31); '第二季度', '上半年', '5月', '全年' too."""
    text = re.sub(r"\s+", "", nfkc(cell_text(value)))
    if not text:
        raise FieldError("计划开展时间为空")
    for word, (first, last) in _HALVES.items():
        if word in text:
            return date(year, first, 1), _last_day(year, last)
    m = _QUARTER.search(text)
    if m:
        q = _QUARTERS[m.group(1)]
        return date(year, 3 * q - 2, 1), _last_day(year, 3 * q)
    m = _RANGE.search(text)
    if m:
        first, last = _month(m.group(1)), _month(m.group(3))
        start = date(year, first, int(m.group(2))) if m.group(2) else date(year, first, 1)
        end = date(year, last, int(m.group(4))) if m.group(4) else _last_day(year, last)
        if end < start:
            raise FieldError(f"计划开展时间“{cell_text(value)}”结束早于开始")
        return start, end
    m = _ONE_MONTH.match(text)
    if m:
        month = _month(m.group(1))
        return date(year, month, 1), _last_day(year, month)
    raise FieldError(f"计划开展时间“{cell_text(value)}”无法识别，应如“1月—12月”“第二季度”")


def _number(text: str) -> int | None:
    m = re.search(r"\d+", text)
    if m:
        return int(m.group())
    for word, n in sorted(_CN_DIGITS.items(), key=lambda p: -len(p[0])):
        if word in text:
            return n
    return None


def parse_count(value: object) -> int | None:
    """'2户' → 2; blank → None."""
    text = nfkc(cell_text(value)).strip()
    if not text:
        return None
    n = _number(text)
    if n is None:
        raise FieldError(f"抽查数量“{cell_text(value)}”无法识别，应如“2户”")
    return n


def parse_frequency(value: object) -> int | None:
    """抽查频次 as batches: '1次' → 1, '每季度1次' → 4, '每半年1次' → 2; blank → None."""
    text = nfkc(cell_text(value)).strip()
    if not text:
        return None
    n = _number(text)
    if n is None:
        raise FieldError(f"抽查频次“{cell_text(value)}”无法识别，应如“1次”")
    if "季度" in text:
        n *= 4
    elif "半年" in text:
        n *= 2
    elif "月" in text and "每" in text:
        n *= 12
    if not 1 <= n <= 12:
        raise FieldError(f"抽查频次“{cell_text(value)}”应在每年 1–12 次之间")
    return n
