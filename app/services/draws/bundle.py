"""The verification bundle (核验包) and the draw record of a task's draw.

A zip anyone can check on any computer with Python 3, offline:
    manifest.json  the manifest, exactly the bytes that were hashed
    result.json    the result, exactly the bytes that were hashed
    draw-record.pdf  the printed record (随机抽取记录)
    verify.py      the standalone DRAW-1 verifier (standard library only)
    README.txt     how to check it, in Chinese
    SHA256SUMS.txt the SHA-256 of every file above
    superseded/N/  earlier results of the task replaced by a confirmed second draw
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.ceremony import AttemptState, hex_groups
from app.draw import verify as verify_module
from app.models.db import Database
from app.models.draws import DrawAttempt
from app.reports.draw_record import DrawRecord, SessionFacts, WitnessEntry, render_bytes
from app.services.access.anchors import chain_head
from app.services.draws.attempts import DrawError, Outcome, find_task, local_text
from app.services.draws.ceremony import DrawCeremony

README = """\ufeff随机抽取核验包 —— {code} {title}

本文件夹中的文件可以让任何人在任何一台装有 Python 3 的电脑上、不联网、不安装任何软件，
独立复算本次随机抽取，核对结果是否与公布的一致。

一、文件
  manifest.json   抽取清单：候选检查对象、抽查规则、执法检查人员名单（抽取前已固定）
  result.json     抽取结果：见证人数字、随机数、随机种子、抽中的检查对象与检查组
  draw-record.pdf 随机抽取记录（签字版以纸质存档为准）
  verify.py       独立核验程序（只用 Python 标准库，约 600 行，可直接阅读）
  SHA256SUMS.txt  以上文件的 SHA-256 值

二、核验步骤（只需一条命令）
  1. 解压本核验包到任意文件夹，在该文件夹中打开命令行窗口
     （Windows：在文件夹地址栏输入 cmd 回车）。
  2. 运行：
         python verify.py manifest.json result.json
     Windows 上也可以用：  py verify.py manifest.json result.json
  3. 最后一行显示 VERIFIED，即表示：
     - 清单文件的哈希与结果中的 manifest_hash 一致（清单在抽取前固定、未被改动）；
     - 公布的随机数与抽取前公示的随机数承诺（nonce_commitment）一致；
     - 由见证人现场给出的数字、清单哈希和随机数算出的随机种子与结果一致；
     - 按公开的 DRAW-1 协议复算，抽中的检查对象、顺序、批次和检查组与结果完全一致。
     如有任何不一致，程序会逐项列出差异，并以非零状态退出。

三、查询某一户是否被抽中
         python verify.py manifest.json result.json --target 统一社会信用代码
  会显示该户的票据值、所在风险分类的门槛值，以及是否入选。
  同一分类内每一户被抽中的概率相同，等于“抽中户数 / 该分类户数”。

四、本次抽取的关键值（应与现场投屏和纸质记录一致）
  清单哈希     {manifest_hash}
  随机数承诺   {commitment}
  随机种子     {seed}
  结果哈希     {result_hash}
  审计日志链头 第 {audit_seq} 条，哈希 {audit_hash}
  链头记下了打包时审计日志的最后一条。日后可核对日志未被截短或改写：
     dualrandom audit verify --anchor {audit_anchor}
  结果哈希即 result.json 文件的 SHA-256，也可用系统自带工具核对：
     Windows：certutil -hashfile result.json SHA256
     Linux/macOS：sha256sum result.json（或 shasum -a 256 result.json）

协议全文见 DRAW-1（随程序提供的 docs/draw-protocol.md）。
"""


def _superseded(s: Session, task_code: str) -> list[DrawAttempt]:
    task = find_task(s, task_code)
    return list(
        s.scalars(
            select(DrawAttempt)
            .where(
                DrawAttempt.task_id == task.id,
                DrawAttempt.state == AttemptState.SUPERSEDED.value,
            )
            .order_by(DrawAttempt.attempt_no)
        )
    )


def draw_record(ceremony: DrawCeremony, outcome: Outcome | None = None) -> DrawRecord:
    """The plain data of the printed record of a computed attempt (`outcome` if read already)."""
    outcome = outcome or ceremony.outcome()
    if outcome is None:
        raise DrawError(f"任务“{ceremony.task_code}”的本次抽取尚未完成，还没有可打印的结果")
    info = ceremony.info()
    with ceremony.db.session() as s:
        superseded = [
            old.result.result_hash
            for old in _superseded(s, ceremony.task_code)
            if old.result is not None
        ]
    facts = SessionFacts(
        operator=info.operator,
        started_at=local_text(info.started_at),
        computed_at=local_text(info.computed_at),
        witnesses=tuple(WitnessEntry(w.name, w.unit, w.digits) for w in info.witnesses),
        attempt_no=info.attempt_no,
        redraw_reason=info.redraw_reason or "",
        supervisor=info.supervisor or "",
        superseded=tuple(superseded),
        audit_head="{}:{}".format(*chain_head(ceremony.db)),
    )
    return DrawRecord(
        manifest=ceremony.manifest(),
        result=outcome.result,
        result_hash=outcome.result_hash,
        task=ceremony.task_description(),
        names=outcome.names,
        facts=facts,
    )


def _computed(db: Database, task_code: str) -> tuple[DrawCeremony, Outcome]:
    ceremony = DrawCeremony.resume(db, task_code)
    outcome = ceremony.outcome() if ceremony is not None else None
    if ceremony is None or outcome is None:
        raise DrawError(f"任务“{task_code}”还没有完成的随机抽取")
    return ceremony, outcome


def computed_ceremony(db: Database, task_code: str) -> DrawCeremony:
    """The task's result of record, or a clear refusal."""
    return _computed(db, task_code)[0]


def record_pdf(db: Database, task_code: str) -> bytes:
    return render_bytes(draw_record(*_computed(db, task_code)))


def write_bundle(db: Database, task_code: str, out: Path) -> str:
    """Write the zip; returns the result hash it carries."""
    ceremony, outcome = _computed(db, task_code)
    manifest = ceremony.manifest_bytes()
    files: dict[str, bytes] = {
        "manifest.json": manifest,
        "result.json": outcome.result_bytes,
        "draw-record.pdf": render_bytes(draw_record(ceremony, outcome)),
        "verify.py": Path(verify_module.__file__).read_bytes(),
    }
    task = ceremony.task_description()
    seq, digest = chain_head(db)
    readme = README.format(
        audit_seq=seq,
        audit_hash=digest,
        audit_anchor=f"{seq}:{digest}",
        code=task.code,
        title=task.title,
        manifest_hash=hex_groups(outcome.result["manifest_hash"], 8),
        commitment=hex_groups(outcome.result["nonce_commitment"], 8),
        seed=hex_groups(outcome.result["seed"], 8),
        result_hash=hex_groups(outcome.result_hash, 8),
    )
    files["README.txt"] = readme.replace("\n", "\r\n").encode("utf-8")
    with db.session() as s:
        for old in _superseded(s, task_code):
            if old.result is not None:
                files[f"superseded/{old.attempt_no}/manifest.json"] = old.manifest
                files[f"superseded/{old.attempt_no}/result.json"] = old.result.result
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())
    files["SHA256SUMS.txt"] = sums.encode("ascii")
    tmp = out.with_name(out.name + ".tmp")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    tmp.replace(out)
    return outcome.result_hash
