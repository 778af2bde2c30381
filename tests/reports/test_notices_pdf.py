"""检查通知书 PDFs read back with pdftotext: content, numbering, line breaking."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import segno
from pdf_text import flat, lines_starting_with_punctuation, page_count, pages

from app.reports.batch import WritingCancelled, safe_file_name
from app.reports.notice import (
    InspectionNotice,
    NoticeItem,
    NoticeMember,
    write_notice_files,
    write_notices,
)
from app.reports.official import qr_operators

BASIS = "《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》第十四条"


def notice(k: int, *, name: str | None = None, items: int = 3) -> InspectionNotice:
    return InspectionNotice(
        issuer="聊城市市场监督管理局",
        doc_number=f"聊市监检通〔2026〕{k}号",
        target_name=name or f"聊城市东昌府区第{k}食品有限公司",
        uscc=f"91371502MA{k:07d}X",
        address="山东省聊城市东昌府区振兴路1号",
        task_code="LC-LH-2026-007",
        task_name="2026年度食品生产企业部门联合双随机抽查",
        is_joint=True,
        departments=("聊城市市场监督管理局", "聊城市应急管理局"),
        legal_basis="《中华人民共和国食品安全法》",
        items=tuple(
            NoticeItem(
                f"SJ-{k}{i:02d}", f"食品生产事项{i}检查", "食品生产监督管理科", BASIS, ("现场检查",)
            )
            for i in range(1, items + 1)
        ),
        window_start=date(2026, 12, 10),
        window_end=date(2026, 12, 31),
        methods=("现场检查", "书面检查"),
        materials=("营业执照副本", "食品生产许可证"),
        team=(
            NoticeMember("欧阳晓东", f"1500{k:04d}1", "执法一大队"),
            NoticeMember("王芳", f"1500{k:04d}2", "食品生产监督管理科"),
        ),
        contact="李明　0635-8888888",
        issued_on=date(2026, 12, 4),
        qr_payload=f"LC-LH-2026-007|91371502MA{k:07d}X|{'ab' * 32}",
    )


def _notices_by_page(pdf: Path) -> list[tuple[str, int, int]]:
    """(text, x, y) for each page from its footer 第 x 页 共 y 页."""
    out = []
    for text in pages(pdf):
        match = re.search(r"第(\d+)页共(\d+)页", flat(text))
        assert match, text[-200:]
        out.append((text, int(match.group(1)), int(match.group(2))))
    return out


def test_batch_has_every_notice_from_a_new_page_numbered_on_its_own(tmp_path: Path) -> None:
    notices = [notice(1), notice(2, items=14), notice(3)]
    out = tmp_path / "notices.pdf"
    seen: list[tuple[int, int]] = []
    written = write_notices(notices, out, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3)
    assert written == page_count(out)
    paged = _notices_by_page(out)
    # Split the pages back into notices by their numbering.
    docs: list[list[str]] = []
    for text, x, y in paged:
        if x == 1:
            docs.append([])
        docs[-1].append(text)
        assert len(docs[-1]) == x and x <= y
    assert [len(d) for d in docs] == [y for _t, x, y in paged if x == 1]
    assert len(docs) == 3 and len(docs[1]) >= 2  # the 14-item notice runs on
    for n, doc in zip(notices, docs, strict=True):
        text = flat("".join(doc))
        first = flat(doc[0])
        assert first.startswith("聊城市市场监督管理局检查通知书" + n.doc_number)
        for expected in (
            n.target_name + "：",
            f"统一社会信用代码：{n.uscc}",
            "根据《中华人民共和国食品安全法》等有关规定",
            f"（任务编号：{n.task_code}）",
            "我局将会同聊城市应急管理局于2026年12月10日至2026年12月31日期间",
            "检查方式：现场检查、书面检查",
            "（一）营业执照副本",
            "申请回避的权利",
            "联系人及电话：李明0635-8888888",
            f"verify.py--target{n.uscc}",
        ):
            assert expected in text, expected
        for item in n.items:
            assert item.name + "（" + item.code + "）" in text
        for member in n.team:
            assert member.name in text and member.badge_no in text
        # 落款: the issuer's full name then the date, after the last paragraph.
        assert "是否在抽取结果中。聊城市市场监督管理局2026年12月4日" in text
        assert text.endswith(f"检查通知书{n.doc_number}{n.uscc}第{len(doc)}页共{len(doc)}页")


@pytest.mark.parametrize("extra", range(0, 34, 3))
def test_long_names_wrap_without_punctuation_at_a_line_start(tmp_path: Path, extra: int) -> None:
    # Names of every length put the "：" after the name at each position of a line.
    name = "山东省聊城市东昌府区" + "鑫源" * extra + "农资供应链管理集团有限公司"
    out = tmp_path / "long.pdf"
    write_notices([notice(1, name=name)], out)
    text = "".join(pages(out))
    assert name + "：" in flat(text)
    assert lines_starting_with_punctuation(out) == []


def test_one_file_per_enterprise_with_safe_names(tmp_path: Path) -> None:
    notices = [notice(1, name='济南/青岛:"联合"*商贸<有限>公司'), notice(2), notice(2)]
    files = write_notice_files(notices, tmp_path / "out")
    names = [f.name for f in files]
    assert names[0] == "检查通知书_济南_青岛_联合_商贸_有限_公司_91371502MA0000001X.pdf"
    assert names[2] == names[1].replace(".pdf", "(2).pdf")
    for f, n in zip(files, notices, strict=True):
        assert f.exists()
        assert flat(pages(f)[0]).startswith("聊城市市场监督管理局检查通知书")
        assert n.uscc in flat("".join(pages(f)))


def test_safe_file_name_keeps_chinese_and_the_code() -> None:
    assert safe_file_name("聊城 . 商贸?", "9137-15") == "聊城 . 商贸_913715.pdf"
    assert safe_file_name("///", "") == "未命名.pdf"


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "cancelled.pdf"
    calls = iter([False, False, False, True, True, True, True])
    with pytest.raises(WritingCancelled):
        write_notices([notice(1), notice(2), notice(3)], out, cancelled=lambda: next(calls))
    assert list(tmp_path.iterdir()) == []


def test_notice_without_a_document_number_or_joint_departments(tmp_path: Path) -> None:
    n = replace(notice(5), doc_number="", is_joint=False, departments=(), legal_basis="")
    out = tmp_path / "plain.pdf"
    write_notices([n], out)
    text = flat("".join(pages(out)))
    assert "根据有关法律、法规和规章等有关规定" in text
    assert "我局将于2026年12月10日" in text and "会同" not in text
    assert "开展双随机抽查" in text


def test_qr_operators_draw_exactly_the_code_matrix() -> None:
    payload = "LC-LH-2026-007|91371502MA0000001X|" + "ab" * 32
    operators, side = qr_operators(payload)
    drawn = [[0] * side for _ in range(side)]
    for op in operators.splitlines()[:-1]:
        x, y, w, _h, name = op.split()
        assert name == "re"
        for c in range(int(x), int(x) + int(w)):
            drawn[int(y)][c] = 1
    code = segno.make(payload, error="m", micro=False, boost_error=False, mask=2)
    expected = [[1 if v else 0 for v in row] for row in code.matrix_iter(scale=1, border=2)]
    assert drawn == expected


def test_an_empty_batch_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="没有要打印的检查通知书"):
        write_notices([], tmp_path / "none.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_case_notice_says_its_source_and_no_draw(tmp_path: Path) -> None:
    n = replace(
        notice(6),
        task_code="CASE-6",
        task_name="个案检查",
        is_joint=False,
        departments=("聊城市市场监督管理局",),
        source_text="根据投诉举报线索（TS-2026-0012）",
        qr_payload="CASE-6|91371502MA0000006X",
    )
    out = tmp_path / "case.pdf"
    write_notices([n], out)
    text = flat("".join(pages(out)))
    assert (
        "依据《中华人民共和国食品安全法》等有关规定，根据投诉举报线索（TS-2026-0012），"
        "我局将于2026年12月10日至2026年12月31日期间对你单位开展个案检查（检查编号：CASE-6）"
    ) in text
    for absent in ("随机", "抽取", "verify.py", "任务编号", "会同"):
        assert absent not in text, absent
    assert "二维码载有检查编号和你单位的统一社会信用代码" in text
    assert "检查编号与信用代码" in text and "申请回避的权利" in text
    assert "聊城市市场监督管理局2026年12月4日" in text
    assert lines_starting_with_punctuation(out) == []
