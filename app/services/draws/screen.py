"""What the console hands the projector for a draw: plain values from the stored attempt.

Built in the console's background jobs from app.services.draws.ceremony's ceremony;
public data only (see app.services.draws.display).

Garbage collection: a large draw keeps hundreds of thousands of objects
alive for as long as it is on screen (the candidate columns, the result, the
named targets). A full collection walking them all holds the interpreter for
a few hundred milliseconds — from whichever thread — and the projector would
stall. So the views are built with the collector paused, and what they keep
is then moved out of its reach (`gc.freeze`, before the collector is back
on). The data is acyclic and is still freed by reference counting once the
console lets go of it.
"""

from __future__ import annotations

import gc

from app.draw.protocol import gc_paused
from app.services.draws import display as draw_display
from app.services.draws import lookup as draw_lookup
from app.services.draws.attempts import AttemptInfo, Computed, DrawError
from app.services.draws.ceremony import DrawCeremony
from app.services.draws.display import CommitmentView, OutcomeView, WitnessLine


def commitment_view(ceremony: DrawCeremony) -> CommitmentView:
    """Stage 1 of the projector for this attempt (public data only)."""
    info = ceremony.info()
    with gc_paused():
        view = draw_display.commitment_view(
            ceremony.manifest(),
            ceremony.populations(),
            info.manifest_hash,
            info.nonce_commitment,
            ceremony.task_description(),
            ceremony.names(with_targets=False),
        )
        gc.freeze()  # before the collector runs again: it would walk all of it
    return view


def witness_lines(info: AttemptInfo) -> tuple[WitnessLine, ...]:
    return tuple(WitnessLine(w.position, w.name, w.unit, w.digits) for w in info.witnesses)


def outcome_view(ceremony: DrawCeremony, computed: Computed | None = None) -> OutcomeView:
    """The reveal and end stages with every drawn target named: from the stored result."""
    with gc_paused():
        if computed is None:
            outcome = ceremony.outcome()
            if outcome is None:
                raise DrawError("本次抽取尚未完成")
            computed, names = outcome, outcome.names
        else:
            with ceremony.db.session() as s:
                names = draw_lookup.draw_names(s, ceremony.manifest(), computed.result)
        view = draw_display.outcome_view(
            computed.result,
            computed.result_hash,
            ceremony.task_description(),
            names,
            ceremony.manifest()["batches"],
        )
        gc.freeze()
    return view


def first_view(ceremony: DrawCeremony, computed: Computed, first: int = 60) -> OutcomeView:
    """Enough to start the reveal at once: the first targets named, the full count known.

    The console asks for the full view (`outcome_view`) in the background
    while the first names roll; a million-target pool draws tens of thousands.
    """
    result = computed.result
    head = result.copy()
    head["targets"] = result["targets"][:first]
    with ceremony.db.session() as s:
        names = draw_lookup.draw_names(s, ceremony.manifest(), head)
    return draw_display.outcome_view(
        head,
        computed.result_hash,
        ceremony.task_description(),
        names,
        ceremony.manifest()["batches"],
        count=len(result["targets"]),
    )
