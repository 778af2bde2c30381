"""Notices and checklists of a case or special inspection (CASE-<id>), read back with pdftotext.

A case inspection was not drawn: its notice says the source and reference instead of
随机抽取, and its QR code holds the inspection's code and the enterprise's USCC only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from inspection_data import department_ids, drawn_task, inspected_task
from pdf_text import flat, pages
from sqlalchemy import select

from app.cli import main
from app.domain.auth import Role
from app.domain.results import CaseSource
from app.models.db import Database
from app.models.inspections import Inspection
from app.models.registry import InspectionItem, Inspector, Target
from app.services.access.auth import PermissionDenied, Principal, acting_as
from app.services.inspections import documents
from app.services.inspections.cases import CaseInput, add_case
from app.services.system.bureau import BureauProfile, save_bureau

ISSUED = date(2026, 4, 28)


@dataclass(frozen=True)
class Facts:
    """What the case's documents should print."""

    name: str
    uscc: str
    items: list[str]
    team: list[tuple[str, str]]


def _case(db: Database, source: CaseSource, reference: str) -> tuple[str, Facts]:
    """A case inspection of the first target on two items; its code and what it should print."""
    with db.session() as s:
        target = s.scalars(select(Target).order_by(Target.id)).first()
        assert target is not None
        items = list(s.scalars(select(InspectionItem).order_by(InspectionItem.id).limit(2)))
        team = list(s.scalars(select(Inspector).order_by(Inspector.id).limit(2)))
        facts = Facts(
            target.name,
            target.uscc,
            [i.name for i in items],
            [(m.name, m.badge_no) for m in team],
        )
    ids = add_case(
        db,
        CaseInput(
            source,
            reference,
            [facts.uscc],
            [i.code for i in items],
            [m.badge_no for m in team],
            date(2026, 5, 1),
            date(2026, 5, 31),
            "SCJGJ",
        ),
    )
    return f"CASE-{ids[0]}", facts


@pytest.fixture
def bureau(db: Database) -> None:
    drawn_task(db)  # the registries: targets, items, inspectors, departments
    save_bureau(db, BureauProfile(full_name="聊城市市场监督管理局", contact="王科长 0635-1234567"))


def _text(pdf: Path) -> str:
    return str(flat("".join(pages(pdf))))


def test_a_complaint_case_notice_says_the_source_not_a_draw(
    db: Database, bureau: None, tmp_path: Path
) -> None:
    code, facts = _case(db, CaseSource.COMPLAINT, "TS-2026-0012")
    out = tmp_path / "case.pdf"
    written = documents.write_task_notices(db, code, out, issued_on=ISSUED)
    assert "检查通知书 1 份" in written
    text = _text(out)
    assert "根据投诉举报线索（TS-2026-0012）" in text
    assert f"开展个案检查（检查编号：{code}）" in text
    assert "随机" not in text and "抽取" not in text and "verify.py" not in text
    assert f"{facts.name}：" in text and f"统一社会信用代码：{facts.uscc}" in text
    for item in facts.items:
        assert item in text
    for name, badge in facts.team:
        assert name in text and badge in text
    for part in (
        "聊市监发〔2026〕1号",  # the bureau's counter, as for a task
        "检查时间：2026年5月1日至2026年5月31日",
        "申请回避的权利",
        "联系人及电话：王科长0635-1234567",
        "聊城市市场监督管理局2026年4月28日",
    ):
        assert part in text, part
    (n,) = documents.task_notices(db, code, issued_on=ISSUED)
    assert n.qr_payload == f"{code}|{facts.uscc}"
    assert n.doc_number == "聊市监发〔2026〕1号"  # a reprint keeps its number


def test_a_special_inspection_notice_and_checklist_from_the_command_line(
    db: Database, bureau: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, facts = _case(db, CaseSource.CAMPAIGN, "2026年校园食品安全专项整治")
    out, folder = tmp_path / "out.pdf", tmp_path / "each"
    assert main(["notices", code, str(out), "--per-enterprise", str(folder), "--db", db.url]) == 0
    assert "检查通知书 1 份" in capsys.readouterr().out
    text = _text(out)
    assert "按照专项检查工作安排（2026年校园食品安全专项整治）" in text
    assert f"开展专项检查（检查编号：{code}）" in text and "随机" not in text
    assert facts.uscc in text
    (one,) = folder.glob("*.pdf")
    assert facts.uscc in _text(one)
    sheet = tmp_path / "checklist.pdf"
    assert main(["checklists", code.lower(), str(sheet), "--db", db.url]) == 0
    text = _text(sheet)
    assert f"检查来源专项检查：2026年校园食品安全专项整治（{code}）" in text
    assert facts.name in text and "聊市监发〔2026〕1号" in text
    assert "检查人员签字" in text


def test_notices_case_1_on_the_command_line(
    db: Database, bureau: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, facts = _case(db, CaseSource.REFERRAL, "聊市监交〔2026〕7号")
    assert code == "CASE-1"  # the first inspection of a fresh database
    out = tmp_path / "out.pdf"
    assert main(["notices", "CASE-1", str(out), "--db", db.url]) == 0, capsys.readouterr().err
    text = _text(out)
    assert "根据转办交办线索（聊市监交〔2026〕7号）" in text and facts.uscc in text


def test_unknown_or_drawn_inspection_codes_are_refused(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inspected_task(db)
    with db.session() as s:
        drawn = s.scalar(select(Inspection.id).order_by(Inspection.id))
    for code in ("CASE-999", f"CASE-{drawn}", "CASE-x"):
        for command in ("notices", "checklists"):
            assert main([command, code, str(tmp_path / "n.pdf"), "--db", db.url]) == 2
            assert f"找不到个案或专项检查“{code}”" in capsys.readouterr().err
    assert not (tmp_path / "n.pdf").exists()


def _who(role: Role, dept: int) -> Principal:
    return Principal(None, f"{role}-{dept}", "某人", frozenset({role}), dept, None, None)


def test_case_notices_need_the_case_organiser(db: Database, bureau: None) -> None:
    code, _facts = _case(db, CaseSource.MONITORING, "JC-2026-3")
    depts = department_ids(db)
    with acting_as(_who(Role.INSPECTOR, depts["SCJGJ"])), pytest.raises(PermissionDenied):
        documents.task_notices(db, code, issued_on=ISSUED)
    with acting_as(_who(Role.PLANNER, depts["YJJ"])), pytest.raises(PermissionDenied):
        documents.task_notices(db, code, issued_on=ISSUED)
    with acting_as(_who(Role.PUBLISHER, depts["SCJGJ"])):
        assert len(documents.task_notices(db, code, issued_on=ISSUED)) == 1
    with acting_as(_who(Role.INSPECTOR, depts["SCJGJ"])):
        assert len(documents.task_checklists(db, code)) == 1
