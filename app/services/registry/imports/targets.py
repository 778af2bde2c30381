"""检查对象名录库 import: up to a million rows, so executemany in chunks.

Each chunk looks up its codes in one query (skipped while the registry was
empty when the import began), inserts the new rows with one driver-level
executemany and updates the changed ones with another, by id, bumping
`version` so that an edit form open meanwhile sees its copy is stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Row, bindparam, func, select, update

from app.domain.registry_fields import (
    DEFAULT_REG_STATUS,
    FieldError,
    cell_text,
    parse_date,
    parse_division,
    parse_entity_type,
    parse_industry,
    parse_phone,
    parse_reg_status,
    parse_risk,
    split_list,
    validate_uscc,
)
from app.domain.uscc import InvalidUSCC
from app.models.auditing import Change
from app.models.base import table_of
from app.models.registry import Target
from app.services.access import audit
from app.services.registry.bulk_load import TargetBulkLoad
from app.services.registry.imports.base import RowHandler

T = table_of(Target)

# The columns an import may set, in table order.
IMPORT_COLUMNS: tuple[str, ...] = (
    "uscc",
    "name",
    "legal_rep",
    "address",
    "division_code",
    "entity_type",
    "industry_code",
    "industry_name",
    "reg_status",
    "risk_class",
    "founded_on",
    "phone",
    "tags",
)
INSERT_COLUMNS: tuple[str, ...] = (*IMPORT_COLUMNS, "version")
_DIVISION_AT = INSERT_COLUMNS.index("division_code")
# A new row's values for the columns its spreadsheet row did not fill.
_NEW_ROW_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(IMPORT_COLUMNS),
    "reg_status": DEFAULT_REG_STATUS,
    "tags": [],
    "version": 1,
}
# Spreadsheet field → the columns it fills.
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {"industry": ("industry_code", "industry_name")}
# Fields with few distinct values: parsed once per distinct text.
_CACHED = frozenset(
    {"division_code", "entity_type", "industry", "reg_status", "risk_class", "founded_on", "tags"}
)
# Fields whose parsed value needs more than rec[field] = value.
_SPECIAL = frozenset({"industry", "reg_status", "division_code"})
_MISS = object()
_CACHE_LIMIT = 50_000

Parser = Callable[[object], Any]


def max_len(column: str) -> int:
    length = getattr(T.c[column].type, "length", None)  # String columns only
    assert length is not None
    return int(length)


PHONE_MAX = max_len("phone")


def _text(limit: int, label: str) -> Parser:
    def parse(value: object) -> str | None:
        text = cell_text(value)
        if len(text) > limit:
            raise FieldError(f"{label}超过 {limit} 个字，未导入")
        return text or None

    return parse


def _reg_status(value: object) -> tuple[str, str | None]:
    """(status, warning): an unknown status is kept as written, never drawable."""
    try:
        return parse_reg_status(value), None
    except FieldError as exc:
        kept = cell_text(value)[: max_len("reg_status")]
        return kept, f"{exc}；已原样保存，不参与随机抽取"


def _division(value: object) -> str | None:
    try:
        return parse_division(value)
    except FieldError as exc:
        raise FieldError(f"{exc}；新增时取统一社会信用代码第 3–8 位") from None


_PARSERS: dict[str, Parser] = {
    "legal_rep": _text(max_len("legal_rep"), "法定代表人（负责人）"),
    "address": _text(max_len("address"), "住所（经营场所）"),
    "division_code": _division,
    "entity_type": parse_entity_type,
    "industry": parse_industry,
    "industry_code": _text(max_len("industry_code"), "行业代码"),
    "industry_name": _text(max_len("industry_name"), "行业名称"),
    "reg_status": _reg_status,
    "founded_on": parse_date,
    "phone": lambda v: parse_phone(v, PHONE_MAX),
    "tags": split_list,
}


def _memoized(proc: Callable[[Any], Any]) -> Callable[[list[str]], Any]:
    """A list column's bind processor, run once per distinct list (tags repeat a lot)."""
    done: dict[tuple[str, ...], Any] = {}

    def process(value: list[str]) -> Any:
        key = tuple(value)
        hit = done.get(key, _MISS)
        if hit is _MISS:
            hit = proc(value)
            if len(done) < _CACHE_LIMIT:
                done[key] = hit
        return hit

    return process


def _change(target_id: int, version: int, current: Any, rec: dict[str, Any]) -> Change:
    """The audit entry of one target updated by the bulk statement: the fields that differ."""
    keys = [k for k, v in rec.items() if current[k] != v]
    return Change(
        "update",
        T.name,
        str(target_id),
        {k: current[k] for k in keys},
        {**{k: rec[k] for k in keys}, "version": version + 1},
    )


