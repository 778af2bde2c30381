"""The draw record on official paper: the bureau's full name heads it, lines break
by the Chinese rules and no inspector's name is cut across two lines."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pdf_text import flat, lines_starting_with_punctuation, pages

from app.models.db import Database
from app.services.draws.bundle import record_pdf
from app.services.draws.ceremony import DrawCeremony
from app.services.system.bureau import BureauProfile, save_bureau

ISSUER = "聊城市东昌府区市场监督管理局"


def test_record_is_headed_by_the_bureau_and_keeps_names_whole(
    db: Database, task_code: str, tmp_path: Path
) -> None:
    save_bureau(db, replace(BureauProfile(), full_name=ISSUER))
    c = DrawCeremony.open(db, task_code, "张三")
    c.add_witness("李建国", "市人大代表", "0038194556")
    c.compute()
    outcome = c.outcome()
    assert outcome is not None
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(record_pdf(db, task_code))
    texts = pages(pdf)
    assert flat(texts[0]).startswith(ISSUER + "随机抽取记录")
    assert lines_starting_with_punctuation(pdf) == []
    raw = "".join(texts)  # line breaks kept: a cut name would hold a "\n"
    names = {
        outcome.names.inspector(iid).name
        for team in outcome.result["teams"].values()
        for iid in team
    }
    assert names
    for name in names:
        assert name in raw, name
