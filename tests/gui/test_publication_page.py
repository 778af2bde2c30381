"""公示 page: a 待公示 task (overdue on the home page) published, corrected, files saved."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from publication_data import approved_task
from sqlalchemy import select

from app.domain.publication import PublicationState
from app.models.inspections import InspectionResult
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.publication.dialogs import CorrectionDialog
from app.views.publication.page import PublicationPage

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

# The joint task ends 2026-06-30: its results are due 2026-07-28.
LATE = date(2026, 8, 3)


@pytest.fixture
def window(qtbot, app_ctx: AppContext) -> Iterator[MainWindow]:
    approved_task(app_ctx.db)
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.page("home").today = lambda: LATE  # type: ignore[attr-defined]
    w.show()
    qtbot.waitExposed(w)
    yield w


def _page(w: MainWindow) -> PublicationPage:
    page = w.show_page("publication")
    assert isinstance(page, PublicationPage)
    page.today = lambda: LATE
    page.reload()
    return page


def test_publish_from_the_page_and_the_home_page_overdue_line(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    home = window.show_page("home")
    home.refresh_todo()  # type: ignore[attr-defined]
    assert "公示逾期 1 项" in home.overdue_publications.text()  # type: ignore[attr-defined]
    page = _page(window)
    first = page.pub_model.key(0)
    assert first.state is PublicationState.DUE and first.overdue
    page.pub_view.selectRow(0)
    job = page.publish(page._task_code(first))
    qtbot.waitUntil(lambda: not job.is_running(), timeout=60_000)
    assert "已发布公告" in page.message.text()
    row = page.pub_model.key(0)
    assert row.state is PublicationState.PUBLISHED and len(row.files) == 2
    saved = page.save_files(row, tmp_path)
    assert [p.suffix for p in saved] == [".pdf", ".xlsx"]
    home = window.show_page("home")
    home.refresh_todo()  # type: ignore[attr-defined]
    assert home.overdue_publications.text() == "公示逾期：无"  # type: ignore[attr-defined]
    window.grab().save(str(tmp_path / "publication.png"))


def test_correction_dialog(qtbot, window: MainWindow, app_ctx: AppContext) -> None:
    page = _page(window)
    job = page.publish(page._task_code(page.pub_model.key(0)))
    qtbot.waitUntil(lambda: not job.is_running(), timeout=60_000)
    page.reload()
    row = page.pub_model.key(0)
    with app_ctx.db.session() as s:
        r = s.scalar(select(InspectionResult).where(InspectionResult.category_code == "02"))
        assert r is not None
        key = f"{r.inspection.target.uscc}|{r.item.code}"
    dialog = CorrectionDialog(app_ctx.db, page._task_code(row), row.publication_id, page)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert "至少一项" in dialog.error.text()
    dialog.result_box.setCurrentIndex(dialog.result_box.findData(key))
    dialog.category_box.setCurrentIndex(dialog.category_box.findData("01"))
    dialog.add_fix()
    dialog.submit()
    assert "更正原因" in dialog.error.text()
    dialog.reason.setText("录入时误选")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert "更正为“未发现问题”" in dialog.outcome
    page.reload()
    states = [page.pub_model.key(i).state for i in range(page.pub_model.rowCount())]
    assert states == [PublicationState.PUBLISHED, PublicationState.CORRECTED]


def test_exemption_list_from_the_item_page(
    qtbot, window: MainWindow, app_ctx: AppContext, tmp_path: Path
) -> None:
    items = window.show_page("items")
    items.table.selectRow(0)  # type: ignore[attr-defined]
    dialog = items.open_exemptions()  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    assert dialog.item_code.text()
    dialog.add()
    assert "请填写免罚的违法行为" in dialog.message.text()
    dialog.violation.setText("未按规定公示即时信息")
    dialog.add()
    assert dialog.model.rowCount() == 1
    out = dialog.export(tmp_path / "免罚清单.xlsx")
    assert out is not None and out.exists()
    window.grab().save(str(tmp_path / "items.png"))
    dialog.grab().save(str(tmp_path / "exemptions.png"))


def test_a_case_notice_is_printed_from_the_case_list(
    qtbot, window: MainWindow, app_ctx: AppContext, tmp_path: Path
) -> None:
    from app.domain.results import CaseSource
    from app.models.registry import InspectionItem, Inspector, Target
    from app.services.inspections.cases import CaseInput, add_case

    db = app_ctx.db
    with db.session() as s:
        target = s.scalars(select(Target).order_by(Target.id)).first()
        items = [i.code for i in s.scalars(select(InspectionItem).order_by(InspectionItem.id))]
        badges = [m.badge_no for m in s.scalars(select(Inspector).order_by(Inspector.id))]
        assert target is not None
        name, uscc = target.name, target.uscc
    add_case(
        db,
        CaseInput(
            CaseSource.COMPLAINT,
            "TS-2026-0099",
            [uscc],
            items[:1],
            badges[:2],
            date(2026, 5, 1),
            date(2026, 5, 31),
            "SCJGJ",
        ),
    )
    page = _page(window)
    page.tabs.setCurrentIndex(2)
    page.case_view.selectRow(0)
    out = tmp_path / "case-notice.pdf"
    job = page.case_documents("notices", str(out))
    assert job is not None
    qtbot.waitUntil(lambda: "已生成" in page.message.text(), timeout=30_000)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")
    assert name in text and uscc in text and "TS-2026-0099" in text and "随机抽取" not in text
