"""The projector alone: placement, stages, reveal controls, frame cost; no database."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.views.application import configure_application
from app.views.draw.projector import (
    ProjectorWindow,
    default_screen,
    remember_screen,
    remembered_screen,
    screen_key,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench._draw_sample import SampleDraw, sample_draw

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def draw() -> SampleDraw:
    return sample_draw(candidates=3000, inspectors=30)


@pytest.fixture
def projector(qtbot, qapp: QApplication) -> Iterator[ProjectorWindow]:
    configure_application(qapp)
    window = ProjectorWindow()
    qtbot.addWidget(window)
    yield window
    window.close()


def test_one_screen_gives_a_window_and_the_choice_is_remembered(
    projector: ProjectorWindow,
) -> None:
    screens = QGuiApplication.screens()
    assert len(screens) == 1  # the offscreen platform
    projector.place(screens[0], full_screen=True)
    assert projector.isVisible() and not projector.full_screen
    assert not projector.isFullScreen()
    assert remembered_screen() is screens[0]
    assert default_screen() is screens[0]
    remember_screen(screens[0])
    assert screen_key(screens[0]).count(",") == 3


def test_stages_follow_the_console(qtbot, projector: ProjectorWindow, draw: SampleDraw) -> None:
    projector.place(None)
    projector.resize(1280, 720)
    projector.show_commitment(draw.commitment_view())
    assert projector.stage() == "commitment"
    lines = draw.witness_lines()
    projector.set_witnesses(lines[:1])
    assert projector.commitment.witnesses == lines[:1]
    projector.grab()  # paints without error at this size

    outcome = draw.outcome_view()
    with qtbot.waitSignal(projector.reveal_progress, timeout=10_000) as first:
        projector.start_reveal(outcome, draw.decoys(), 16.0)
    assert projector.stage() == "reveal"
    assert first.args == [1, outcome.total]
    projector.set_speed(0.5)
    projector.reveal_all()
    assert projector.stage() == "end"
    assert projector.end.pages() > 1
    pages: list[tuple[int, int]] = []
    projector.page_changed.connect(lambda p, n: pages.append((p, n)))
    projector.turn_page(1)
    projector.turn_page(-5)
    assert pages == [(2, projector.end.pages()), (1, projector.end.pages())]


def test_reveal_waits_for_names_still_being_looked_up(
    qtbot, projector: ProjectorWindow, draw: SampleDraw
) -> None:
    projector.place(None)
    full = draw.outcome_view()
    first = dataclasses.replace(full, entries=full.entries[:2])
    assert first.total == full.total and not first.complete
    progress: list[int] = []
    projector.reveal_progress.connect(lambda n, _total: progress.append(n))
    projector.start_reveal(first, draw.decoys(), 16.0)
    qtbot.waitUntil(lambda: projector.reveal._waiting, timeout=10_000)
    assert progress == [1, 2]
    projector.update_outcome(full)
    qtbot.waitUntil(lambda: len(progress) >= 3, timeout=10_000)
    projector.reveal_all()
    assert projector.end.view is full


def test_reveal_runs_to_the_end_frame_by_frame(
    qtbot, projector: ProjectorWindow, draw: SampleDraw
) -> None:
    projector.place(None)
    projector.resize(1920, 1080)
    small = draw.outcome_view()
    small = dataclasses.replace(small, entries=small.entries[:4], count=4)
    # As in the ceremony: the rolling names are rendered while the witnesses speak.
    projector.prepare_reveal(draw.decoys())
    qtbot.waitUntil(projector.reveal.is_warm, timeout=20_000)
    paint_ms: list[float] = []
    projector.reveal.frame.connect(paint_ms.append)
    with qtbot.waitSignal(projector.reveal_finished, timeout=20_000):
        projector.start_reveal(small, draw.decoys(), 8.0)
    assert projector.stage() == "end"
    # Frame times are measured by bench/draw_projector.py, not asserted here: a busy
    # machine would make such an assertion fail for reasons outside the code.
    assert len(paint_ms) > 10


@pytest.mark.parametrize("size", [3, 4, 6])
def test_the_reveal_card_paints_every_member_of_the_team(
    qtbot, projector: ProjectorWindow, draw: SampleDraw, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """The card had room for two: a third or fourth inspector was never shown."""
    from app.services.draws.display import TeamMember
    from app.views.draw import reveal

    painted: list[tuple[str, object, float]] = []
    real = reveal.draw_text

    def recording(p, rect, text, font, color, *args, **kwargs) -> None:
        painted.append(
            (text, rect, font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF())
        )
        real(p, rect, text, font, color, *args, **kwargs)

    monkeypatch.setattr(reveal, "draw_text", recording)
    outcome = draw.outcome_view()
    team = tuple(
        TeamMember(f"成员{'甲乙丙丁戊己'[k]}某某", f"第{k + 1}检查部门", k == 0)
        for k in range(size)
    )
    entry = dataclasses.replace(outcome.entries[0], team=team, missing=1)
    view = dataclasses.replace(outcome, entries=(entry,), count=1)
    projector.place(None)
    projector.resize(1280, 720)
    with qtbot.waitSignal(projector.reveal_progress, timeout=20_000):
        projector.start_reveal(view, draw.decoys(), 16.0)
    stage = projector.reveal
    stage.stop()
    assert stage.settled == 1 and stage.current() == entry
    painted.clear()
    image = stage.grab().toImage()
    bounds = stage.rect()
    for member in team:
        hits = [(rect, px) for text, rect, px in painted if text == member.name]
        assert hits, f"{member.name} not painted"
        rect, px = hits[0]
        assert bounds.contains(rect.toAlignedRect()) and px >= 12
        department = [rect for text, rect, _ in painted if text == member.department]
        assert department and bounds.contains(department[0].toAlignedRect())
        # Something was drawn where the name is (not the card's flat colour).
        r = rect.toAlignedRect()
        colours = {image.pixel(x, r.center().y()) for x in range(r.left(), r.right(), 2)}
        assert len(colours) > 1
    # Members' rows do not overlap, and the shortage line is still there.
    rows = sorted(
        (rect.top(), rect.left()) for text, rect, _ in painted if text in {m.name for m in team}
    )
    assert len(set(rows)) == size
    assert any("缺 1 人" in text for text, _, _ in painted)
    if size in (3, 4):
        stage.grab().save(str(Path(os.environ["DUALRANDOM_HOME"]) / f"card-{size}.png"))
