#!/usr/bin/env python3
"""DRAW-1 verifier: recompute a published draw from its manifest and result.

    python verify.py MANIFEST.json RESULT.json [--target ID] [--all]

Prints VERIFIED, or every difference found (Chinese text plus an English
keyword), and exits with 0 when verified, 1 on any difference, 2 when a file
cannot be read. `--target ID` also shows that candidate's ticket, its
stratum's threshold and whether it was selected ("check my enterprise").

This file is meant to be copied alone: it needs Python 3.10 or later with
nothing but its standard library, and nothing of the program it ships with.
It is a second, independent implementation of sections 2-9 and 11 of the
published protocol (docs/draw-protocol.md), written from the text and kept
plain (inspectors are dealt exactly as the text says, reshuffling eagerly),
so that it checks the engine rather than repeating it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass, field
from typing import Any

PROTOCOL = "DRAW-1"
LOWER_HEX = frozenset("0123456789abcdef")
RESULT_KEYS = (
    "protocol",
    "manifest_hash",
    "nonce_commitment",
    "nonce",
    "witnesses",
    "seed",
    "strata",
    "targets",
    "teams",
    "missing",
    "aborted_attempts",
    "software",
)
SHOWN_PER_KIND = 20  # differences listed per keyword unless --all


# --- section 2 ---------------------------------------------------------------


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def contains_float(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def is_int(value: Any) -> bool:
    return type(value) is int  # JSON true/false are not integers


def is_digits(text: Any, low: int, high: int) -> bool:
    return isinstance(text, str) and text.isascii() and text.isdigit() and low <= len(text) <= high


def all_ascii_digits(text: str) -> bool:
    return text == "" or (text.isascii() and text.isdigit())


def is_lower_hex(text: Any, length: int) -> bool:
    return isinstance(text, str) and len(text) == length and set(text) <= LOWER_HEX


# --- section 3: the manifest's rules -------------------------------------------


class RuleBreak(Exception):
    """The manifest breaks a rule of section 3."""


@dataclass
class Plan:
    """What the manifest asks for, in the shape the recomputation needs."""

    strata: list[tuple[str, str, int]]  # (name, "ratio_bp" | "count", value)
    ids: list[str]
    stratum_of: list[str]
    district_of: list[str]
    batches: int
    team_size: int
    minimums: list[tuple[str, int]]  # ascending department code
    max_load: int | None
    rule: str
    pool: list[dict[str, Any]]
    excluded: set[tuple[str, str]]


def need_keys(obj: Any, keys: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise RuleBreak(f"{where} 必须是 JSON 对象 (must be an object)")
    if set(obj) != keys:
        missing = sorted(keys - set(obj))
        extra = sorted(set(obj) - keys)
        raise RuleBreak(f"{where} 字段不符 (fields): 缺少 missing={missing} 多出 extra={extra}")


def candidate_columns(
    candidates: list[Any], names: set[str]
) -> tuple[list[str], list[str], list[str]]:
    """[id, stratum, district] rows as three columns, after checking every row.

    The checks run a column at a time (a million rows take a fraction of a
    second); only when one fails are the rows walked to name the first bad one.
    """
    if set(map(type, candidates)) <= {list} and set(map(len, candidates)) <= {3}:
        ids = [c[0] for c in candidates]
        stratum_of = [c[1] for c in candidates]
        district_of = [c[2] for c in candidates]
        if (
            set(map(type, ids)) | set(map(type, stratum_of)) | set(map(type, district_of)) <= {str}
            and set(stratum_of) <= names
            and set(map(len, district_of)) <= {6}
            and all_ascii_digits("".join(district_of))
            and sorted(ids) == ids  # sorted, and ...
            and len(set(ids)) == len(ids)  # ... unique: strictly increasing
        ):
            return ids, stratum_of, district_of
    previous = None
    for k, c in enumerate(candidates, start=1):
        if not (isinstance(c, list) and len(c) == 3 and all(isinstance(x, str) for x in c)):
            raise RuleBreak(f"候选对象第 {k} 项: 必须是 [id, stratum, district]")
        if c[1] not in names:
            raise RuleBreak(f"候选对象第 {k} 项: 未知的层 (unknown stratum) {c[1]}")
        if not is_digits(c[2], 6, 6):
            raise RuleBreak(f"候选对象第 {k} 项: 行政区划代码须为 6 位数字 {c[2]!r}")
        if previous is not None and not previous < c[0]:
            raise RuleBreak(f"候选对象第 {k} 项: 未按 id 升序或 id 重复 (not sorted/unique)")
        previous = c[0]
    raise AssertionError("a column check failed but no row did")


def read_plan(manifest: Any) -> Plan:
    need_keys(
        manifest, {"protocol", "task", "strata", "candidates", "batches", "inspectors"}, "清单"
    )
    if manifest["protocol"] != PROTOCOL:
        raise RuleBreak(f"protocol 不是 {PROTOCOL}: {manifest['protocol']!r}")
    if not isinstance(manifest["task"], dict):
        raise RuleBreak("task 必须是 JSON 对象")
    # (the candidate rows are checked to hold strings only, further down)
    if contains_float({k: v for k, v in manifest.items() if k != "candidates"}):
        raise RuleBreak("清单含有小数 (float): 协议只允许整数")

    strata: list[tuple[str, str, int]] = []
    if not isinstance(manifest["strata"], list):
        raise RuleBreak("strata 必须是列表")
    for k, s in enumerate(manifest["strata"], start=1):
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"]:
            raise RuleBreak(f"抽查层第 {k} 项: 需要非空的 name")
        kinds = [key for key in s if key != "name"]
        if kinds not in (["ratio_bp"], ["count"]):
            raise RuleBreak(f"抽查层第 {k} 项: 必须有且只有 ratio_bp 或 count 之一")
        value = s[kinds[0]]
        top = 10000 if kinds[0] == "ratio_bp" else None
        if not is_int(value) or value < 0 or (top is not None and value > top):
            raise RuleBreak(f"抽查层第 {k} 项: {kinds[0]} 超出范围 (out of range): {value!r}")
        if any(name == s["name"] for name, _, _ in strata):
            raise RuleBreak(f"抽查层第 {k} 项: 层名重复 (duplicate name) {s['name']}")
        strata.append((s["name"], kinds[0], value))
    names = {name for name, _, _ in strata}

    candidates = manifest["candidates"]
    if not isinstance(candidates, list):
        raise RuleBreak("candidates 必须是列表")
    ids, stratum_of, district_of = candidate_columns(candidates, names)

    batches = manifest["batches"]
    if not is_int(batches) or batches < 1:
        raise RuleBreak(f"batches 必须 ≥ 1: {batches!r}")

    ins = manifest["inspectors"]
    need_keys(
        ins,
        {"team_size", "per_department_min", "max_load", "district_rule", "pool", "excluded_pairs"},
        "inspectors",
    )
    team_size = ins["team_size"]
    if not is_int(team_size) or team_size < 1:
        raise RuleBreak(f"team_size 必须 ≥ 1: {team_size!r}")
    per_min = ins["per_department_min"]
    if not isinstance(per_min, dict) or not all(is_int(v) and v >= 1 for v in per_min.values()):
        raise RuleBreak("per_department_min 的每个值必须是 ≥ 1 的整数")
    if team_size < sum(per_min.values()):
        raise RuleBreak("team_size 小于 per_department_min 之和")
    max_load = ins["max_load"]
    if max_load is not None and (not is_int(max_load) or max_load < 1):
        raise RuleBreak(f"max_load 必须是 null 或 ≥ 1 的整数: {max_load!r}")
    if ins["district_rule"] not in ("any", "same", "different"):
        raise RuleBreak(f"district_rule 无效: {ins['district_rule']!r}")

    pool = ins["pool"]
    if not isinstance(pool, list):
        raise RuleBreak("pool 必须是列表")
    for k, p in enumerate(pool, start=1):
        need_keys(p, {"id", "department", "district", "load"}, f"检查人员第 {k} 项")
        if not (isinstance(p["id"], str) and isinstance(p["department"], str)):
            raise RuleBreak(f"检查人员第 {k} 项: id 与 department 必须是字符串")
        if not is_digits(p["district"], 6, 6):
            raise RuleBreak(f"检查人员第 {k} 项: 行政区划代码须为 6 位数字")
        if not is_int(p["load"]) or p["load"] < 0:
            raise RuleBreak(f"检查人员第 {k} 项: load 必须 ≥ 0")
        if k > 1 and not pool[k - 2]["id"] < p["id"]:
            raise RuleBreak(f"检查人员第 {k} 项: 未按 id 升序或 id 重复 (not sorted/unique)")

    pairs = ins["excluded_pairs"]
    if not isinstance(pairs, list):
        raise RuleBreak("excluded_pairs 必须是列表")
    for k, pair in enumerate(pairs, start=1):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        ):
            raise RuleBreak(f"排除对第 {k} 项: 必须是 [inspector id, candidate id]")
        if k > 1 and pair < pairs[k - 2]:
            raise RuleBreak(f"排除对第 {k} 项: 未排序 (not sorted)")

    return Plan(
        strata=strata,
        ids=ids,
        stratum_of=stratum_of,
        district_of=district_of,
        batches=batches,
        team_size=team_size,
        minimums=sorted(per_min.items()),
        max_load=max_load,
        rule=ins["district_rule"],
        pool=pool,
        excluded={(a, b) for a, b in pairs},
    )


# --- sections 6-9: the recomputation -----------------------------------------


def make_seed(manifest_hash: str, digits: list[str], nonce_hex: str) -> str:
    text = PROTOCOL + "|" + manifest_hash + "|" + ",".join(digits) + "|" + nonce_hex
    return sha256_hex(text.encode("ascii"))


def ticket(seed: str, kind: str, *parts: str) -> bytes:
    return hashlib.sha256("|".join([seed, kind, *parts]).encode("utf-8")).digest()


@dataclass
class Recomputed:
    seed: str
    strata: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    teams: dict[str, list[str]]
    missing: dict[str, dict[str, int]]


def recompute_selection(
    plan: Plan, seed: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    """Section 8: the strata summaries, the targets in reveal order, and each
    target's district (for section 9)."""
    groups: dict[str, list[int]] = {name: [] for name, _, _ in plan.strata}
    for k, stratum in enumerate(plan.stratum_of):
        groups[stratum].append(k)
    # ticket(seed, "T", id), written out with the prefix built once: this is
    # the one line that runs a million times.
    prefix = seed + "|T|"
    sha256 = hashlib.sha256
    strata_out = []
    picked: list[tuple[bytes, str, str, int]] = []
    for name, kind, value in plan.strata:
        rows = groups[name]
        tickets = [sha256((prefix + plan.ids[k]).encode("utf-8")).digest() for k in rows]
        size = len(rows)
        # exact integer ceiling: no float ever touches the sample size
        n = min(size, (size * value + 9999) // 10000 if kind == "ratio_bp" else value)
        chosen: list[tuple[bytes, str, str, int]] = []
        if n > 0:
            cut = sorted(tickets)[n - 1]  # the n-th smallest ticket
            chosen = sorted(
                (t, plan.ids[k], name, k) for t, k in zip(tickets, rows, strict=True) if t <= cut
            )[:n]
        strata_out.append(
            {
                "name": name,
                "candidates": size,
                "selected": n,
                "threshold": chosen[-1][0].hex() if n > 0 else None,
            }
        )
        picked.extend(chosen)
    picked.sort()
    total, batches = len(picked), plan.batches
    lengths = [total // batches + (1 if b < total % batches else 0) for b in range(batches)]
    targets = []
    rank = 0
    for batch, length in enumerate(lengths, start=1):
        for _ in range(length):
            t, cid, name, _ = picked[rank]
            rank += 1
            targets.append(
                {"id": cid, "stratum": name, "rank": rank, "batch": batch, "ticket": t.hex()}
            )
    districts = {cid: plan.district_of[k] for _, cid, _, k in picked}
    return strata_out, targets, districts


@dataclass
class Deck:
    name: str
    members: list[int]
    round: int = 0
    order: list[int] = field(default_factory=list)


def recompute_teams(
    plan: Plan, seed: str, targets: list[dict[str, Any]], district_of: dict[str, str]
) -> tuple[dict[str, list[str]], dict[str, dict[str, int]]]:
    """Section 9, dealt exactly as the text reads: every new round is shuffled
    (hashed and sorted) at once."""
    pool = plan.pool
    load = [p["load"] for p in pool]
    decks: dict[str, Deck] = {}

    def deck_for(code: str, district: str) -> Deck:
        name = code + "@" + district if plan.rule == "same" else code
        if name not in decks:
            chosen = [
                i
                for i, p in enumerate(pool)
                if (code == "*" or p["department"] == code)
                and (plan.rule != "same" or p["district"] == district)
            ]
            decks[name] = Deck(name, chosen)
        return decks[name]

    def shuffle(deck: Deck) -> None:
        deck.round += 1
        keyed = sorted(
            (
                load[i],
                ticket(seed, "D", deck.name, str(deck.round), pool[i]["id"]),
                pool[i]["id"],
                i,
            )
            for i in deck.members
        )
        deck.order = [i for _, _, _, i in keyed]

    def eligible(i: int, target_id: str, district: str, team: list[int]) -> bool:
        if i in team or (pool[i]["id"], target_id) in plan.excluded:
            return False
        if plan.rule == "same" and pool[i]["district"] != district:
            return False
        if plan.rule == "different" and pool[i]["district"] == district:
            return False
        return plan.max_load is None or load[i] < plan.max_load

    def deal(deck: Deck, target_id: str, district: str, team: list[int]) -> int | None:
        if deck.round == 0:
            shuffle(deck)
        for attempt in (1, 2):
            for pos, i in enumerate(deck.order):
                if eligible(i, target_id, district, team):
                    del deck.order[pos]
                    load[i] += 1
                    return i
            if attempt == 1:
                shuffle(deck)
        return None

    teams: dict[str, list[str]] = {}
    missing: dict[str, dict[str, int]] = {}
    for target in targets:
        tid = target["id"]
        district = district_of[tid]
        team: list[int] = []
        short: dict[str, int] = {}
        for code, count in plan.minimums:
            for _ in range(count):
                got = deal(deck_for(code, district), tid, district, team)
                if got is None:
                    short[code] = short.get(code, 0) + 1
                else:
                    team.append(got)
        while len(team) < plan.team_size:
            got = deal(deck_for("*", district), tid, district, team)
            if got is None:
                short["*"] = plan.team_size - len(team)
                break
            team.append(got)
        teams[tid] = [pool[i]["id"] for i in team]
        if short:
            missing[tid] = short
    return teams, missing


# --- section 11: comparing --------------------------------------------------------


@dataclass
class Report:
    differences: list[tuple[str, str]] = field(default_factory=list)
    plan: Plan | None = None
    recomputed: Recomputed | None = None
    result_hash: str | None = None

    def diff(self, keyword: str, message: str) -> None:
        self.differences.append((keyword, message))

    @property
    def verified(self) -> bool:
        return not self.differences


def load_json(data: bytes) -> Any:
    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed")

    try:
        return json.loads(data.decode("utf-8"), parse_constant=no_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def canonical_or_none(value: Any) -> bytes | None:
    """None when the value has no canonical bytes (a lone surrogate from a "\\ud800" escape)."""
    try:
        return canonical(value)
    except UnicodeEncodeError:
        return None


def compare_list(report: Report, keyword: str, label: str, got: Any, want: list[Any]) -> None:
    if not isinstance(got, list):
        report.diff(keyword, f"{label} 必须是列表 (must be a list)")
        return
    if canonical(got) == canonical(want):
        return
    if len(got) != len(want):
        report.diff(keyword, f"{label} 条数不一致 (count): 结果 {len(got)}，重算 {len(want)}")
    for k in range(1, min(len(got), len(want)) + 1):
        a, b = got[k - 1], want[k - 1]
        if canonical(a) != canonical(b):
            report.diff(
                keyword,
                f"{label} 第 {k} 项不一致 (item {k}): 结果 {canonical(a).decode()}，"
                f"重算 {canonical(b).decode()}",
            )


def compare_map(report: Report, keyword: str, label: str, got: Any, want: dict[str, Any]) -> None:
    if not isinstance(got, dict):
        report.diff(keyword, f"{label} 必须是 JSON 对象 (must be an object)")
        return
    if canonical(got) == canonical(want):
        return
    for key in sorted(set(got) | set(want)):
        if key not in want:
            report.diff(
                keyword, f"{label}[{key}] 不应出现 (unexpected): {canonical(got[key]).decode()}"
            )
        elif key not in got:
            report.diff(
                keyword, f"{label}[{key}] 缺失 (absent): 重算 {canonical(want[key]).decode()}"
            )
        elif canonical(got[key]) != canonical(want[key]):
            report.diff(
                keyword,
                f"{label}[{key}] 不一致: 结果 {canonical(got[key]).decode()}，"
                f"重算 {canonical(want[key]).decode()}",
            )


def check(manifest_bytes: bytes, result: Any) -> Report:
    """Every check of section 11 on a manifest file's bytes and a parsed result."""
    report = Report()

    # 1. the manifest file: its hash, and canonical bytes
    file_hash = sha256_hex(manifest_bytes)
    parsed = True  # a manifest file holding `null` parses (to None) and is then refused
    try:
        manifest = load_json(manifest_bytes)
    except ValueError as exc:
        report.diff("MANIFEST_JSON", f"清单文件不是合法的 JSON (invalid JSON): {exc}")
        manifest, parsed = None, False
    if parsed and canonical_or_none(manifest) != manifest_bytes:
        report.diff("NOT_CANONICAL", "清单文件不是规范 JSON 字节 (not canonical bytes)")
    if not isinstance(result, dict):
        report.diff("FORMAT", "结果文件必须是 JSON 对象 (result must be an object)")
        return report
    result_bytes = canonical_or_none(result)
    if result_bytes is None:
        report.diff("FORMAT", "结果含有无法用 UTF-8 表示的字符 (lone surrogate)")
        return report
    report.result_hash = sha256_hex(result_bytes)
    missing_keys = [k for k in RESULT_KEYS if k not in result]
    extra_keys = sorted(set(result) - set(RESULT_KEYS))
    if missing_keys:
        report.diff("FORMAT", f"结果缺少字段 (missing fields): {', '.join(missing_keys)}")
    if extra_keys:
        report.diff("FORMAT", f"结果含有协议未定义的字段 (unknown fields): {', '.join(extra_keys)}")
    if contains_float(result):
        report.diff("FLOAT", "结果含有小数 (float): 协议只允许整数")
    if result.get("protocol") != PROTOCOL:
        report.diff("PROTOCOL", f"protocol 应为 {PROTOCOL}，结果为 {result.get('protocol')!r}")
    if result.get("manifest_hash") != file_hash:
        report.diff(
            "MANIFEST_HASH",
            f"清单哈希不一致: 结果为 {result.get('manifest_hash')}，清单文件实为 {file_hash}",
        )

    # 2. the nonce against its commitment
    nonce = result.get("nonce")
    if not isinstance(nonce, str) or not is_lower_hex(nonce, 64):
        report.diff("NONCE", "nonce 必须是 64 位小写十六进制 (64 lower-case hex)")
        nonce = None
    elif sha256_hex(bytes.fromhex(nonce)) != result.get("nonce_commitment"):
        report.diff(
            "NONCE_COMMITMENT",
            f"nonce 与承诺不符: sha256(nonce) = {sha256_hex(bytes.fromhex(nonce))}，"
            f"结果中的承诺为 {result.get('nonce_commitment')}",
        )

    # 3. the witnesses' digits and the seed
    witnesses = result.get("witnesses")
    digits: list[str] | None = []
    if not isinstance(witnesses, list) or not witnesses:
        report.diff("WITNESS", "witnesses 必须是非空列表 (at least one witness)")
        digits = None
    else:
        for k, w in enumerate(witnesses, start=1):
            ok = isinstance(w, dict) and set(w) == {"name", "digits"}
            if not ok or not isinstance(w["name"], str) or not is_digits(w["digits"], 6, 32):
                report.diff("WITNESS", f"第 {k} 位见证人: 须有 name 与 6-32 位数字 digits")
                digits = None
            elif digits is not None:
                digits.append(w["digits"])
    attempts = result.get("aborted_attempts")
    if not isinstance(attempts, list) or not all(
        isinstance(a, dict)
        and set(a) == {"nonce_commitment", "at", "reason"}
        and all(isinstance(v, str) for v in a.values())
        for a in attempts
    ):
        report.diff("FORMAT", "aborted_attempts 格式不符 (each: nonce_commitment, at, reason)")
    if not isinstance(result.get("software"), str):
        report.diff("FORMAT", "software 必须是字符串")

    if not parsed:
        return report
    try:
        plan = read_plan(manifest)
    except RuleBreak as exc:
        report.diff("MANIFEST_INVALID", f"清单违反协议第 3 节 (rule break): {exc}")
        return report
    report.plan = plan
    if nonce is None or digits is None:
        return report

    seed = make_seed(file_hash, digits, nonce)
    if result.get("seed") != seed:
        report.diff("SEED", f"种子不一致: 结果为 {result.get('seed')}，重算为 {seed}")

    # 4. sections 8 and 9 from scratch
    strata, targets, districts = recompute_selection(plan, seed)
    teams, missing = recompute_teams(plan, seed, targets, districts)
    report.recomputed = Recomputed(seed, strata, targets, teams, missing)
    compare_list(report, "STRATUM", "strata", result.get("strata"), strata)
    compare_list(report, "TARGET", "targets", result.get("targets"), targets)
    compare_map(report, "TEAM", "teams", result.get("teams"), teams)
    compare_map(report, "MISSING", "missing", result.get("missing"), missing)
    return report


def describe_target(report: Report, result: dict[str, Any], target_id: str) -> list[str]:
    """Section 11.5: one candidate's ticket, its stratum's threshold, selected or not."""
    plan, again = report.plan, report.recomputed
    if plan is None or again is None:
        return [f"无法查询 {target_id}: 清单或结果未能重算 (cannot recompute)"]
    try:
        k = plan.ids.index(target_id)
    except ValueError:
        return [f"NOT_A_CANDIDATE {target_id} 不在本次抽取的候选对象中 (not a candidate)"]
    stratum = plan.stratum_of[k]
    own = ticket(again.seed, "T", target_id).hex()
    info = next(s for s in again.strata if s["name"] == stratum)
    hit = next((t for t in again.targets if t["id"] == target_id), None)
    published = [
        s.get("threshold")
        for s in result.get("strata") or []
        if isinstance(s, dict) and s.get("name") == stratum
    ]
    lines = [
        f"检查对象 target: {target_id}",
        f"所属层 stratum: {stratum}（{info['candidates']} 个候选，抽取 {info['selected']} 个）",
        f"票号 ticket: {own}",
        f"该层门槛 threshold: {info['threshold']}",
    ]
    if published != [info["threshold"]]:
        shown = published[0] if published else "（缺失）"
        lines.append(f"  注意：结果文件公布的门槛为 {shown} (published threshold differs)")
    if hit is None:
        lines.append("是否抽中 selected: 否 NO（票号大于门槛 / ticket above threshold）")
    else:
        team = again.teams.get(target_id, [])
        lines.append(
            f"是否抽中 selected: 是 YES（票号不大于门槛 / ticket not above threshold），"
            f"第 {hit['rank']} 名，第 {hit['batch']} 批，检查人员 {', '.join(team) or '（无）'}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify.py",
        description="DRAW-1 抽取结果验证 (verify a draw): 由清单与结果文件独立重算",
    )
    parser.add_argument("manifest", help="清单文件 (manifest JSON, canonical bytes)")
    parser.add_argument("result", help="结果文件 (result JSON)")
    parser.add_argument("--target", metavar="ID", help="查询某一检查对象 (check one candidate)")
    parser.add_argument("--all", action="store_true", help="列出全部差异 (list every difference)")
    args = parser.parse_args(argv)

    try:
        with open(args.manifest, "rb") as fh:
            manifest_bytes = fh.read()
        with open(args.result, "rb") as fh:
            result_raw = fh.read()
    except OSError as exc:
        print(f"无法读取文件 (cannot read): {exc}", file=sys.stderr)
        return 2
    try:
        result = load_json(result_raw)
    except ValueError as exc:
        print(f"差异 DIFF RESULT_JSON: 结果文件不是合法的 JSON (invalid JSON): {exc}")
        print("FAILED 验证未通过")
        return 1

    report = check(manifest_bytes, result)
    print(f"清单哈希 manifest_hash: {sha256_hex(manifest_bytes)}")
    if report.recomputed is not None:
        print(f"种子 seed: {report.recomputed.seed}")
        pool_size = len(report.plan.ids) if report.plan else 0
        print(f"抽中 targets: {len(report.recomputed.targets)} / {pool_size}")
    print(f"结果哈希 result_hash: {report.result_hash or '（无法计算 / cannot compute）'}")
    if args.target is not None and isinstance(result, dict):
        for line in describe_target(report, result, args.target):
            print(line)

    shown: dict[str, int] = {}
    for keyword, message in report.differences:
        shown[keyword] = shown.get(keyword, 0) + 1
        if args.all or shown[keyword] <= SHOWN_PER_KIND:
            print(f"差异 DIFF {keyword}: {message}")
    for keyword, count in shown.items():
        if not args.all and count > SHOWN_PER_KIND:
            print(f"差异 DIFF {keyword}: 另有 {count - SHOWN_PER_KIND} 处未列出 (more; use --all)")
    if report.verified:
        print("VERIFIED 验证通过")
        return 0
    print(f"FAILED 验证未通过：共 {len(report.differences)} 处差异 (differences)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
