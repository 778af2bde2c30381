"""Departments named as people write them: "市场监管部门", "卫生健康部门", "教育、卫生健康部门".

Published item lists and plans name a member department by its full name, a
short name or the field it covers, never by our department code. A written
name is normalised (half-width, no spaces, no trailing 部门/局/委/厅, no 和/与/及)
and compared with each member department's name and code; failing that, the
field both names cover (from FIELDS below) decides, and only when exactly one
member department covers it. Nothing here creates a department.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# The fields member departments cover, each with the ways people write it.
# Data, not code: a bureau whose departments are named otherwise adds a line.
FIELDS: dict[str, tuple[str, ...]] = {
    "市场监管": ("市场监督管理", "市场监管", "市监", "工商", "质监", "食药监"),
    "药品监管": ("药品监督管理", "药品监管", "药监"),
    "卫生健康": ("卫生健康", "卫健", "卫生计生", "卫计", "卫生"),
    "教育": ("教育体育", "教育", "教体"),
    "文化旅游": ("文化旅游", "文化广电旅游", "文广旅", "文旅", "文化", "旅游"),
    "公安": ("公安",),
    "交通运输": ("交通运输", "交通"),
    "生态环境": ("生态环境", "环境保护", "环保"),
    "应急管理": ("应急管理", "应急", "安全生产监督管理", "安监"),
    "住房城乡建设": ("住房城乡建设", "住房城乡", "住建", "建设"),
    "农业农村": ("农业农村", "农业", "畜牧", "农村"),
    "自然资源": ("自然资源", "国土资源", "国土"),
    "人力资源社会保障": ("人力资源社会保障", "人社", "人力资源", "劳动"),
    "商务": ("商务",),
    "税务": ("税务",),
    "消防救援": ("消防救援", "消防"),
    "医疗保障": ("医疗保障", "医保"),
    "水利": ("水利", "水务"),
    "城市管理": ("城市管理", "综合行政执法", "综合执法", "城管"),
    "发展改革": ("发展改革", "发改"),
    "工业信息化": ("工业信息化", "工信", "经济信息化", "经信"),
    "民政": ("民政",),
    "统计": ("统计",),
    "财政": ("财政",),
    "司法": ("司法",),
    "林业": ("林业", "园林"),
    "海关": ("海关",),
    "烟草专卖": ("烟草专卖", "烟草"),
    "邮政管理": ("邮政管理", "邮政"),
    "气象": ("气象",),
    "体育": ("体育",),
    "粮食和储备": ("粮食储备", "粮食"),
}

# Separators between departments in one cell; 和 is not one ("文化和旅游").
_SPLIT = re.compile(r"[、，,;；/／\n]+")
_SUFFIXES = ("委员会", "部门", "单位", "局", "委", "厅", "办")
_CONNECTIVES = re.compile(r"[和与及]")
_OTHER = "等"


def normalise(name: str) -> str:
    """'文化和旅游部门' → '文化旅游'; '市场监管局' → '市场监管'."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    text = text.removesuffix(_OTHER)
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return _CONNECTIVES.sub("", text)


def _synonyms() -> list[tuple[str, str]]:
    """(normalised synonym, field), longest first: "卫生健康" wins over "卫生"."""
    pairs = [(normalise(s), f) for f, words in FIELDS.items() for s in words]
    return sorted(pairs, key=lambda p: -len(p[0]))


_SYNONYMS = _synonyms()


def field_of(name: str) -> str | None:
    """The field a department name covers, or None."""
    text = normalise(name)
    for synonym, field_name in _SYNONYMS:
        if synonym and synonym in text:
            return field_name
    return None


def split_names(value: str) -> list[str]:
    """'教育、卫生健康部门' → ['教育', '卫生健康部门']; blanks dropped."""
    return [p.strip() for p in _SPLIT.split(value) if p.strip()]


@dataclass(frozen=True)
class Member:
    """A member department as the matcher needs it."""

    id: int
    code: str
    name: str


class DepartmentMatcher:
    """Finds member departments by name, short name, code or field."""

    def __init__(self, members: Iterable[Member]) -> None:
        self.members = list(members)
        self._exact: dict[str, Member] = {}
        self._by_field: dict[str, list[Member]] = {}
        for m in self.members:
            for key in (m.name, m.code):
                self._exact.setdefault(normalise(key).upper(), m)
            covered = field_of(m.name)
            if covered is not None:
                self._by_field.setdefault(covered, []).append(m)

    def find(self, written: str) -> Member | None:
        """The one member department meant by `written`, or None."""
        key = normalise(written).upper()
        if not key:
            return None
        hit = self._exact.get(key)
        if hit is not None:
            return hit
        # "县市场监管局" for "市场监管局": a member whose name ends the written one.
        ends = [
            m
            for m in self.members
            if len(normalise(m.name)) >= 2 and key.endswith(normalise(m.name).upper())
        ]
        if len(ends) == 1:
            return ends[0]
        covered = field_of(written)
        candidates = self._by_field.get(covered, []) if covered else []
        return candidates[0] if len(candidates) == 1 else None

    def find_all(self, cell: str) -> tuple[list[Member], list[str]]:
        """(members found, names matching none) for a cell naming one or more departments."""
        found: list[Member] = []
        unknown: list[str] = []
        for name in split_names(cell):
            m = self.find(name)
            if m is None:
                unknown.append(name)
            elif m not in found:
                found.append(m)
        return found, unknown

    def unknown_reason(self, names: Iterable[str]) -> str:
        listed = "、".join(m.name for m in self.members) or "（部门列表为空）"
        written = "、".join(f"“{n}”" for n in names)
        return (
            f"部门{written}与成员单位均不对应（可写全称、简称或主管领域）；"
            f"现有成员单位：{listed}。如确属新成员单位，请先在部门列表中添加"
        )
