"""The published item list PDF, read back with poppler: text, pages, font, page size."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from registry_data import add_departments, add_items

from app.domain.registry import ItemCategory
from app.models import InspectionItem
from app.models.db import Database
from app.reports.official import chinese_number
from app.services.publication.item_list import PublicationCancelled, export_item_list_pdf
from app.services.registry.item_groups import JointGroupForm, save_joint_group

TITLE = "聊城市部门联合抽查事项清单"


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) not installed")
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _many_items(db: Database, departments: dict[str, int], count: int) -> None:
    with db.session() as s:
        for n in range(count):
            s.add(
                InspectionItem(
                    code=f"SJ-{100 + n:03d}",
                    name=f"第{n + 1}项抽查事项：产品质量与标签标识检查",
                    department_id=departments["SJ"],
                    category=ItemCategory.GENERAL,
                    ratio_cap_bp=300,
                    legal_basis="《中华人民共和国产品质量法》第十五条；《产品质量监督抽查管理暂行办法》",
                    methods=["实地核查", "检验检测"],
                    target_type="生产企业",
                )
            )


@pytest.fixture
def item_list_db(db: Database) -> Database:
    departments = add_departments(db)
    items = add_items(db, departments)
    _many_items(db, departments, 40)
    save_joint_group(
        db,
        JointGroupForm(
            code="LH-001", name="危险化学品联合检查", item_ids=[items["SJ-001"], items["YJ-001"]]
        ),
    )
    return db


def test_pdf_text_is_chinese_grouped_and_paged(item_list_db: Database, tmp_path: Path) -> None:
    pdftotext = _poppler("pdftotext")
    out = tmp_path / "事项清单.pdf"
    published = export_item_list_pdf(item_list_db, out, title=TITLE, published_on=date(2026, 3, 1))
    assert published.items == 43 and published.pages >= 2
    text = _run(pdftotext, "-layout", str(out), "-")
    pages = text.split("\f")
    if pages[-1].strip() == "":
        pages.pop()
    assert len(pages) == published.pages
    flat = re.sub(r"\s+", "", text)
    for expected in (
        TITLE,
        "公布日期：2026年3月1日",
        "序号",
        "事项编码",
        "抽查事项",
        "检查对象",
        "检查方式",
        "抽查依据",
        "比例上限",
        "一、市场监管局",
        "二、应急管理局",
        "（一）重点检查事项",
        "食品经营者经营条件检查",
        "不设上限",
        "5.00%",
        "12.50%",
        "联合抽查事项",
        "危险化学品联合检查",
    ):
        assert expected in flat, expected
    for n, page in enumerate(pages, start=1):
        assert f"第{n}页共{published.pages}页" in re.sub(r"\s+", "", page)
    # Key items come before general ones inside a department, in code order.
    assert flat.index("SJ-001") < flat.index("SJ-002") < flat.index("SJ-100")


def test_pdf_is_a4_landscape_with_the_cjk_font_embedded(
    item_list_db: Database, tmp_path: Path
) -> None:
    pdffonts, pdfinfo = _poppler("pdffonts"), _poppler("pdfinfo")
    out = tmp_path / "list.pdf"
    export_item_list_pdf(item_list_db, out, title=TITLE)
    info = _run(pdfinfo, str(out))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)
    assert f"Title:           {TITLE}" in info
    fonts = [line.split() for line in _run(pdffonts, str(out)).splitlines()[2:]]
    cjk = [f for f in fonts if "WenQuanYi" in f[0]]
    assert cjk, fonts
    # name, type…, encoding, emb, sub, uni: the font is embedded (as a subset) with a ToUnicode map.
    assert all(f[-5:-2] == ["yes", "yes", "yes"] for f in cjk)


def test_cancel_leaves_no_file(item_list_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out" / "cancelled.pdf"
    out.parent.mkdir()
    with pytest.raises(PublicationCancelled):
        export_item_list_pdf(item_list_db, out, cancel=lambda: True)
    assert list(out.parent.iterdir()) == []


def test_empty_list_still_makes_a_one_page_pdf(db: Database, tmp_path: Path) -> None:
    published = export_item_list_pdf(db, tmp_path / "empty.pdf", title=TITLE)
    assert (published.items, published.pages) == (0, 1)


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (37, "三十七")]
)
def test_chinese_section_numbers(n: int, text: str) -> None:
    assert chinese_number(n) == text
