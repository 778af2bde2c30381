"""Field rules of the item list (抽查事项清单) spreadsheet: category, ratio cap,
methods, yes/no, checkpoints. Same contract as app/domain/registry_fields.py:
`parse_*` raises FieldError with a Chinese reason, `format_*` is its inverse.
"""

from __future__ import annotations

import re

from app.domain.registry import InspectionMethod, ItemCategory
from app.domain.registry_fields import FieldError, cell_text, nfkc, split_list

_CATEGORY_ALIASES: dict[str, ItemCategory] = {
    "重点检查事项": ItemCategory.KEY,
    "重点事项": ItemCategory.KEY,
    "重点": ItemCategory.KEY,
    "KEY": ItemCategory.KEY,
    "一般检查事项": ItemCategory.GENERAL,
    "一般事项": ItemCategory.GENERAL,
    "一般": ItemCategory.GENERAL,
    "GENERAL": ItemCategory.GENERAL,
}


def parse_category(value: object) -> ItemCategory:
    text = re.sub(r"\s+", "", nfkc(cell_text(value))).upper()
    try:
        return _CATEGORY_ALIASES[text]
    except KeyError:
        raise FieldError(
            f"事项类别“{cell_text(value)}”无法识别，应为“重点检查事项”或“一般检查事项”"
        ) from None


_PERCENT = re.compile(r"^(\d{1,3})(?:\.(\d{1,2})0*)?%?$")


def parse_ratio_cap(value: object) -> int | None:
    """A percentage with at most two decimals → basis points: '5', '5%', '5.00%' → 500.

    A number cell below 1 is an Excel percentage (0.05 shown as 5%); a number
    cell of 1 or more is already in percent.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        percent = value * 100 if value < 1 else value
        bp = round(percent * 100)
        if abs(percent * 100 - bp) > 1e-6:
            raise FieldError(f"抽查比例上限“{value}”最多两位小数（百分数）")
        if not 0 <= bp <= 10_000:
            raise FieldError(f"抽查比例上限“{value}”应在 0%–100% 之间")
        return bp
    text = re.sub(r"\s+", "", nfkc(cell_text(value)))
    if not text:
        return None
    m = _PERCENT.match(text)
    if not m:
        raise FieldError(f"抽查比例上限“{cell_text(value)}”应为百分数，最多两位小数，如 5 或 5.00%")
    bp = int(m[1]) * 100 + int((m[2] or "0").ljust(2, "0"))
    if bp > 10_000:
        raise FieldError(f"抽查比例上限“{cell_text(value)}”不能超过 100%")
    return bp


def format_ratio_cap(bp: int | None) -> str:
    return "" if bp is None else f"{bp // 100}.{bp % 100:02d}%"


_METHOD_ALIASES: dict[str, str] = {
    **{m.value: m.value for m in InspectionMethod},
    "现场检查": InspectionMethod.ON_SITE.value,
    "实地检查": InspectionMethod.ON_SITE.value,
    "现场核查": InspectionMethod.ON_SITE.value,
    "书面审查": InspectionMethod.DOCUMENTS.value,
    "书面核查": InspectionMethod.DOCUMENTS.value,
    "网络检查": InspectionMethod.ONLINE.value,
    "网上检查": InspectionMethod.ONLINE.value,
    "抽样检验": InspectionMethod.TESTING.value,
    "抽样检测": InspectionMethod.TESTING.value,
    "委托第三方": InspectionMethod.THIRD_PARTY.value,
    "委托第三方机构": InspectionMethod.THIRD_PARTY.value,
}


def parse_methods(value: object) -> tuple[list[str], list[str]]:
    """(the known InspectionMethod values in order, the entries not recognised)."""
    known: list[str] = []
    unknown: list[str] = []
    for part in split_list(value):
        method = _METHOD_ALIASES.get(re.sub(r"\s+", "", part))
        if method is None:
            unknown.append(part)
        elif method not in known:
            known.append(method)
    return known, unknown


_YES = {"是", "可", "可以", "允许", "Y", "YES", "TRUE", "1", "√"}
_NO = {"否", "不", "不可", "不可以", "不允许", "N", "NO", "FALSE", "0", "×"}


def parse_yes_no(value: object, default: bool = True) -> bool:
    if isinstance(value, bool):
        return value
    text = re.sub(r"\s+", "", nfkc(cell_text(value))).upper()
    if not text:
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise FieldError(f"“{cell_text(value)}”应为“是”或“否”")


def format_yes_no(value: bool) -> str:
    return "是" if value else "否"


# 检查要点: one per line, "要点｜依据"; a numbered line ("1." "2、") starts a new
# one and unnumbered lines after it continue it, so multi-line text survives.
_NUMBERED = re.compile(r"^\d+\s*[.、．](?!\d)\s*")
_BASIS_SEP = re.compile(r"[|｜]")


def parse_checkpoints(value: object) -> list[tuple[str, str]]:
    """'1. 要点｜依据\\n2. 要点' → [(要点, 依据), (要点, '')]."""
    lines = [ln for ln in cell_text(value).replace("\r\n", "\n").split("\n") if ln.strip()]
    if not lines:
        return []
    numbered = any(_NUMBERED.match(ln) for ln in lines)
    chunks: list[str] = []
    for line in lines:
        m = _NUMBERED.match(line)
        if not numbered or m or not chunks:
            chunks.append(line[m.end() :] if m else line)
        else:
            chunks[-1] += "\n" + line
    out: list[tuple[str, str]] = []
    for chunk in chunks:
        parts = _BASIS_SEP.split(chunk, maxsplit=1)
        text, basis = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
        if not text.strip():
            raise FieldError(f"检查要点“{chunk.strip()}”缺少要点内容（“｜”前为空）")
        out.append((text.strip(), basis.strip()))
    return out


def format_checkpoints(points: list[tuple[str, str]]) -> str:
    """Numbered lines that parse_checkpoints reads back, multi-line text included
    (except a line inside a text that itself starts like "2." or "2、")."""
    return "\n".join(
        f"{i}. {text}｜{basis}" if basis else f"{i}. {text}"
        for i, (text, basis) in enumerate(points, start=1)
    )


# "1." "1、" "（1）" "(1)" "①" at the start of a checkpoint inside one cell.
_INLINE_NUMBER = re.compile(
    r"(?:(?<=^)|(?<=[：:；;。\n\s]))\s*(?:\d{1,2}\s*[.、．](?!\d)|[（(]\d{1,2}[)）]|[①-⑳])\s*"
)
_HEAD_SEP = re.compile(r"[：:]")


def split_item_cell(value: object) -> tuple[str, list[str]]:
    """'校车安全管理机制事项：1.甲；2.乙；3.丙' → ('校车安全管理机制事项', ['甲', '乙', '丙']).

    Published lists often write an item and its numbered checkpoints in one
    cell; a cell without numbered points after a colon is the name alone.
    """
    text = cell_text(value).strip()
    head = _HEAD_SEP.search(text)
    if head is None:
        return text, []
    name, rest = text[: head.start()].strip(), text[head.end() :].strip()
    starts = list(_INLINE_NUMBER.finditer(rest))
    if not name or not starts or starts[0].start() != 0:
        return text, []
    points: list[str] = []
    for here, following in zip(starts, [*starts[1:], None], strict=True):
        end = following.start() if following is not None else len(rest)
        point = rest[here.end() : end].strip().rstrip("；;。，,").strip()
        if point:
            points.append(point)
    return (name, points) if points else (text, [])