class TargetHandler(RowHandler):
    chunk_size = 5000

    def begin(self) -> None:
        governed = {"uscc", "name"}
        for name in self.fields:
            governed.update(_FIELD_COLUMNS.get(name, (name,)))
        self.columns = [c for c in IMPORT_COLUMNS if c in governed]
        self.blank_divisions = 0
        self.p_uscc = self.fields["uscc"]
        self.p_name = self.fields["name"]
        self.p_risk = self.fields.get("risk_class")
        self.name_max = max_len("name")
        # (field, position, parser, cache) of the optional columns in the file
        self.optional: list[tuple[str, int, Parser, dict[object, Any] | None]] = [
            (f, p, _PARSERS[f], {} if f in _CACHED else None)
            for f, p in self.fields.items()
            if f in _PARSERS
        ]
        self.risk_cache: dict[object, str | None] = {}
        if "division_code" not in self.fields:
            self.report.notes.append(
                "文件中没有“行政区划代码”列：新增的检查对象取统一社会信用代码第 3–8 位"
                "作为行政区划代码"
            )
        if "reg_status" not in self.fields:
            self.report.notes.append(
                f"文件中没有“登记状态”列：新增的检查对象登记状态为“{DEFAULT_REG_STATUS}”"
            )
        self.empty_at_start = self.session.execute(select(T.c.id).limit(1)).first() is None
        self.bulk = TargetBulkLoad(self.session)
        self.bulk.begin(self.expected_rows)
        conn = self.session.connection()
        dialect = conn.dialect
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.insert_sql = (
            f"INSERT INTO {T.name} ({', '.join(INSERT_COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(INSERT_COLUMNS))})"
        )
        self.bind_processors = [
            (i, _memoized(proc) if c == "tags" else proc)
            for i, c in enumerate(INSERT_COLUMNS)
            if (proc := T.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]
        self.update_stmt = (
            update(T)
            .where(T.c.id == bindparam("b_id"))
            .values(
                {
                    **{c: bindparam(f"b_{c}") for c in self.columns if c != "uscc"},
                    "version": T.c.version + 1,
                    "updated_at": func.now(),
                }
            )
        )

    def parse(self, row: int, cells: list[object]) -> dict[str, Any] | None:
        reasons: list[str] = []
        try:
            code: str | None = validate_uscc(cells[self.p_uscc])
        except InvalidUSCC as exc:
            code = None
            reasons.append(str(exc))
        name = cell_text(cells[self.p_name])
        if not name:
            reasons.append("名称为空")
        elif len(name) > self.name_max:
            reasons.append(f"名称超过 {self.name_max} 个字")
        rec: dict[str, Any] = {"uscc": code, "name": name}
        if self.p_risk is not None:
            value = cells[self.p_risk]
            risk = self.risk_cache.get(value, _MISS)
            if risk is _MISS:
                try:
                    risk = self.risk_cache[value] = parse_risk(value)
                except FieldError as exc:
                    reasons.append(str(exc))
            rec["risk_class"] = risk
        if code is not None:
            first = self.first_seen(code, row)
            if first is not None:
                reasons.append(f"统一社会信用代码 {code} 与第 {first} 行重复")
        if reasons:
            self.report.reject(row, "；".join(reasons), cells)
            return None
        for field_name, pos, parse, cache in self.optional:
            value = cells[pos]
            parsed = _MISS if cache is None else cache.get(value, _MISS)
            if parsed is _MISS:
                try:
                    parsed = parse(value)
                except FieldError as exc:
                    self.warn(row, field_name, str(exc), cells)
                    continue
                if cache is not None and len(cache) < _CACHE_LIMIT:
                    cache[value] = parsed
            if field_name in _SPECIAL:
                self._put(row, cells, rec, field_name, parsed)
            else:
                rec[field_name] = parsed
        return rec

    def _put(
        self, row: int, cells: list[object], rec: dict[str, Any], field_name: str, value: Any
    ) -> None:
        if field_name == "industry":
            rec["industry_code"], rec["industry_name"] = value
        elif field_name == "reg_status":
            rec["reg_status"], warning = value
            if warning:
                self.warn(row, field_name, warning, cells)
        elif value is None:  # a blank division_code
            self.blank_divisions += 1
            rec["division_code"] = rec["uscc"][2:8]
        else:
            rec["division_code"] = value

    def _insert(self, records: list[dict[str, Any]]) -> None:
        defaults = _NEW_ROW_DEFAULTS
        params: list[list[Any]] = []
        for rec in records:
            row = [rec[c] if c in rec else defaults[c] for c in INSERT_COLUMNS]
            if row[_DIVISION_AT] is None:
                row[_DIVISION_AT] = rec["uscc"][2:8]
            for i, proc in self.bind_processors:
                row[i] = proc(row[i])
            params.append(row)
        self.session.connection().exec_driver_sql(self.insert_sql, [tuple(p) for p in params])
        self.report.inserted += len(records)

    def apply(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        existing: dict[str, Row[Any]] = {}
        if not self.empty_at_start:
            codes = [r["uscc"] for r in records]
            cols = [T.c.id, T.c.version, *(T.c[c] for c in self.columns)]
            for row in self.session.execute(select(*cols).where(T.c.uscc.in_(codes))):
                existing[row.uscc] = row
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        changes: list[Change] = []
        for rec in records:
            old = existing.get(rec["uscc"])
            if old is None:
                inserts.append(rec)
                continue
            current = old._mapping
            if all(current[k] == v for k, v in rec.items()):
                self.report.unchanged += 1
                continue
            params = {f"b_{c}": rec.get(c, current[c]) for c in self.columns if c != "uscc"}
            params["b_id"] = old.id
            updates.append(params)
            changes.append(_change(old.id, old.version, current, rec))
        if inserts:
            self._insert(inserts)
        if updates:
            self.session.execute(self.update_stmt, updates)
            self.report.updated += len(updates)
            # A bulk UPDATE bypasses the ORM's audit hook: each row's change is recorded here.
            audit.record_many(self.session, changes)

    def finish(self) -> None:
        if self.blank_divisions:
            self.report.notes.append(
                f"{self.blank_divisions} 行的行政区划代码为空，已取统一社会信用代码第 3–8 位"
            )
        self.bulk.finish()
