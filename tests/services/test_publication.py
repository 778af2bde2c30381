"""Results publication: reviewed results only, stored files, 已公示, corrections, deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from inspection_data import drawn_task
from openpyxl import load_workbook
from pdf_text import flat, pages
from publication_data import PUBLISHED_ON, approved_task, enter_all, inspection_ids
from sqlalchemy import select

from app.domain.publication import PublicationState
from app.domain.results import ResultState
from app.models.db import Database
from app.models.inspections import Inspection, InspectionResult
from app.models.publication import ImmutablePublication, Publication, PublicationFile
from app.services.inspections.creation import create_from_draw
from app.services.publication import records
from app.services.publication.records import PublicationError
from app.services.publication.results import (
    ResultCorrection,
    correct_results,
    publish_results,
)


def _first(db: Database) -> tuple[str, str, str]:
    """(uscc, item code, item name) of the first target's first item."""
    with db.session() as s:
        ins = s.get(Inspection, inspection_ids(db)[0])
        assert ins is not None
        r = min(ins.results, key=lambda r: r.id)
        return ins.target.uscc, r.item.code, r.item.name


def test_only_reviewed_results_are_published(db: Database) -> None:
    code = drawn_task(db)
    create_from_draw(db, code)
    ids = inspection_ids(db)
    enter_all(db, ids[0])
    with pytest.raises(PublicationError, match="未审核通过"):
        publish_results(db, code, published_on=PUBLISHED_ON)
    with db.session() as s:
        assert s.scalar(select(Publication.id)) is None


def test_publish_stores_files_and_marks_results_published(db: Database, tmp_path: Path) -> None:
    code = approved_task(db)
    out = publish_results(db, code, published_on=PUBLISHED_ON)
    assert out.created and out.version_no == 1
    assert "2026年度第001号抽查任务检查结果公告" in out.title
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(out.file(".pdf"))
    text = flat("".join(pages(pdf)))
    uscc, _item, item_name = _first(db)
    assert flat(out.title) in text and uscc in text and item_name in text
    assert "聊市监发〔2026〕1号" in text and "特此公告" in text and "第1页共" in text
    xlsx = tmp_path / "a.xlsx"
    xlsx.write_bytes(out.file(".xlsx"))
    ws = load_workbook(xlsx).active
    head = [c.value for c in ws[1]]
    assert head[:3] == ["企业名称", "统一社会信用代码", "抽查任务编号"]
    assert any(row[1] == uscc for row in ws.iter_rows(min_row=2, values_only=True))
    with db.session() as s:
        states = set(s.scalars(select(InspectionResult.state)))
        assert states == {ResultState.PUBLISHED.value}
        files = list(s.scalars(select(PublicationFile)))
        assert len(files) == 2 and all(records.sha256(f.data) == f.sha256 for f in files)
    # Publishing again returns the stored version rather than a second one.
    again = publish_results(db, code, published_on=PUBLISHED_ON)
    assert not again.created and again.publication_id == out.publication_id


def test_a_published_record_cannot_be_changed(db: Database) -> None:
    code = approved_task(db)
    out = publish_results(db, code, published_on=PUBLISHED_ON)
    with pytest.raises(ImmutablePublication), db.session() as s:
        pub = s.get(Publication, out.publication_id)
        assert pub is not None
        pub.title = "改过的标题"
        s.flush()


def test_correction_keeps_both_versions_and_says_what_changed(db: Database, tmp_path: Path) -> None:
    code = approved_task(db)
    first = publish_results(db, code, published_on=PUBLISHED_ON)
    uscc, item_code, item_name = _first(db)
    with pytest.raises(PublicationError, match="更正原因"):
        correct_results(db, code, " ", [ResultCorrection(uscc, item_code, "01")])
    fixed = correct_results(
        db,
        code,
        "录入时误选结果类型",
        [ResultCorrection(uscc, item_code, "01", finding="")],
        published_on=date(2026, 7, 15),
    )
    assert fixed.version_no == 2 and fixed.publication_id != first.publication_id
    assert len(fixed.changes) == 1 and "更正为“未发现问题”" in fixed.changes[0]
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(fixed.file(".pdf"))
    text = flat("".join(pages(pdf)))
    assert "（更正）" in text and "录入时误选结果类型" in text and "更正内容" in text
    assert flat(first.doc_number) in text and item_name in text
    assert "未按规定公示应当公示的信息" in text  # the old result, in the change line
    # Both versions stay retrievable, the first listed as corrected.
    with db.session() as s:
        rows = records.publication_rows(s, 2026)
    by_id = {r.publication_id: r for r in rows}
    assert by_id[first.publication_id].state is PublicationState.CORRECTED
    assert by_id[fixed.publication_id].state is PublicationState.PUBLISHED
    old_pdf = records.save_file(
        db, by_id[first.publication_id].files[0].file_id, tmp_path / "o.pdf"
    )
    old_text = flat("".join(pages(old_pdf)))
    assert "（更正）" not in old_text and "未按规定公示应当公示的信息" in old_text
    with pytest.raises(PublicationError, match="相同"):
        correct_results(db, code, "再次更正", [ResultCorrection(uscc, item_code, "01")])


def test_follow_up_records_are_created_for_published_problems(db: Database) -> None:
    from app.services.publication.follow_ups import close_follow_up, list_follow_ups

    code = approved_task(db)
    publish_results(db, code, published_on=PUBLISHED_ON)
    rows = list_follow_ups(db, date(2026, 6, 1))
    assert len(rows) == 1 and rows[0].kind.label == "责令改正" and not rows[0].overdue
    late = list_follow_ups(db, date(2026, 12, 1))
    assert late[0].overdue and late[0].status_text == "未完结·已逾期"
    msg = close_follow_up(db, rows[0].follow_up_id, closed_on=date(2026, 6, 1), outcome="已改正")
    assert "已办结" in msg
    assert list_follow_ups(db, date(2026, 12, 1)) == []
    from app.models.audit import AuditEntry

    with db.session() as s:
        entries = [e for e in s.scalars(select(AuditEntry)) if "follow_ups" in str(e.entity)]
        assert any("closed" in str(e.after) for e in entries)
