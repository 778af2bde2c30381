"""Official paper on the existing documents: issuer, 文号, draft mark, names for codes,
line breaking — read back from the PDFs the services write."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pdf_text import flat, lines_starting_with_punctuation, pages
from planning_data import joint_plan, joint_task, seed_registry, single_task

from app.domain.industries import DIVISIONS, SECTIONS, industry_label
from app.models.db import Database
from app.reports.linebreak import CANNOT_START, break_lines, keep
from app.reports.plan_announcement import rules_text
from app.services.plans import planning
from app.services.plans.export import export_plan
from app.services.plans.values import Scope
from app.services.publication.item_list import export_item_list_pdf
from app.services.system.bureau import BureauProfile, save_bureau

ISSUER = "聊城市东昌府区市场监督管理局"


@pytest.fixture
def plans(db: Database) -> Database:
    seed_registry(db)
    save_bureau(db, replace(BureauProfile(), full_name=ISSUER, doc_prefix="东市监发"))
    planning.create_plan(db, joint_plan())
    planning.save_task(
        db, "LC-LH-2026", joint_task(scope=Scope(industries=("61", "62"), divisions=("371502",)))
    )
    planning.save_task(db, "LC-LH-2026", single_task())
    planning.file_plan(db, "LC-LH-2026", date(2026, 1, 20))
    planning.publish_plan(db, "LC-LH-2026")
    planning.create_plan(db, joint_plan("LC-LH-2027", 2027))
    planning.save_task(db, "LC-LH-2027", joint_task("LC-LH-2027-001"))
    return db


def test_published_plan_carries_issuer_number_and_names(plans: Database, tmp_path: Path) -> None:
    first = export_plan(plans, "LC-LH-2026", tmp_path / "a.pdf")
    text = flat("".join(pages(first)))
    assert "东市监发〔2026〕1号" in text
    assert "行业：61住宿业、62餐饮业" in text and "行政区划：东昌府区" in text
    assert "现将计划公示如下" in text and "征求意见稿" not in text
    # 落款 and date as written: no leading zero.
    assert re.search(ISSUER + r"20\d\d年[1-9]\d?月[1-9]\d?日LC-LH-2026", text), text[-80:]
    assert "A类3%" in text and "D类3户" in text
    assert lines_starting_with_punctuation(first) == []
    # The same version printed again keeps its number; another kind of document
    # would count on its own.
    again = flat("".join(pages(export_plan(plans, "LC-LH-2026", tmp_path / "b.pdf"))))
    assert "东市监发〔2026〕1号" in again and "2号" not in again


def test_draft_is_marked_on_every_page_and_announces_nothing(
    plans: Database, tmp_path: Path
) -> None:
    for n in range(2, 8):
        planning.save_task(db := plans, "LC-LH-2027", joint_task(f"LC-LH-2027-00{n}"))
    out = export_plan(db, "LC-LH-2027", tmp_path / "draft.pdf")
    texts = pages(out)
    assert len(texts) >= 2
    for page in texts:
        assert "征求意见稿" in flat(page)
    text = flat("".join(texts))
    assert "公示如下" not in text and "现公开征求意见" in text
    assert "〔" not in text  # a draft has no 文号
    assert lines_starting_with_punctuation(out) == []


def test_item_list_has_the_issuer_at_the_head_and_in_the_signature(
    plans: Database, tmp_path: Path
) -> None:
    out = tmp_path / "items.pdf"
    export_item_list_pdf(plans, out, published_on=date(2026, 3, 1))
    texts = pages(out)
    assert flat(texts[0]).startswith(ISSUER)
    assert f"{ISSUER}2026年3月1日" in flat(texts[-1])
    assert lines_starting_with_punctuation(out) == []


def test_industry_table_has_every_division_of_gbt_4754() -> None:
    assert sorted(DIVISIONS) == [f"{n:02d}" for n in range(1, 98)]
    assert set(SECTIONS) == set("ABCDEFGHIJKLMNOPQRST")
    assert {section for section, _name in DIVISIONS.values()} == set(SECTIONS)
    assert industry_label("61") == "61 住宿业"
    assert industry_label("H") == "H 住宿和餐饮业"
    assert industry_label("5212") == "5212（属 52 零售业）"
    assert industry_label("99") == "99"


@pytest.mark.parametrize(
    ("rules", "text"),
    [
        ((("A类", "5%"), ("B类", "5%")), "各类 5%"),
        (
            (("A类", "2%"), ("B类", "3%"), ("C类", "5%"), ("未分类", "5%")),
            "A类 2%\nB类 3%\n其余 5%",
        ),
        ((("D类", "3 户"),), "D类 3 户"),
    ],
)
def test_ratio_cells_stay_short(rules: tuple[tuple[str, str], ...], text: str) -> None:
    assert rules_text(rules) == text


def _measure(text: str) -> float:
    return float(len(text))  # one unit per character


@pytest.mark.parametrize("width", range(3, 30))
def test_line_breaking_rules_hold_at_every_width(width: int) -> None:
    names = "、".join(keep(n) for n in ("欧阳晓东", "王芳", "司马相如", "李四"))
    text = (
        f"根据《中华人民共和国食品安全法》，检查人员：{names}。"
        "代码91371502MA3C0001X2，时间2026年12月10日（星期四）！“好”。"
    )
    lines = [line for line, _room in break_lines(text, [float(width)], _measure)]
    assert "".join(lines) == text.replace("\u2060", "")
    for line in lines[1:]:
        assert line[0] not in CANNOT_START, lines
    for line in lines[:-1]:
        assert line[-1] not in "（《“", lines
    joined = "\n".join(lines)
    if width >= 5:  # a name and its 、 fit on a line: never cut
        for name in ("欧阳晓东", "司马相如"):
            assert name in joined, lines
    if width >= 18:
        assert "91371502MA3C0001X2" in joined
