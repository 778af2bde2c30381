"""Section 9: decks, rounds, eligibility, minimums, max_load, district rules, missing places."""

from __future__ import annotations

from collections import Counter

from draw_helpers import DISTRICTS, draw, make_manifest, pool_member

from app.draw.protocol import ticket


def one_stratum(n: int, district: str | None = None) -> dict:
    candidates = [[f"C{i:03d}", "A", district or DISTRICTS[i % len(DISTRICTS)]] for i in range(n)]
    return {"candidates": candidates, "strata": [{"name": "A", "ratio_bp": 10000}]}


def test_single_deck_deals_round_by_round_as_published():
    pool = [pool_member(f"I{j}") for j in range(3)]
    result = draw(make_manifest(pool=pool, team_size=1, **one_stratum(5)))
    seed = result["seed"]
    ids = [p["id"] for p in pool]
    round1 = sorted(ids, key=lambda i: (0, ticket(seed, "D", "*", "1", i), i))
    round2 = sorted(ids, key=lambda i: (1, ticket(seed, "D", "*", "2", i), i))
    dealt = [result["teams"][t["id"]][0] for t in result["targets"]]
    assert dealt == round1 + round2[:2]


def test_starting_load_orders_the_first_round():
    pool = [pool_member("I0", load=3), pool_member("I1", load=0), pool_member("I2", load=1)]
    result = draw(make_manifest(pool=pool, team_size=1, **one_stratum(2)))
    assert [result["teams"][t["id"]][0] for t in result["targets"]] == ["I1", "I2"]


def test_department_minimums_in_code_order_then_star_deck():
    pool = [pool_member(f"A{j}", "AJ") for j in range(3)] + [
        pool_member(f"S{j}", "SCJ") for j in range(3)
    ]
    manifest = make_manifest(
        pool=pool, team_size=3, per_department_min={"SCJ": 1, "AJ": 1}, **one_stratum(6)
    )
    result = draw(manifest)
    for team in result["teams"].values():
        assert len(team) == 3 and len(set(team)) == 3
        assert team[0].startswith("A") and team[1].startswith("S")  # AJ < SCJ
    assert result["missing"] == {}


def test_one_inspector():
    pool = [pool_member("I0")]
    solo = draw(make_manifest(pool=pool, team_size=1, **one_stratum(4)))
    assert all(team == ["I0"] for team in solo["teams"].values())
    pair = draw(make_manifest(pool=pool, team_size=2, **one_stratum(4)))
    assert all(team == ["I0"] for team in pair["teams"].values())
    assert pair["missing"] == {t["id"]: {"*": 1} for t in pair["targets"]}


def test_nobody_eligible_gives_empty_teams_and_counts_every_place():
    result = draw(
        make_manifest(pool=[], team_size=3, per_department_min={"SCJ": 2}, **one_stratum(3))
    )
    assert all(team == [] for team in result["teams"].values())
    # Section 9 step 2 counts every place still open after step 1 for "*",
    # so the department's two empty places are counted again there: 2 + 3.
    assert result["missing"] == {t["id"]: {"SCJ": 2, "*": 3} for t in result["targets"]}


def test_excluded_pairs_are_never_dealt():
    pool = [pool_member(f"I{j}") for j in range(3)]
    stratum = one_stratum(6)
    excluded = [["I0", c[0]] for c in stratum["candidates"]] + [["I1", "C002"], ["I2", "C002"]]
    result = draw(make_manifest(pool=pool, team_size=2, excluded_pairs=excluded, **stratum))
    for team in result["teams"].values():
        assert "I0" not in team
    assert result["teams"]["C002"] == []
    assert result["missing"]["C002"] == {"*": 2}
    assert all(len(t) == 2 for c, t in result["teams"].items() if c != "C002")


def test_max_load_reached_midway():
    pool = [pool_member("I0", load=1), pool_member("I1")]
    result = draw(make_manifest(pool=pool, team_size=1, max_load=2, **one_stratum(6)))
    dealt = [result["teams"][t["id"]] for t in result["targets"]]
    assert [len(team) for team in dealt] == [1, 1, 1, 0, 0, 0]
    counts = Counter(i for team in dealt for i in team)
    assert counts == {"I0": 1, "I1": 2}
    assert set(result["missing"]) == {t["id"] for t in result["targets"][3:]}


def test_district_rule_same_uses_per_district_decks():
    pool = [pool_member(f"I{j}", district=DISTRICTS[j % 2]) for j in range(6)]
    result = draw(make_manifest(pool=pool, team_size=2, district_rule="same", **one_stratum(9)))
    district_of = {p["id"]: p["district"] for p in pool}
    target_district = {c: d for c, _, d in make_manifest(**one_stratum(9))["candidates"]}
    for target, team in result["teams"].items():
        assert all(district_of[i] == target_district[target] for i in team)
        if target_district[target] == DISTRICTS[2]:  # nobody lives there
            assert team == [] and result["missing"][target] == {"*": 2}
        else:
            assert len(team) == 2
    # the first target of district x gets the head of deck "*@x", round 1
    seed = result["seed"]
    first = next(t["id"] for t in result["targets"] if target_district[t["id"]] == DISTRICTS[0])
    locals_ = [p["id"] for p in pool if p["district"] == DISTRICTS[0]]
    head = min(locals_, key=lambda i: (ticket(seed, "D", f"*@{DISTRICTS[0]}", "1", i), i))
    assert result["teams"][first][0] == head


def test_district_rule_different():
    pool = [pool_member(f"I{j}", district=DISTRICTS[j % 3]) for j in range(6)]
    result = draw(
        make_manifest(pool=pool, team_size=2, district_rule="different", **one_stratum(9))
    )
    district_of = {p["id"]: p["district"] for p in pool}
    target_district = {c: d for c, _, d in make_manifest(**one_stratum(9))["candidates"]}
    for target, team in result["teams"].items():
        assert len(team) == 2
        assert all(district_of[i] != target_district[target] for i in team)


def test_district_rule_different_with_one_district_staffs_nobody():
    pool = [pool_member(f"I{j}", district="371502") for j in range(4)]
    result = draw(
        make_manifest(pool=pool, team_size=2, district_rule="different", **one_stratum(5, "371502"))
    )
    assert all(team == [] for team in result["teams"].values())
    assert result["missing"] == {t["id"]: {"*": 2} for t in result["targets"]}


def test_missing_department_place_is_filled_from_the_star_deck():
    # the protocol fills team_size from "*" even when a department fell short
    pool = [pool_member("S0", "SCJ"), pool_member("S1", "SCJ")]
    result = draw(
        make_manifest(
            pool=pool, team_size=2, per_department_min={"AJ": 1, "SCJ": 1}, **one_stratum(2)
        )
    )
    for target, team in result["teams"].items():
        assert sorted(team) == ["S0", "S1"]
        assert result["missing"][target] == {"AJ": 1}
