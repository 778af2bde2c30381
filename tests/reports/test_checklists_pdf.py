"""检查记录表 PDFs read back with pdftotext."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pdf_text import flat, lines_starting_with_punctuation, page_count, pages

from app.reports.checklist import (
    ChecklistItem,
    ChecklistMember,
    ChecklistPoint,
    InspectionChecklist,
    write_checklist_files,
    write_checklists,
)

POINTS = (
    ChecklistPoint(
        "是否在经营场所醒目位置悬挂营业执照，营业执照记载事项与实际经营情况是否一致",
        "《中华人民共和国市场主体登记管理条例》第三十六条",
    ),
    ChecklistPoint("是否建立并执行进货查验记录制度", "《中华人民共和国食品安全法》第五十三条"),
    ChecklistPoint("从业人员是否取得健康证明"),
)


def checklist(k: int, items: int = 2) -> InspectionChecklist:
    return InspectionChecklist(
        issuer="聊城市市场监督管理局",
        task_code="LC-2026-011",
        task_name="2026年度食品经营者双随机抽查",
        target_name=f"山东省聊城市东昌府区鑫源农资供应链管理集团有限公司第{k}分公司",
        uscc=f"91371502MA{k:07d}X",
        address="山东省聊城市东昌府区振兴路1号",
        items=tuple(
            ChecklistItem(
                f"SJ-{i:03d}",
                f"食品经营者主体责任检查{i}",
                "食品经营监督管理科",
                "《食品安全法》",
                POINTS,
            )
            for i in range(1, items + 1)
        ),
        team=(
            ChecklistMember("欧阳晓东", "15000001", "执法一大队"),
            ChecklistMember("王芳", "15000002"),
        ),
        window_start=date(2026, 12, 10),
        window_end=date(2026, 12, 31),
        doc_number=f"聊市监检通〔2026〕{k}号",
    )


def test_checklists_list_every_checkpoint_with_boxes_and_signatures(tmp_path: Path) -> None:
    forms = [checklist(1), checklist(2, items=6)]
    out = tmp_path / "forms.pdf"
    assert write_checklists(forms, out) == page_count(out)
    docs: list[str] = []
    # Layout mode: a table row reads as one line, left to right.
    for text in pages(out, layout=True):
        x, _y = map(int, re.search(r"第(\d+)页共(\d+)页", flat(text)).groups())  # type: ignore[union-attr]
        if x == 1:
            docs.append("")
        docs[-1] += flat(text)
    assert len(docs) == 2
    for form, text in zip(forms, docs, strict=True):
        assert text.startswith("聊城市市场监督管理局检查记录表" + form.doc_number)
        for expected in (
            f"被检查单位{form.target_name}",
            f"统一社会信用代码{form.uscc}",
            f"2026年度食品经营者双随机抽查（{form.task_code}）",
            "欧阳晓东（执法证号：15000001）、王芳（执法证号：15000002）",
            "序号检查内容及依据是否不适用检查情况",
            "依据：《中华人民共和国食品安全法》第五十三条",
            "检查人员签字：",
            "被检查单位负责人签字：",
            "日期：",
        ):
            assert expected in text, expected
        for item in form.items:
            assert f"{item.name}（{item.code}）实施部门：食品经营监督管理科" in text
        assert text.count("是否建立并执行进货查验记录制度") == len(form.items)
    assert lines_starting_with_punctuation(out) == []


def test_one_checklist_file_per_target(tmp_path: Path) -> None:
    files = write_checklist_files([checklist(1), checklist(2)], tmp_path)
    assert [f.name for f in files] == [
        "检查记录表_山东省聊城市东昌府区鑫源农资供应链管理集团有限公司第1分公司_91371502MA0000001X.pdf",
        "检查记录表_山东省聊城市东昌府区鑫源农资供应链管理集团有限公司第2分公司_91371502MA0000002X.pdf",
    ]
