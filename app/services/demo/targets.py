"""Rows of demo market entities for the target registry, generated from a seed.

Pure and fast: a million rows must be generated and stored in under a minute,
so rows are plain tuples built with precomputed weight tables and one random
stream, uniform picks index a sequence with one `random()` call instead of
`choice()`, and check characters are computed without string searches.
Uniqueness of the 统一社会信用代码 comes from construction (an affine
bijection over the organisation-code space), not from a set of seen codes.
"""

from __future__ import annotations

import json
import random
from bisect import bisect
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from operator import mul
from typing import Any, Generic, TypeVar

from app.domain.divisions import CITY_CODE, DIVISIONS
from app.domain.errors import InvalidInput
from app.domain.registry import EntityType
from app.services.demo import names

T = TypeVar("T")

# GB 32100 alphabet (no I O Z S V) and weights of the 18th-character check.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714 values (digits, then A = 10 …) and weights of the organisation code.
_ORG_VALUE = {c: int(c, 36) for c in _USCC_ALPHABET}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHECK = {**{n: str(n) for n in range(1, 10)}, 10: "X", 11: "0"}

# Organisation-code bodies: pre-2015 entities kept their old numeric codes;
# codes issued since the reform read "MA" + a character that changed over
# the years in Shandong + five more. Each space is walked by an affine map
# i → (A·i + B) mod M, a bijection when gcd(A, M) = 1, so codes are distinct
# by construction; A near M/φ makes consecutive codes look unrelated.
_NUMERIC_SPACE = 10**8
_NUMERIC_MUL = 61_803_399  # coprime with 10
_MA_SPACE = 31**5
_MA_MUL = 17_693_788  # coprime with 31
# Far inside both code spaces, so neither counter can wrap around.
MAX_TARGETS = 10_000_000
_USCC_REFORM = date(2015, 10, 1)
# 《农民专业合作社法》 took effect on this day; no cooperative is older.
_COOP_LAW = date(2007, 7, 1)


class Picker(Generic[T]):
    """Weighted choice with precomputed cumulative weights (random.choices rebuilds them)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        kept = [(v, w) for v, w in pairs if w > 0]
        self.values = [v for v, _ in kept]
        self.cum: list[float] = []
        total = 0.0
        for _, w in kept:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> T:
        return self.values[bisect(self.cum, rng.random() * self.total)]


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """Uniform choice with one random() call; bias below 2⁻⁴⁰ for our short lists."""
    return seq[int(rng.random() * len(seq))]


def _body(n: int, base_chars: str, length: int) -> str:
    out = []
    base = len(base_chars)
    for _ in range(length):
        n, r = divmod(n, base)
        out.append(base_chars[r])
    return "".join(reversed(out))


def fast_code(head_sum: int, head: str, org_body: str) -> str:
    """Same result as app.domain.uscc.make_code (the tests check), several times faster:
    the head's weighted sum is cached and no character is looked up by search."""
    org_total = sum(map(mul, map(_ORG_VALUE.__getitem__, org_body), _ORG_WEIGHTS))
    org = org_body + _ORG_CHECK[11 - org_total % 11]
    total = head_sum + sum(map(mul, map(_USCC_VALUE.__getitem__, org), _USCC_WEIGHTS[8:]))
    return head + org + _USCC_ALPHABET[(31 - total) % 31]


def head_sum(head: str) -> int:
    """Weighted sum of the first 8 characters (authority, kind, division)."""
    return sum(_USCC_VALUE[c] * w for c, w in zip(head, _USCC_WEIGHTS[:8], strict=True))


class PersonNames:
    """Chinese person names: a weighted surname and a one- or two-character given name."""

    def __init__(self) -> None:
        self.surname = Picker(names.SURNAMES)

    def __call__(self, rng: random.Random) -> str:
        family = self.surname(rng)
        if rng.random() < 0.3:
            return family + pick(rng, names.GIVEN_1)
        return family + pick(rng, names.GIVEN_2)


def mobile(rng: random.Random) -> str:
    return pick(rng, names.MOBILE_PREFIXES) + f"{int(rng.random() * 10**8):08d}"


