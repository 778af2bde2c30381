"""Notices and checklists of a drawn task, from the database to PDFs read back with pdftotext."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from inspection_data import inspected_task
from pdf_text import flat, page_count, pages
from sqlalchemy import select

from app.cli import main
from app.domain.auth import Role
from app.draw.protocol import ticket
from app.models.db import Database
from app.models.draws import DrawResult
from app.models.inspections import Inspection
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.inspections import documents
from app.services.system.bureau import BureauProfile, save_bureau

ISSUED = date(2026, 3, 20)


@pytest.fixture
def task(db: Database) -> str:
    code = inspected_task(db)
    save_bureau(db, BureauProfile(full_name="聊城市市场监督管理局", contact="王科长 0635-1234567"))
    return code


def _targets(db: Database) -> list[tuple[str, str, list[str]]]:
    with db.session() as s:
        rows = s.scalars(select(Inspection).order_by(Inspection.draw_rank))
        return [(i.target.name, i.target.uscc, [m.inspector.name for m in i.team]) for i in rows]


def test_notices_hold_each_enterprise_its_team_and_a_checkable_ticket(
    db: Database, task: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "notices.pdf", tmp_path / "each"
    code = main(["notices", task, str(out), "--per-enterprise", str(folder), "--db", db.url])
    assert code == 0, capsys.readouterr().err
    targets = _targets(db)
    text = flat("".join(pages(out)))
    for name, uscc, team in targets:
        assert name in text and uscc in text
        assert all(member in text for member in team)
    for item in ("食品销售者落实食品安全主体责任检查", "公共场所卫生检查", "安全生产条件检查"):
        assert item in text
    assert task in text and "王科长0635-1234567" in text
    assert "聊市监发〔2026〕1号" in text
    assert page_count(out) >= len(targets)
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(targets)
    one = flat("".join(pages(files[0])))
    assert sum(uscc in one for _n, uscc, _t in targets) == 1
    # The QR payload: task code, USCC and the target's DRAW-1 ticket from the stored result.
    with db.session() as s:
        seed = s.scalar(select(DrawResult.seed))
    notices = documents.task_notices(db, task, issued_on=ISSUED)
    for n in notices:
        code_, uscc, tick = n.qr_payload.split("|")
        assert code_ == task and uscc == n.uscc
        assert tick == ticket(seed, "T", uscc).hex()
    # Printing again keeps the task's 文号.
    again = documents.task_notices(db, task, issued_on=ISSUED)
    assert {n.doc_number for n in again} == {"聊市监发〔2026〕1号"}


def test_checklists(
    db: Database, task: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "checklists.pdf"
    assert main(["checklists", task, str(out), "--db", db.url]) == 0
    text = flat("".join(pages(out)))
    for name, uscc, _team in _targets(db):
        assert name in text and uscc in text
    assert "检查人员签字" in text and "被检查单位" in text


def test_notices_need_an_organiser_checklists_any_viewer(
    db: Database, task: str, tmp_path: Path
) -> None:
    viewer = Principal(None, "v", "某人", frozenset({Role.VIEWER}))
    with acting_as(viewer), pytest.raises(PermissionDenied):
        documents.task_notices(db, task, issued_on=ISSUED)
    with acting_as(viewer):
        assert len(documents.task_checklists(db, task)) == len(_targets(db))


def test_no_inspections_yet_is_refused(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from inspection_data import drawn_task

    task = drawn_task(db)
    assert main(["notices", task, str(tmp_path / "n.pdf"), "--db", db.url]) == 2
    assert "还没有检查" in capsys.readouterr().err


def test_a_reassignment_is_printed(db: Database, task: str, tmp_path: Path) -> None:
    from inspection_data import TODAY, first_inspection

    from app.services.inspections import team

    iid, members = first_inspection(db)
    new = team.candidates(db, iid, 1, TODAY)[0]
    team.reassign(db, iid, 1, new.inspector_id, "企业申请回避", on=TODAY)
    out = tmp_path / "n.pdf"
    documents.write_task_notices(db, task, out, issued_on=ISSUED)
    text = flat("".join(pages(out)))
    assert f"接替{members[0].name}：企业申请回避" in text
    out = tmp_path / "c.pdf"
    documents.write_task_checklists(db, task, out)
    assert new.name in flat("".join(pages(out)))
