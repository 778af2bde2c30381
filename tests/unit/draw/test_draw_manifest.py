"""Section 3: every manifest rule refused with a reason that says what and where."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from draw_helpers import make_manifest, pool_member

from app.draw.protocol import ManifestError, canonical
from app.draw.validate import load_manifest_bytes, validate_manifest


def test_valid_manifest_is_accepted_and_hashed_from_its_bytes():
    manifest = make_manifest()
    data = canonical(manifest)
    checked = load_manifest_bytes(data)
    assert checked.hash == validate_manifest(manifest).hash
    assert len(checked.candidate_ids) == 30
    assert checked.per_department_min == {}


def test_build_manifest_sorts_its_inputs():
    manifest = make_manifest(
        candidates=[["C2", "A", "371502"], ["C1", "A", "371502"]],
        pool=[pool_member("I2"), pool_member("I1")],
        excluded_pairs=[["I2", "C1"], ["I1", "C2"]],
    )
    assert [c[0] for c in manifest["candidates"]] == ["C1", "C2"]
    assert [p["id"] for p in manifest["inspectors"]["pool"]] == ["I1", "I2"]
    assert manifest["inspectors"]["excluded_pairs"] == [["I1", "C2"], ["I2", "C1"]]


def _dumps_reversed_keys(obj: dict) -> bytes:
    flipped = dict(reversed(list(obj.items())))
    return json.dumps(flipped, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("transform", "reason"),
    [
        (lambda b: b + b"\n", "末尾多了换行符"),
        (lambda b: b"\xef\xbb\xbf" + b, "BOM"),
        (lambda b: json.dumps(json.loads(b), ensure_ascii=False, indent=1).encode(), "规范"),
        (
            lambda b: json.dumps(json.loads(b), sort_keys=True, separators=(",", ":")).encode(),
            "规范",
        ),
        (lambda b: _dumps_reversed_keys(json.loads(b)), "键须按字母排序"),
        (
            lambda b: b.replace(b'"batches":1', b'"batches":1.0'),
            "batches（批次数）必须是不小于 1 的整数",
        ),
        (lambda b: b.replace(b'"batches":1', b'"batches":NaN'), "NaN"),
        (lambda b: b"\xff" + b, "UTF-8"),
        (lambda b: b[:-1], "JSON"),
    ],
)
def test_file_bytes_must_be_canonical(transform: Callable[[bytes], bytes], reason: str):
    data = transform(canonical(make_manifest()))
    with pytest.raises(ManifestError, match=reason):
        load_manifest_bytes(data)


def _candidate(k: int, value: Any) -> Callable[[dict], None]:
    def change(m: dict) -> None:
        m["candidates"][k] = value

    return change


def _set(path: str, value: Any) -> Callable[[dict], None]:
    keys = path.split(".")

    def change(m: dict) -> None:
        target = m
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        if value is KeyError:
            del target[last]
        elif last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return change


BREAKS: list[tuple[Callable[[dict], None], str]] = [
    (_set("protocol", "DRAW-2"), "protocol"),
    (_set("batches", KeyError), "缺少字段：batches"),
    (_set("extra", 1), "未定义的字段：extra"),
    (_set("task", []), "task"),
    (_set("task", {"budget": 1.5}), "小数"),
    (_set("batches", 0), "batches"),
    (_set("batches", True), "batches"),
    (_set("strata.0.ratio_bp", 10001), "抽查层第 1 项（A）：ratio_bp"),
    (_set("strata.0.ratio_bp", -1), "ratio_bp"),
    (_set("strata.0.ratio_bp", 500.0), "ratio_bp"),
    (_set("strata.1.count", -1), "抽查层第 2 项（B）：count"),
    (_set("strata.1.ratio_bp", 100), "有且只有"),
    (_set("strata.1.count", KeyError), "有且只有"),
    (_set("strata.1.name", "A"), "层名重复"),
    (_set("strata.1.name", ""), "name"),
    (_set("strata.1.weight", 2), "未定义的字段"),
    (_candidate(11, ["C011", "E", "371502"]), "候选对象第 12 项（C011）：所属层“E”不在 strata 中"),
    (_candidate(11, ["C011", "A", "37150"]), "候选对象第 12 项（C011）：行政区划代码"),
    (_candidate(11, ["C011", "A", "３７１５０２"]), "候选对象第 12 项（C011）：行政区划代码"),
    (_candidate(11, ["C011", "A", 371502]), "候选对象第 12 项：必须是"),
    (_candidate(11, ["C011", "A"]), "候选对象第 12 项：必须是"),
    (_candidate(11, [["C011"], "A", "371502"]), "候选对象第 12 项：必须是"),
    (_candidate(11, ["C011", ["A"], "371502"]), "候选对象第 12 项：必须是"),
    (_candidate(11, ["C011", 5, "371502"]), "候选对象第 12 项（C011）：所属层“5”不在 strata 中"),
    (_candidate(11, [None, "A", "371502"]), "候选对象第 12 项：必须是"),
    (_candidate(11, {"id": "C011"}), "候选对象第 12 项：必须是"),
    (_candidate(11, ["C010", "A", "371502"]), "候选对象第 12 项（C010）：id 重复"),
    (_candidate(11, ["C099", "A", "371502"]), "候选对象第 13 项（C012）：未按 id 升序排列"),
    (_candidate(11, ["C01|1", "A", "371502"]), "候选对象第 12 项：id“C01|1”无效"),
    (_candidate(11, ["C01 1", "A", "371502"]), "只允许字符"),
    (_candidate(11, ["C01甲", "A", "371502"]), "只允许字符"),
    (_candidate(11, ["C011@x", "A", "371502"]), "只允许字符"),
    (_candidate(0, ["", "A", "371502"]), "候选对象第 1 项：id“”无效"),
    (_candidate(29, ["D" * 65, "A", "371502"]), "长度 1 到 64"),
    (_set("inspectors.team_size", 0), "team_size"),
    (_set("inspectors.max_load", 0), "max_load"),
    (_set("inspectors.district_rule", "nearby"), "district_rule"),
    (_set("inspectors.per_department_min", {"SCJ": 0}), "SCJ"),
    (_set("inspectors.per_department_min", {"SCJ": 2}), "小于各部门最少人数之和"),
    (_set("inspectors.per_department_min", {"S|J": 1}), "部门代码"),
    (_set("inspectors.pool.1.id", "I0"), "检查人员第 2 项（I0）：id 重复"),
    (_set("inspectors.pool.1.id", "H"), "检查人员第 2 项（H）：未按 id 升序排列"),
    (_set("inspectors.pool.1.load", -1), "检查人员第 2 项（I1）：load"),
    (_set("inspectors.pool.1.district", "1"), "检查人员第 2 项（I1）：行政区划代码"),
    (_set("inspectors.pool.1.department", "市场*局"), "部门代码"),
    (_set("inspectors.pool.1.rank", 1), "检查人员第 2 项含有协议未定义的字段：rank"),
    (_set("inspectors.excluded_pairs", [["I1", "C002"], ["I0", "C001"]]), "排除对第 2 项"),
    (_set("inspectors.excluded_pairs", [["I1"]]), "排除对第 1 项"),
    (_set("inspectors.excluded_pairs", [["I1", "C 1"]]), "候选对象 id"),
    (_set("inspectors.pool", {}), "pool"),
    (_set("inspectors.excluded_pairs", KeyError), "缺少字段：excluded_pairs"),
]


@pytest.mark.parametrize(("change", "reason"), BREAKS)
def test_every_rule_break_is_refused_with_its_place(change, reason):
    manifest = copy.deepcopy(make_manifest())
    change(manifest)
    with pytest.raises(ManifestError) as info:
        validate_manifest(manifest)
    assert reason in str(info.value)
    # the same manifest stored canonically is refused by the file loader too
    with pytest.raises(ManifestError):
        load_manifest_bytes(canonical(manifest))


def test_empty_candidates_pool_and_strata_are_allowed():
    manifest = make_manifest(candidates=[], pool=[], strata=[])
    checked = validate_manifest(manifest)
    assert checked.candidate_ids == [] and checked.pool == () and checked.strata == ()


def test_excluded_pairs_may_name_unknown_ids_and_repeat():
    manifest = make_manifest(excluded_pairs=[["I0", "C001"], ["I0", "C001"], ["ZZ", "NOBODY"]])
    assert len(validate_manifest(manifest).excluded_pairs) == 2


def test_lone_surrogates_and_deep_nesting_are_refused_not_crashed():
    data = canonical(make_manifest())
    escaped = data.replace("测试任务".encode(), b"\\ud800")
    with pytest.raises(ManifestError, match="代理项"):
        load_manifest_bytes(escaped)
    with pytest.raises(ManifestError, match="代理项"):
        validate_manifest({**make_manifest(), "task": {"title": "\ud800"}})
    deep = data.replace(b'"task":{', b'"task":{"x":' + b"[" * 100_000 + b"]" * 100_000 + b",")
    with pytest.raises(ManifestError, match="嵌套"):
        load_manifest_bytes(deep)
