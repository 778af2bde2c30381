"""An uncaught exception is logged and shown, not swallowed."""

from __future__ import annotations

import logging
import sys

import pytest

from app.views import errors

pytestmark = pytest.mark.gui


def test_excepthook_logs_and_shows_traceback(
    qapp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[tuple[str, str, str | None]] = []
    monkeypatch.setattr(errors, "show_error", lambda *a: shown.append(a))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    try:
        raise ValueError("坏数据")
    except ValueError:
        with caplog.at_level(logging.ERROR, logger="app.crash"):
            sys.excepthook(*sys.exc_info())
    assert len(shown) == 1
    title, message, details = shown[0]
    assert title == "程序错误" and "坏数据" in message
    assert details is not None and "ValueError" in details
    assert "uncaught exception" in caplog.text


def test_log_file_is_written_in_the_log_folder(_isolated_home) -> None:
    from app.logging_setup import setup_logging

    path = setup_logging()
    logging.getLogger("app.test").info("写入日志")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert path.parent == _isolated_home / "logs"
    assert "写入日志" in path.read_text(encoding="utf-8")


def test_a_database_fault_is_a_message_without_traceback(
    qapp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.models.faults import DatabaseUnavailable

    shown: list[tuple] = []
    monkeypatch.setattr(errors, "show_error", lambda *a: shown.append(a))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    fault = DatabaseUnavailable(
        "与数据库（PostgreSQL：db/dr）的连接中断，本次操作未能完成，已全部撤销"
    )
    try:
        raise fault
    except DatabaseUnavailable:
        sys.excepthook(*sys.exc_info())
    assert shown == [("操作未完成", str(fault))]
