"""检查通知书: the letter telling an enterprise it will be inspected.

An enterprise drawn for a task is told it was drawn at random (and its QR code
carries its draw ticket, checkable with verify.py); an enterprise inspected on a
case or special inspection (个案检查, 专项检查) is told the basis instead
(`source_text`) and its QR code carries only the inspection's code and its own.

One batch PDF for the printer (each notice from a new page, numbered on its
own) or one file per enterprise. Pure layout: the caller (the inspections
service) fills the dataclasses below from the task or the case inspection, the
draw result and the bureau profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from app.reports.batch import Cancelled, Progress, build_batch, build_files, safe_file_name
from app.reports.official import LETTER, PAGE, QrCode, Styles, chinese_number, cn_date, para, styles
from app.reports.pages import Footer
from app.reports.tables import grid

TITLE = "检查通知书"
DEFAULT_BASIS = "有关法律、法规和规章"
BODY_SIZE = 12  # 小四: a notice of a few items fits one or two pages


@dataclass(frozen=True)
class NoticeMember:
    name: str
    badge_no: str  # 执法证号
    department: str = ""


@dataclass(frozen=True)
class NoticeItem:
    code: str
    name: str
    department: str = ""
    legal_basis: str = ""
    methods: tuple[str, ...] = ()


@dataclass(frozen=True)
class InspectionNotice:
    issuer: str  # the bureau's full name: 聊城市市场监督管理局
    doc_number: str  # 聊市监检通〔2026〕12号; "" prints none
    target_name: str
    uscc: str
    address: str
    task_code: str  # the task's code, or a case inspection's CASE-12
    task_name: str  # the task's title, or the kind of a case inspection: 个案检查 / 专项检查
    is_joint: bool
    departments: tuple[str, ...]  # the departments inspecting together (joint tasks)
    legal_basis: str  # 《…》《…》: the task's legal basis, printed after 根据
    items: tuple[NoticeItem, ...]
    window_start: date
    window_end: date
    methods: tuple[str, ...]
    materials: tuple[str, ...]
    team: tuple[NoticeMember, ...]
    contact: str  # 联系人及电话
    issued_on: date
    qr_payload: str  # task code, USCC and ticket (verify.py --target); for a case: code|USCC
    # Why a case or special inspection visits (根据投诉举报线索（…）); "" for a random draw.
    source_text: str = ""

    @property
    def is_random(self) -> bool:
        return not self.source_text


def _numbered(lines: Sequence[str]) -> list[str]:
    return [f"（{chinese_number(k)}）{line}" for k, line in enumerate(lines, 1)]


def _opening(n: InspectionNotice) -> str:
    basis = n.legal_basis.strip() or DEFAULT_BASIS
    if not n.is_random:
        # Not drawn: no 双随机 claim; the source and its reference say why this enterprise.
        return (
            f"依据{basis}等有关规定，{n.source_text}，我局将于{cn_date(n.window_start)}至"
            f"{cn_date(n.window_end)}期间对你单位开展{n.task_name}（检查编号：{n.task_code}）。"
            "现将有关事项通知如下："
        )
    kind = "部门联合双随机抽查" if n.is_joint else "双随机抽查"
    others = [d for d in n.departments if d and d != n.issuer]
    who = f"我局将会同{'、'.join(others)}" if n.is_joint and others else "我局将"
    return (
        f"根据{basis}等有关规定，按照“双随机、一公开”监管工作要求，你单位被随机抽取为"
        f"“{n.task_name}”（任务编号：{n.task_code}）的检查对象。{who}于"
        f"{cn_date(n.window_start)}至{cn_date(n.window_end)}期间对你单位开展{kind}。"
        "现将有关事项通知如下："
    )


def _items_table(n: InspectionNotice, st: Styles, width: float) -> Table:
    head = ["序号", "抽查事项" if n.is_random else "检查事项", "实施部门", "检查方式", "检查依据"]
    rows: list[list[Any]] = [head]
    for k, item in enumerate(n.items, 1):
        rows.append(
            [
                str(k),
                para(f"{item.name}\n（{item.code}）", st.cell),
                para(item.department or "—", st.cell),
                para("、".join(item.methods) or "—", st.cell),
                para(item.legal_basis or "—", st.cell),
            ]
        )
    fixed = [10 * mm, 52 * mm, 28 * mm, 22 * mm]
    return grid(rows, [*fixed, width - sum(fixed)], centre=0)


def _team_table(n: InspectionNotice, st: Styles, width: float) -> Table:
    # Names and badge numbers are short: plain strings, one line, never split.
    rows: list[list[Any]] = [["序号", "姓名", "执法证号", "所在部门"]]
    for k, m in enumerate(n.team, 1):
        rows.append([str(k), m.name, m.badge_no or "—", para(m.department or "—", st.cell)])
    fixed = [10 * mm, 30 * mm, 50 * mm]
    return grid(rows, [*fixed, width - sum(fixed)], centre=2)


def _signature(n: InspectionNotice, st: Styles, width: float) -> Table:
    qr_size = 26 * mm
    right = [para(n.issuer, st.signature), para(cn_date(n.issued_on), st.signature)]
    caption = para("任务编号与抽取票据" if n.is_random else "检查编号与信用代码", st.small)
    table = Table(
        [[[QrCode(n.qr_payload, qr_size), caption], right]],
        colWidths=[qr_size + 8 * mm, width - qr_size - 8 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
                ("VALIGN", (1, 0), (1, 0), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def notice_story(n: InspectionNotice, width: float | None = None) -> list[Flowable]:
    st = styles(BODY_SIZE)
    width = width if width is not None else LETTER.width(PAGE)
    methods = "、".join(n.methods) or "现场检查"
    materials = n.materials or ("营业执照副本", "与检查事项有关的许可证件、台账、记录等材料")
    team_note = (
        "检查人员不少于两人，检查时将出示执法证件。你单位可通过上述执法证号核实检查人员身份。"
    )
    story: list[Flowable] = [
        para(n.issuer, st.issuer),
        para(TITLE, st.title),
    ]
    if n.doc_number:
        story.append(para(n.doc_number, st.doc_number))
    else:
        story.append(Spacer(1, 4 * mm))
    story += [
        para(f"{n.target_name}：", st.addressee),
        para(f"（统一社会信用代码：{n.uscc}）", st.plain),
    ]
    if n.address:
        story.append(para(f"（地址：{n.address}）", st.plain))
    story += [
        para(_opening(n), st.body),
        CondPageBreak(40 * mm),
        para("一、检查事项", st.heading),
        _items_table(n, st, width),
        Spacer(1, 1.5 * mm),
        para(
            f"二、检查时间：{cn_date(n.window_start)}至{cn_date(n.window_end)}，"
            "具体检查时间由检查人员另行告知。",
            st.body,
        ),
        para(f"三、检查方式：{methods}。", st.body),
        para("四、请你单位事先准备以下材料（原件及加盖公章的复印件），以备检查：", st.body),
        *(para(line, st.body) for line in _numbered(materials)),
        CondPageBreak(30 * mm),
        para("五、检查人员", st.heading),
        _team_table(n, st, width),
        Spacer(1, 1.5 * mm),
        para(team_note, st.body),
        para(
            "六、检查人员与你单位有直接利害关系或者有其他关系，可能影响公正执法的，"
            "你单位有申请回避的权利。申请回避的，请在检查开始前向我局提出并说明理由。",
            st.body,
        ),
        para(
            "七、请你单位配合检查，如实提供有关情况和材料，不得拒绝、阻碍或者隐瞒。",
            st.body,
        ),
        para(f"八、联系人及电话：{n.contact or '—'}", st.body),
    ]
    if n.is_random:
        qr_note = (
            f"九、本通知书左下方二维码载有任务编号和你单位的抽取票据。你单位可用浏览器打开"
            f"本次抽取公开的核验包中的 verify.html，在“查我的企业”中输入统一社会信用代码，"
            f"或运行“verify.py --target {n.uscc}”，核对本单位是否在抽取结果中。"
        )
    else:
        qr_note = (
            "九、本通知书左下方二维码载有检查编号和你单位的统一社会信用代码，可向我局核对本通知书。"
        )
    last = para(qr_note, st.body)
    story.append(KeepTogether([last, Spacer(1, 8 * mm), _signature(n, st, width)]))
    return story


def _note(n: InspectionNotice) -> str:
    return f"{TITLE}　{n.doc_number or n.task_code}　{n.uscc}"


def _footer() -> Footer:
    return Footer(
        styles(BODY_SIZE).font, size=9, baseline=14 * mm, margin=LETTER.left, number_at="right"
    )


def write_notices(
    notices: Sequence[InspectionNotice],
    out: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """All notices in one PDF, each from a new page; return the page count."""
    issuer = notices[0].issuer if notices else ""
    return build_batch(
        notices,
        notice_story,
        _note,
        out,
        footer=_footer(),
        margins=LETTER,
        pagesize=PAGE,
        title=TITLE,
        author=issuer,
        progress=progress,
        cancelled=cancelled,
    )


def write_notice_files(
    notices: Sequence[InspectionNotice],
    folder: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[Path]:
    """One PDF per enterprise in `folder`, named from its name and code."""
    issuer = notices[0].issuer if notices else ""
    return build_files(
        notices,
        notice_story,
        _note,
        lambda n: safe_file_name(f"{TITLE}_{n.target_name}", n.uscc),
        folder,
        footer=_footer(),
        margins=LETTER,
        pagesize=PAGE,
        title=TITLE,
        author=issuer,
        progress=progress,
        cancelled=cancelled,
    )
