"""Two starts on one PC: the second asks the first to come forward."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtNetwork import QLocalServer

from app.views.single_instance import SingleInstance, claim

pytestmark = pytest.mark.gui


@pytest.fixture
def name() -> str:
    return f"dualrandom-test-{uuid.uuid4().hex[:12]}"


def test_second_instance_activates_the_first(qtbot, name: str) -> None:
    first = SingleInstance(name)
    assert first.listen()
    try:
        second = SingleInstance(name)
        with qtbot.waitSignal(first.activated, timeout=3000):
            assert second.notify_running()
    finally:
        first.close()


def test_claim_returns_none_for_the_second(qtbot, name: str) -> None:
    first = claim(name)
    assert first is not None
    try:
        with qtbot.waitSignal(first.activated, timeout=3000):
            assert claim(name) is None
    finally:
        first.close()


def test_nobody_listening_means_first_instance(qtbot, name: str) -> None:
    alone = SingleInstance(name)
    assert not alone.notify_running(timeout_ms=200)


def test_a_stale_socket_is_replaced(qtbot, name: str) -> None:
    crashed = QLocalServer()
    assert crashed.listen(name)
    crashed.close()  # what a crash leaves behind on Unix is a dead name
    guard = claim(name)
    assert guard is not None
    guard.close()
