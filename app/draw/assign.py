"""Section 9: inspectors dealt to the selected targets from shuffled decks.

One deliberate shortcut, invisible in the result: a deck's round is laid out
(its members hashed and sorted) only when somebody is actually dealt from it.
A round in which nobody is eligible is just counted, with the loads it was
shuffled at kept aside, so that a draw where many places stay empty (max_load
reached, a one-district "different" rule) does not hash the whole deck for
every target. The order is a pure function of (deck, round, loads at the
shuffle), so laying it out later gives exactly the protocol's order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from app.draw.protocol import deck_tickets
from app.draw.validate import Manifest

STAR = "*"


@dataclass(slots=True)
class _Deck:
    name: str  # as hashed: a department code, "*", or "k@x" under the "same" rule
    members: list[int]  # pool indices in id order
    round: int = 0  # 0 = never shuffled yet
    remaining: list[int] | None = None  # dealing order left; None = round not laid out
    snapshot: list[int] | None = None  # members' loads when the round was shuffled
    available: int = 0  # members below max_load (only kept when max_load is set)


@dataclass(frozen=True, slots=True)
class Assignment:
    teams: dict[str, list[str]]
    missing: dict[str, dict[str, int]]
    loads: dict[str, int]  # final loads, for callers that show the balance


class _Dealer:
    def __init__(self, manifest: Manifest, seed: str) -> None:
        pool = manifest.pool
        self.seed = seed
        self.ids = [p.id for p in pool]
        self.districts = [p.district for p in pool]
        self.load = [p.load for p in pool]
        self.max_load = manifest.max_load
        self.cap = manifest.max_load if manifest.max_load is not None else sys.maxsize
        self.same = manifest.district_rule == "same"
        self.decks: dict[str, _Deck] = {}
        self.decks_of: list[list[_Deck]] = [[] for _ in pool]
        self.by_department: dict[str, list[int]] = {}
        for i, member in enumerate(pool):
            self.by_department.setdefault(member.department, []).append(i)

    def deck(self, code: str, district: str) -> _Deck:
        name = f"{code}@{district}" if self.same else code
        deck = self.decks.get(name)
        if deck is None:
            members = range(len(self.ids)) if code == STAR else self.by_department.get(code, [])
            if self.same:
                members = [i for i in members if self.districts[i] == district]
            deck = _Deck(name, list(members))
            deck.available = sum(1 for i in deck.members if self.load[i] < self.cap)
            self.decks[name] = deck
            for i in deck.members:
                self.decks_of[i].append(deck)
        return deck

    def deal(self, deck: _Deck, eligible: Callable[[int], bool]) -> int | None:
        """One place from `deck`: the first eligible remaining member, else a new round."""
        if deck.round == 0:
            self._shuffle(deck)  # first needed: round 1
        picked = self._take(deck, eligible)
        if picked is None:
            self._shuffle(deck)  # round r + 1, all members; the old rest is dropped
            picked = self._take(deck, eligible)
        if picked is not None:
            self.load[picked] += 1
            if self.load[picked] == self.cap and self.max_load is not None:
                for d in self.decks_of[picked]:
                    d.available -= 1
        return picked

    def _shuffle(self, deck: _Deck) -> None:
        deck.round += 1
        deck.remaining = None
        # With everyone at max_load the round can never be laid out (loads only
        # grow), so its loads need not be kept.
        saturated = self.max_load is not None and deck.available == 0
        deck.snapshot = None if saturated else [self.load[i] for i in deck.members]

    def _take(self, deck: _Deck, eligible: Callable[[int], bool]) -> int | None:
        if self.max_load is not None and deck.available == 0:
            return None
        if deck.remaining is None:
            if not any(map(eligible, deck.members)):
                return None
            deck.remaining = self._lay_out(deck)
        remaining = deck.remaining
        for pos, i in enumerate(remaining):
            if eligible(i):
                del remaining[pos]  # passed-over members keep their places
                return i
        return None

    def _lay_out(self, deck: _Deck) -> list[int]:
        """The round's order: (load at shuffle, ticket("D", deck, round, id), id)."""
        assert deck.snapshot is not None
        member_ids = [self.ids[i] for i in deck.members]
        tickets = deck_tickets(self.seed, deck.name, deck.round, member_ids)
        order = sorted(zip(deck.snapshot, tickets, member_ids, deck.members, strict=True))
        deck.snapshot = None
        return [entry[3] for entry in order]


def _eligibility(
    rule: str,
    districts: Sequence[str],
    load: list[int],
    cap: int,
    team: list[int],
    excluded: frozenset[int] | set[int],
    target_district: str,
) -> Callable[[int], bool]:
    """Section 9's test for one target, specialised so the common case stays cheap."""
    if rule == "same":
        return lambda i: (
            i not in team
            and i not in excluded
            and load[i] < cap
            and districts[i] == target_district
        )
    if rule == "different":
        return lambda i: (
            i not in team
            and i not in excluded
            and load[i] < cap
            and districts[i] != target_district
        )
    return lambda i: i not in team and i not in excluded and load[i] < cap


def assign_inspectors(
    manifest: Manifest, seed: str, targets: Iterable[tuple[str, str]]
) -> Assignment:
    """Teams for `targets` ((id, district) in reveal order)."""
    dealer = _Dealer(manifest, seed)
    index = {iid: i for i, iid in enumerate(dealer.ids)}
    excluded: dict[str, set[int]] = {}
    for inspector_id, candidate_id in manifest.excluded_pairs:
        if inspector_id in index:
            excluded.setdefault(candidate_id, set()).add(index[inspector_id])
    nobody: frozenset[int] = frozenset()
    minimums = sorted(manifest.per_department_min.items())  # ascending code order
    team_size = manifest.team_size

    teams: dict[str, list[str]] = {}
    missing: dict[str, dict[str, int]] = {}
    for target_id, district in targets:
        team: list[int] = []
        eligible = _eligibility(
            manifest.district_rule,
            dealer.districts,
            dealer.load,
            dealer.cap,
            team,
            excluded.get(target_id, nobody),
            district,
        )
        short: dict[str, int] = {}
        for code, count in minimums:
            deck = dealer.deck(code, district)
            for _ in range(count):
                picked = dealer.deal(deck, eligible)
                if picked is None:
                    short[code] = short.get(code, 0) + 1
                else:
                    team.append(picked)
        if len(team) < team_size:
            deck = dealer.deck(STAR, district)
            while len(team) < team_size:
                picked = dealer.deal(deck, eligible)
                if picked is None:
                    short[STAR] = team_size - len(team)
                    break
                team.append(picked)
        teams[target_id] = [dealer.ids[i] for i in team]
        if short:
            missing[target_id] = short
    loads = dict(zip(dealer.ids, dealer.load, strict=True))
    return Assignment(teams, missing, loads)
