"""The whole ceremony driven through the console on the offscreen platform."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from draw_data import publish_task
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.db import Database
from app.services.draws.ceremony import DrawCeremony
from app.views.application import configure_application
from app.views.context import AppContext
from app.views.draw.console import DONE, PREPARE, REVEAL, WITNESSES, DrawPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, qapp: QApplication, sqlite_db: Database) -> Iterator[DrawPage]:
    configure_application(qapp)
    publish_task(sqlite_db)
    page = DrawPage(AppContext(sqlite_db))
    page.confirm = lambda _title, _question: True
    qtbot.addWidget(page)
    page.show()
    yield page
    page.shutdown()


def _idle(qtbot, page: DrawPage, step: int) -> None:
    qtbot.waitUntil(lambda: not page.is_busy() and page.step() == step, timeout=20_000)


def _witness(qtbot, page: DrawPage, name: str, unit: str, digits: str) -> None:
    # QTest types ASCII only: the Chinese fields are filled as an input method would.
    page.witness.name.setText(name)
    page.witness.unit.setText(unit)
    qtbot.keyClicks(page.witness.digits, digits)
    qtbot.keyClick(page.witness.digits, Qt.Key.Key_Return)


def _start(qtbot, page: DrawPage, code: str) -> None:
    page.select_task(code)
    assert page.step() == PREPARE
    page.prepare.operator.setText("赵敏")
    page.open_projector()
    qtbot.mouseClick(page.prepare.start_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, page, WITNESSES)


def test_ceremony_open_witnesses_draw_print_export_verify(
    qtbot, page: DrawPage, tmp_path: Path
) -> None:
    code = "LC-LH-2026-001"
    _start(qtbot, page, code)
    projector = page.projector
    assert projector is not None and projector.stage() == "commitment"
    info = page.ceremony.info()
    assert projector.commitment.view.nonce_commitment == info.nonce_commitment

    _witness(qtbot, page, "李建国", "市人大代表", "0038194556")
    _witness(qtbot, page, "王秀英", "市政协委员", "778120")
    assert page.witness.table.rowCount() == 2
    assert [w.digits for w in projector.commitment.witnesses] == ["0038194556", "778120"]

    qtbot.mouseClick(page.witness.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: projector.stage() == "reveal", timeout=20_000)
    assert page.step() == REVEAL
    qtbot.mouseClick(page.reveal.all_button, Qt.MouseButton.LeftButton)
    assert page.step() == DONE
    assert projector.stage() == "end"
    assert projector.end.view.total == len(page.ceremony.outcome().result["targets"])
    # The console lists the same drawn targets and teams as the projector's end screen.
    drawn = page.done.drawn
    rows = drawn.model.row_texts()
    assert [r[2] for r in rows] == [e.name for e in projector.end.view.entries]
    lead = projector.end.view.entries[0].team[0].name
    assert all(m.name in rows[0][5] for m in projector.end.view.entries[0].team)
    drawn.search.setText(lead)
    assert 0 < drawn.model.rowCount() <= len(rows)
    assert all(lead in r[5] for r in drawn.model.row_texts())
    drawn.search.clear()
    assert page.ceremony.info().operator == "赵敏"

    pdf = tmp_path / "record.pdf"
    page.print_record(pdf, open_after=False)
    qtbot.waitUntil(lambda: not page.is_busy() and pdf.exists(), timeout=30_000)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "随机抽取记录" in text and "李建国" in text and "0038194556" in text

    bundle = tmp_path / "bundle.zip"
    page.export_bundle(bundle)
    qtbot.waitUntil(lambda: not page.is_busy() and bundle.exists(), timeout=30_000)
    unpacked = tmp_path / "anywhere"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(unpacked)
    run = subprocess.run(
        [sys.executable, "verify.py", "manifest.json", "result.json"],
        cwd=unpacked,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "VERIFIED" in run.stdout


def test_abandon_with_reason_then_start_again(qtbot, page: DrawPage) -> None:
    code = "LC-LH-2026-001"
    _start(qtbot, page, code)
    first = page.ceremony.info().nonce_commitment
    assert not page.abort("  ")
    assert page.abort("见证人未到场")
    assert page.step() == PREPARE
    _start(qtbot, page, code)
    _witness(qtbot, page, "赵晓东", "企业代表", "20260401")
    page.start_draw()
    qtbot.waitUntil(lambda: page.projector.stage() == "reveal", timeout=20_000)
    page.reveal_all()
    aborted = page.ceremony.outcome().result["aborted_attempts"]
    assert [a["nonce_commitment"] for a in aborted] == [first]
    assert aborted[0]["reason"] == "见证人未到场"


def test_reopening_the_page_resumes_the_stored_step(
    qtbot, qapp: QApplication, page: DrawPage, sqlite_db: Database
) -> None:
    code = "LC-LH-2026-001"
    _start(qtbot, page, code)
    _witness(qtbot, page, "李建国", "市人大代表", "123456")
    commitment = page.ceremony.info().nonce_commitment
    page.shutdown()

    # A new console (the old one "crashed"): the same attempt, the same witness.
    again = DrawPage(AppContext(sqlite_db))
    again.confirm = lambda _t, _q: True
    qtbot.addWidget(again)
    again.select_task(code)
    _idle(qtbot, again, WITNESSES)
    info = again.ceremony.info()
    assert info.nonce_commitment == commitment
    assert [w.digits for w in info.witnesses] == ["123456"]
    again.start_draw()
    qtbot.waitUntil(lambda: again.projector.stage() == "reveal", timeout=20_000)
    result_hash = again.ceremony.outcome().result_hash
    again.shutdown()

    # Crash during the reveal: reopening shows the stored result, not a new one.
    third = DrawPage(AppContext(sqlite_db))
    qtbot.addWidget(third)
    third.select_task(code)
    _idle(qtbot, third, DONE)
    assert third.outcome_view.result_hash == result_hash
    assert DrawCeremony.resume(sqlite_db, code).outcome().result_hash == result_hash
    third.shutdown()


def test_a_second_draw_needs_the_supervisors_own_password(
    qtbot, page: DrawPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import select

    from app.domain.auth import Role
    from app.models import Department
    from app.services.access import users as user_admin
    from app.views.draw import console

    code = "LC-LH-2026-001"
    _start(qtbot, page, code)
    _witness(qtbot, page, "赵晓东", "企业代表", "20260401")
    page.start_draw()
    qtbot.waitUntil(lambda: page.projector.stage() == "reveal", timeout=20_000)
    page.reveal_all()
    first = page.ceremony.info().nonce_commitment
    db = page.ctx.db
    with db.session() as s:
        lead = s.scalar(select(Department.id).where(Department.code == "SCJGJ"))
    user_admin.create_user(db, "planner", "钱主任", "Jd8#kq2Lm!", {Role.PLANNER}, lead)

    monkeypatch.setattr(console, "ask_redraw", lambda _p, _s: ("录入错误", "planner", "wrong"))
    page.done.redraw.emit()
    assert "未获确认" in page.message.text()
    assert page.step() == DONE and page.ceremony.info().nonce_commitment == first

    monkeypatch.setattr(console, "ask_redraw", lambda _p, _s: ("录入错误", "planner", "Jd8#kq2Lm!"))
    page.done.redraw.emit()
    _idle(qtbot, page, WITNESSES)
    info = page.ceremony.info()
    assert info.nonce_commitment != first
    assert (info.redraw_reason, info.supervisor) == ("录入错误", "钱主任（planner）")


def test_a_long_task_title_never_hides_its_status_line_at_1280(
    qtbot, page: DrawPage, sqlite_db: Database
) -> None:
    from sqlalchemy import update

    from app.models.plans import SamplingTask

    long_title = "2026 年度全市食品经营者、特种设备使用单位及药品零售企业跨部门联合双随机抽查" * 2
    with sqlite_db.session() as s:
        s.execute(update(SamplingTask).values(title=long_title))
    page.resize(1280, 720)
    page.refresh()
    qtbot.waitUntil(lambda: page.tasks.viewport().width() > 100)
    item = page.tasks.item(0)
    metrics = page.tasks.fontMetrics()
    first, status = item.text().split("\n")
    width = page.tasks.viewport().width()
    assert metrics.horizontalAdvance(first) <= width and first.endswith("…")
    assert status.startswith("已公开") and metrics.horizontalAdvance(status) <= width
    # Both lines fit in the item's painted height.
    assert page.tasks.visualItemRect(item).height() >= 2 * metrics.lineSpacing()
    assert long_title in item.toolTip()
    page.grab().save(str(Path(os.environ["DUALRANDOM_HOME"]) / "console-1280.png"))
