"""随机抽取记录: the printed, signed record of one draw (A4, Chinese, embedded font).

Input is plain data: the manifest and result documents (DRAW-1 sections 3
and 10), the names behind their ids, the task's public description and a
few facts of the session (operator, time, witnesses' units). Everything a
reader needs to recompute the draw is printed: hashes, nonce, digits, seed,
and the full result with each target's ticket prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.ceremony import (
    DrawNames,
    TaskDescription,
    hex_groups,
    percent_text,
    probability_text,
    result_qr_text,
    stratum_title,
)
from app.draw.documents import ManifestHead, ResultDoc
from app.reports.fonts import register_fonts
from app.reports.linebreak import keep
from app.reports.official import OfficialParagraph
from app.reports.pages import Footer, NumberedPages
from app.resources import cjk_font_path

MONO = "WQYMicroHeiMono"
TICKET_PREFIX = 12  # hex characters of each target's ticket printed
RESULT_CHUNK = 300  # rows per table: keeps a 50,000-row record fast to lay out
GRID = colors.HexColor("#9aa5b1")
HEAD_BG = colors.HexColor("#e8edf3")


@dataclass(frozen=True)
class WitnessEntry:
    name: str
    unit: str
    digits: str


@dataclass(frozen=True)
class SessionFacts:
    """What happened in the room, beyond the two documents."""

    operator: str = ""
    started_at: str = ""  # commitment stored
    computed_at: str = ""  # result stored
    witnesses: tuple[WitnessEntry, ...] = ()
    attempt_no: int = 1
    # A second draw of the task: why, and who confirmed it.
    redraw_reason: str = ""
    supervisor: str = ""
    superseded: tuple[str, ...] = ()  # result hashes of earlier, superseded results
    place: str = ""
    # The audit chain head when printed ("N:HASH"): an anchor outside the database.
    audit_head: str = ""


@dataclass(frozen=True)
class DrawRecord:
    manifest: ManifestHead  # its candidate list is not needed (and is left out)
    result: ResultDoc
    result_hash: str
    task: TaskDescription
    names: DrawNames
    facts: SessionFacts = field(default_factory=SessionFacts)
    issuer: str = ""  # the bureau's full name, above the title


def _fonts() -> tuple[str, str]:
    body = register_fonts()
    if MONO not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(MONO, str(cjk_font_path()), subfontIndex=1))
    return body, MONO


class _Styles:
    def __init__(self) -> None:
        body, mono = _fonts()

        def style(name: str, font: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
            # Chinese line breaking (app.reports.official) needs wordWrap="CJK".
            return ParagraphStyle(
                name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw
            )

        self.issuer = style("issuer", body, 15, 21, alignment=TA_CENTER)
        self.title = style("title", body, 20, 26, alignment=TA_CENTER, spaceAfter=2 * mm)
        self.subtitle = style("subtitle", body, 10.5, 14, alignment=TA_CENTER)
        self.h2 = style("h2", body, 12.5, 17, spaceBefore=5 * mm, spaceAfter=2 * mm, keepWithNext=1)
        self.body = style("body", body, 9.5, 13.5)
        self.cell = style("cell", body, 8.5, 11)
        self.small = style("small", body, 7.5, 9.5)
        self.mono = style("mono", mono, 8.5, 11)
        self.hash = style("hash", mono, 8, 11)
        self.mono_small = style("mono_small", mono, 7.2, 9.5)
        # Text with <font> markup, wrapped by reportlab's own rules.
        self.markup = ParagraphStyle("markup", fontName=body, fontSize=9.5, leading=13.5)
        self.font, self.mono_font = body, mono


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    # No 、 or ） at a line start; names joined with keep() stay on one line.
    return OfficialParagraph(text, style)


def _grid(data: list[list[Any]], widths: Sequence[float], head: bool = True, **kw: Any) -> Table:
    table = Table(data, colWidths=list(widths), repeatRows=1 if head else 0, **kw)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if head:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
    table.setStyle(TableStyle(style))
    return table


def _qr(text: str, size: float) -> Drawing:
    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _task_section(rec: DrawRecord, st: _Styles, width: float) -> list[Flowable]:
    t = rec.task
    ins = rec.manifest["inspectors"]
    items = "\n".join(
        f"{i.code}  {i.name}" + (f"（{i.department}）" if i.department else "") for i in t.items
    )
    depts = "、".join(
        d.name + (f"（每组至少 {d.min_inspectors} 人）" if d.min_inspectors else "")
        for d in t.departments
    )
    team = [f"每组 {ins['team_size']} 人，第一人为主查人"]
    if ins["district_rule"] == "same":
        team.append("检查人员须与检查对象同一区划")
    elif ins["district_rule"] == "different":
        team.append("异地交叉检查（检查人员与检查对象不同区划）")
    if ins.get("max_load") is not None:
        team.append(f"每人累计最多 {ins['max_load']} 户")
    rows = [
        ("抽查计划", f"{t.plan_code}  {t.plan_title}".strip()),
        ("抽查任务", f"{t.code}  {t.title}"),
        ("组织单位", t.organiser or "—"),
        ("抽查类型", "部门联合抽查" if t.is_joint else "部门抽查"),
        ("计划检查时间", t.period or "—"),
        ("抽查事项", items or "—"),
        ("参与部门", depts or "—"),
        ("检查对象范围", "\n".join(t.scope) or "名录库中全部在营检查对象"),
        ("检查人员规则", "；".join(team)),
        ("检查批次", f"{rec.manifest['batches']} 批"),
    ]
    data = [[_p(k, st.cell), _p(v, st.cell)] for k, v in rows]
    return [_p("一、任务信息", st.h2), _grid(data, [28 * mm, width - 28 * mm], head=False)]


def _strata_section(rec: DrawRecord, st: _Styles, width: float) -> list[Flowable]:
    outcomes = {s["name"]: s for s in rec.result["strata"]}
    populations = {name: s["candidates"] for name, s in outcomes.items()}
    head = ["信用风险分类", "检查对象（户）", "抽查规则", "抽中（户）", "入选概率 n/N"]
    data: list[list[Any]] = [[_p(h, st.cell) for h in head]]
    total_n = total_s = 0
    for s in rec.manifest["strata"]:
        n_all = populations.get(s["name"], 0)
        outcome = outcomes.get(s["name"])
        picked = outcome["selected"] if outcome is not None else 0
        total_n += n_all
        total_s += picked
        rule = (
            f"按 {percent_text(s['ratio_bp'])} 抽取（向上取整）"
            if s.get("ratio_bp") is not None
            else f"固定抽取 {s['count']} 户"
        )
        data.append(
            [
                _p(stratum_title(s["name"]), st.cell),
                f"{n_all:,}",
                _p(rule, st.cell),
                f"{picked:,}",
                _p(probability_text(picked, n_all), st.cell),
            ]
        )
    data.append([_p("合计", st.cell), f"{total_n:,}", "", f"{total_s:,}", ""])
    widths = [w * width for w in (0.22, 0.17, 0.25, 0.13, 0.23)]
    table = _grid(data, widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.font),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("ALIGN", (1, 1), (1, -1), "RIGHT"),
                ("ALIGN", (3, 1), (3, -1), "RIGHT"),
            ]
        )
    )
    pool = len(rec.manifest["inspectors"]["pool"])
    note = (
        f"可抽取执法检查人员 {pool} 人（在岗、执法证有效、具备本任务事项资质）。"
        "同一分类内每户入选概率相同，均为 n/N。"
    )
    return [_p("二、抽取范围与规则", st.h2), table, Spacer(1, 2 * mm), _p(note, st.body)]


def _ceremony_section(rec: DrawRecord, st: _Styles, width: float) -> list[Flowable]:
    r, f = rec.result, rec.facts
    witnesses = f.witnesses or tuple(
        WitnessEntry(w["name"], "", w["digits"]) for w in r["witnesses"]
    )
    rows = [
        ("清单哈希（manifest_hash）", hex_groups(r["manifest_hash"], 8)),
        ("随机数承诺（nonce_commitment）", hex_groups(r["nonce_commitment"], 8)),
        ("随机数（nonce，抽取后公开）", hex_groups(r["nonce"], 8)),
        ("随机种子（seed）", hex_groups(r["seed"], 8)),
        ("结果哈希（result_hash）", hex_groups(rec.result_hash, 8)),
        ("承诺存档时间", f.started_at or "—"),
        ("结果存档时间", f.computed_at or "—"),
        ("操作人员", f.operator or "—"),
        ("软件版本", str(r.get("software", ""))),
    ]
    if f.audit_head:
        seq, _, digest = f.audit_head.partition(":")
        rows.append(("审计日志链头（audit anchor）", f"{seq}:{hex_groups(digest, 8)}"))
    data = [[_p(k, st.cell), _p(v, st.hash if k.endswith("）") else st.cell)] for k, v in rows]
    table = _grid(data, [46 * mm, width - 46 * mm], head=False)
    wdata: list[list[Any]] = [[_p(h, st.cell) for h in ("序号", "见证人", "单位", "给出的数字")]]
    for k, w in enumerate(witnesses, start=1):
        wdata.append([str(k), _p(w.name, st.cell), _p(w.unit, st.cell), _p(w.digits, st.mono)])
    wtable = _grid(wdata, [12 * mm, 32 * mm, 60 * mm, width - 104 * mm])
    out: list[Flowable] = [_p("三、承诺、见证与随机种子", st.h2), table, Spacer(1, 3 * mm)]
    caption = _p("监督见证人数字（按输入顺序以逗号连接后参与计算种子）：", st.body)
    out.append(KeepTogether([caption, Spacer(1, 1.5 * mm), wtable]))
    if f.attempt_no > 1 or f.redraw_reason:
        text = (
            f"本记录为该任务第 {f.attempt_no} 次抽取。重新抽取原因：{f.redraw_reason or '—'}；"
            f"监督确认人：{f.supervisor or '—'}。此前的抽取结果仍保存在案"
        )
        if f.superseded:
            text += "（结果哈希：" + "；".join(h[:16] + "…" for h in f.superseded) + "）"
        out += [Spacer(1, 2 * mm), _p(text + "。", st.body)]
    return out


def _team_text(rec: DrawRecord, cid: str) -> str:
    parts = []
    for k, iid in enumerate(rec.result["teams"].get(cid, [])):
        person = rec.names.inspector(iid)
        dept = f"·{person.department}" if person.department else ""
        parts.append(f"{keep(person.name)}{dept}" + ("（主查）" if k == 0 else ""))
    return "、".join(parts) or "（无）"


def _result_section(rec: DrawRecord, st: _Styles, width: float) -> list[Flowable]:
    head = ["序号", "批次", "统一社会信用代码", "名称", "风险", "票据前缀", "检查组"]
    # 风险 holds "未分类"; 序号 up to five digits.
    widths = [10 * mm, 8 * mm, 30 * mm, 40 * mm, 11 * mm, 22 * mm]
    widths.append(width - sum(widths))
    targets = rec.result["targets"]
    out: list[Flowable] = [
        _p("四、抽取结果", st.h2),
        _p(
            f"共抽中 {len(targets):,} 户，按揭晓顺序排列。票据为 SHA-256(种子|T|代码) "
            f"的前 {TICKET_PREFIX} 位，任何企业均可据此复算本户的位置。",
            st.body,
        ),
        Spacer(1, 2 * mm),
    ]
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), st.font),
            ("FONTSIZE", (0, 0), (-1, -1), 7.5),
            ("ALIGN", (0, 1), (1, -1), "RIGHT"),
            ("ALIGN", (4, 1), (4, -1), "CENTER"),
        ]
    )
    for start in range(0, max(1, len(targets)), RESULT_CHUNK):
        data: list[list[Any]] = [[_p(h, st.small) for h in head]]
        for t in targets[start : start + RESULT_CHUNK]:
            cid = t["id"]
            data.append(
                [
                    str(t["rank"]),
                    str(t["batch"]),
                    _p(cid, st.mono_small),
                    _p(rec.names.target(cid) or "—", st.small),
                    t["stratum"],
                    _p(t["ticket"][:TICKET_PREFIX], st.mono_small),
                    _p(_team_text(rec, cid), st.small),
                ]
            )
        table = _grid(data, widths)
        table.setStyle(style)
        out.append(table)
    return out


def _missing_section(rec: DrawRecord, st: _Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [_p("五、检查人员缺员情况", st.h2)]
    missing = rec.result["missing"]
    if not missing:
        return [*out, _p("无。每户检查组均已配齐。", st.body)]
    data: list[list[Any]] = [[_p(h, st.cell) for h in ("统一社会信用代码", "名称", "缺员")]]
    for cid, places in sorted(missing.items()):
        text = "、".join(f"{rec.names.department(d)} {n} 人" for d, n in sorted(places.items()))
        data.append([_p(cid, st.mono), _p(rec.names.target(cid), st.cell), _p(text, st.cell)])
    return [*out, _grid(data, [38 * mm, 80 * mm, width - 118 * mm])]


def _aborted_section(rec: DrawRecord, st: _Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [_p("六、作废和中断的抽取", st.h2)]
    aborted = rec.result["aborted_attempts"]
    if not aborted:
        return [*out, _p("无。本任务承诺后未发生作废。", st.body)]
    data: list[list[Any]] = [[_p(h, st.cell) for h in ("随机数承诺", "时间", "作废原因")]]
    for a in aborted:
        data.append(
            [
                _p(hex_groups(a["nonce_commitment"], 8), st.mono_small),
                _p(a["at"], st.cell),
                _p(a["reason"], st.cell),
            ]
        )
    return [*out, _grid(data, [62 * mm, 36 * mm, width - 98 * mm])]


def _verify_section(rec: DrawRecord, st: _Styles, width: float) -> list[Flowable]:
    mono = st.mono_font
    text = (
        "核验方法：取得本次抽取的核验包（manifest.json、result.json、verify.py），在任何装有 "
        f"Python 3 的电脑上解压后运行：<br/><font name='{mono}'>python verify.py manifest.json "
        "result.json</font><br/>显示 VERIFIED 即表示：清单与存档一致、随机数与承诺一致、"
        "由见证人数字算出的种子与结果一致、抽中的检查对象和检查组均可复算。加 "
        f"<font name='{mono}'>--target 统一社会信用代码</font> 可查看某一户是否入选。"
        "右侧二维码含结果哈希。"
    )
    qr = _qr(result_qr_text(rec.task.code, rec.result_hash, rec.result["manifest_hash"]), 34 * mm)
    table = Table([[Paragraph(text, st.markup), qr]], colWidths=[width - 38 * mm, 38 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [_p("七、核验", st.h2), table]


def _signatures(rec: DrawRecord, st: _Styles, width: float) -> list[Flowable]:
    witnesses = rec.facts.witnesses or tuple(
        WitnessEntry(w["name"], "", w["digits"]) for w in rec.result["witnesses"]
    )
    line = "____________________"
    operator = f"操作人员（{rec.facts.operator}）：" if rec.facts.operator else "操作人员："
    rows = [[_p(operator, st.body), _p(line, st.body), _p("日期：____________", st.body)]]
    for w in witnesses:
        who = f"监督见证人（{w.name}，{w.unit}）：" if w.unit else f"监督见证人（{w.name}）："
        rows.append([_p(who, st.body), _p(line, st.body), _p("日期：____________", st.body)])
    supervisor = rec.facts.supervisor
    who = f"监督人员（{supervisor}）：" if supervisor else "监督人员："
    rows.append([_p(who, st.body), _p(line, st.body), _p("日期：____________", st.body)])
    # Wide enough for a name and a unit on one line (a unit split mid-word reads badly).
    table = Table(rows, colWidths=[78 * mm, 56 * mm, width - 134 * mm], rowHeights=11 * mm)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return [KeepTogether([_p("八、签字", st.h2), table])]


def build_story(rec: DrawRecord, width: float) -> list[Flowable]:
    st = _Styles()
    facts = rec.facts
    sub = f"任务编号 {rec.task.code} · 第 {facts.attempt_no} 次抽取"
    if facts.computed_at:
        sub += f" · {facts.computed_at}"
    if facts.place:
        sub += f" · {facts.place}"
    story: list[Flowable] = [_p(rec.issuer, st.issuer)] if rec.issuer else []
    story += [_p("随机抽取记录", st.title), _p(sub, st.subtitle)]
    for part in (
        _task_section,
        _strata_section,
        _ceremony_section,
        _result_section,
        _missing_section,
        _aborted_section,
        _verify_section,
        _signatures,
    ):
        story += part(rec, st, width)
    return story


def render(rec: DrawRecord, out: Path | BytesIO) -> None:
    """Write the record as a PDF to a path or a buffer."""
    margin = 15 * mm
    doc = SimpleDocTemplate(
        str(out) if isinstance(out, Path) else out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"随机抽取记录 {rec.task.code}",
        author=rec.issuer or rec.facts.operator or "dualrandom",
        subject=f"result_hash {rec.result_hash}",
    )
    footer = Footer(
        _fonts()[0],
        left=f"{rec.task.code} 随机抽取记录 · 结果哈希 {rec.result_hash[:16]}…",
        number_at="right",
        size=8,
        color="#4a5561",
    )
    doc.build(build_story(rec, A4[0] - 2 * margin), canvasmaker=NumberedPages(footer))


def render_bytes(rec: DrawRecord) -> bytes:
    buffer = BytesIO()
    render(rec, buffer)
    return buffer.getvalue()