# Column order of the rows `TargetGenerator` yields (created_at/updated_at
# are left to the server default).
COLUMNS: tuple[str, ...] = (
    "uscc", "name", "legal_rep", "address", "division_code", "entity_type", "industry_code",
    "industry_name", "reg_status", "risk_class", "founded_on", "phone", "tags",
    "last_inspected_on", "version",
)  # fmt: skip
# Shop-level lists a sole trader may be on; the rest (e.g. 重点排污单位) are for firms.
_SOLE_TRADER_TAGS = frozenset({"食品经营", "公共场所", "药品经营"})


class TargetGenerator:
    """Generates target rows (tuples in COLUMNS order) in chunks.

    With `sqlite_values` dates come as ISO text and tags as JSON text, exactly
    what SQLAlchemy stores for Date and JSON columns on SQLite, so the rows can
    go to the driver without per-row type processing. `division_counts`
    tallies the rows made per division.
    """

    def __init__(self, seed: int, today: date, *, sqlite_values: bool = False) -> None:
        self.rng = random.Random(f"{seed}:targets")
        self.today = today
        self.sqlite_values = sqlite_values
        self.last_founded = min(date(2025, 12, 31), today)
        self.person = PersonNames()
        self.entity_type = Picker(names.ENTITY_TYPE_WEIGHTS)
        self.division = Picker(list(names.DIVISION_WEIGHTS.items()))
        self.risk = Picker(names.RISK_WEIGHTS)
        self.industry = {
            EntityType.ENTERPRISE.value: Picker([(i, i.enterprise) for i in names.INDUSTRIES]),
            EntityType.SOLE_TRADER.value: Picker([(i, i.sole) for i in names.INDUSTRIES]),
            EntityType.COOPERATIVE.value: Picker([(i, i.coop) for i in names.INDUSTRIES]),
        }
        self.status = {k: Picker(v) for k, v in names.REG_STATUS_WEIGHTS.items()}
        self.form = Picker(names.COMPANY_FORMS)
        self.kind = {t.value: t.uscc_kind for t in EntityType}
        self.heads = {
            (kind, div): ("9" + kind + div, head_sum("9" + kind + div))
            for kind in self.kind.values()
            for div in DIVISIONS
        }
        self.starts = {"企业": date(1995, 1, 1), "个体工商户": date(2003, 1, 1)}
        self.numeric_offset = self.rng.randrange(_NUMERIC_SPACE)
        self.numeric_used = 0
        self.ma_offset = {c: self.rng.randrange(_MA_SPACE) for c in "39D"}
        self.ma_used = dict.fromkeys("39D", 0)
        self.seen_names: set[str] = set()
        # Few distinct tag sets exist; serialise each once.
        self.tag_values: dict[tuple[str, ...], Any] = {}
        self.division_counts: Counter[str] = Counter()

    # -- parts ---------------------------------------------------------------

    def _org_body(self, founded: date) -> str:
        if founded < _USCC_REFORM and self.rng.random() < 0.9:
            n = (_NUMERIC_MUL * self.numeric_used + self.numeric_offset) % _NUMERIC_SPACE
            self.numeric_used += 1
            return f"{n:08d}"
        era = "3" if founded.year < 2020 else "9" if founded.year < 2023 else "D"
        n = (_MA_MUL * self.ma_used[era] + self.ma_offset[era]) % _MA_SPACE
        self.ma_used[era] += 1
        return "MA" + era + _body(n, _USCC_ALPHABET, 5)

    def _founded(self, etype: str) -> date:
        start = self.starts.get(etype, _COOP_LAW)
        span = (self.last_founded - start).days
        # u**0.7 leans toward recent years: registrations have grown year on year.
        return start + timedelta(days=int(span * self.rng.random() ** 0.7))

    def _trade_name(self) -> str:
        rng, chars = self.rng, names.TRADE_CHARS
        if rng.random() < 0.12:
            return pick(rng, chars) + pick(rng, chars) + pick(rng, chars)
        return pick(rng, chars) + pick(rng, chars)

    def _village(self) -> str:
        rng = self.rng
        family = self.person.surname(rng)
        if rng.random() < 0.4:
            return pick(rng, names.VILLAGE_PREFIXES) + family + "村"
        suffix = pick(rng, names.VILLAGE_SUFFIXES)
        return family + suffix if suffix.endswith("村") else family + suffix + "村"

    def _place(self, division: str, etype: str) -> tuple[str, str]:
        """(town, address) with the address as registered."""
        rng = self.rng
        town = pick(rng, names.TOWNS[division])
        county = "" if division == CITY_CODE else DIVISIONS[division]
        rural = town.endswith(("镇", "乡")) and (etype == "农民专业合作社" or rng.random() < 0.35)
        if rural:
            number = f"{int(rng.random() * 180) + 1}号" if rng.random() < 0.5 else ""
            tail = self._village() + number
        else:
            tail = f"{pick(rng, names.ROADS)}{int(rng.random() * 399) + 1}号"
        return town, f"山东省聊城市{county}{town}{tail}"

    def _name(self, etype: str, division: str, town: str, ind: names.Industry, rep: str) -> str:
        rng = self.rng
        city_level = division == CITY_CODE
        county = DIVISIONS[division]
        local = "聊城市" if city_level else county
        for attempt in range(50):
            if etype == "个体工商户":
                style = rng.random()
                if style < 0.5 or attempt > 5:
                    brand = self._trade_name()
                elif style < 0.75:
                    brand = rep[0] + pick(rng, names.SHOP_STYLES)
                elif style < 0.9:
                    brand = "老" + rep[0]
                else:
                    brand = rep
                name = local + brand + pick(rng, ind.shop_words)
            elif etype == "农民专业合作社":
                place = town if rng.random() < 0.4 and not city_level else ""
                name = f"{local}{place}{self._trade_name()}{pick(rng, ind.coop_words)}专业合作社"
            else:
                r = rng.random()
                if city_level or r < 0.45:
                    prefix = "聊城市"
                elif r < 0.6:
                    prefix = "聊城"
                elif r < 0.68:
                    prefix = "山东"
                else:
                    # Firms in a 区 carry the city too: 聊城市东昌府区…
                    prefix = county if county.endswith(("县", "市")) else "聊城市" + county
                name = prefix + self._trade_name() + pick(rng, ind.company_words) + self.form(rng)
            if name not in self.seen_names:
                self.seen_names.add(name)
                return name
        raise RuntimeError("演示数据：无法生成不重复的名称")  # pragma: no cover

    def _tags(self, etype: str, ind: names.Industry) -> Any:
        """The tags column value: a list, or its JSON text for SQLite."""
        tags = tuple(
            tag
            for tag, chance in ind.tags
            if (etype != "个体工商户" or tag in _SOLE_TRADER_TAGS)
            and (chance >= 1 or self.rng.random() < chance)
        )
        if not self.sqlite_values:
            return list(tags)
        value = self.tag_values.get(tags)
        if value is None:
            value = self.tag_values[tags] = json.dumps(list(tags))
        return value

    def _phone(self, etype: str) -> str:
        rng = self.rng
        if etype == "企业" and rng.random() < 0.25:
            return f"{names.AREA_CODE}-{2100000 + int(rng.random() * 6900000)}"
        return mobile(rng)

    # -- rows ----------------------------------------------------------------

    def row(self) -> tuple[Any, ...]:
        rng = self.rng
        etype = self.entity_type(rng)
        division = self.division(rng)
        ind = self.industry[etype](rng)
        founded = self._founded(etype)
        head, hsum = self.heads[(self.kind[etype], division)]
        uscc = fast_code(hsum, head, self._org_body(founded))
        rep = self.person(rng)
        town, address = self._place(division, etype)
        inspected: date | None = None
        if rng.random() < 0.2:
            inspected = self.today - timedelta(days=30 + int(rng.random() * 970))
            if inspected <= founded:
                inspected = None
        name = self._name(etype, division, town, ind, rep)
        status = self.status[etype](rng)
        risk = self.risk(rng)
        phone = self._phone(etype)
        tags = self._tags(etype, ind)
        founded_value: Any = founded
        if self.sqlite_values:
            founded_value = founded.isoformat()
            inspected = inspected.isoformat() if inspected else None  # type: ignore[assignment]
        self.division_counts[division] += 1
        return (
            uscc, name, rep, address, division, etype, ind.code, ind.name, status, risk,
            founded_value, phone, tags, inspected, 1,
        )  # fmt: skip

    def chunks(self, count: int, size: int = 50_000) -> Iterator[list[tuple[Any, ...]]]:
        if not 0 <= count <= MAX_TARGETS:
            raise InvalidInput(f"检查对象数量应在 0 到 {MAX_TARGETS:,} 之间，实际为 {count:,}")
        done = 0
        while done < count:
            n = min(size, count - done)
            yield [self.row() for _ in range(n)]
            done += n
