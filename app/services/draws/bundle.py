"""The verification bundle (核验包) and the draw record of a task's draw.

A zip anyone can check on any computer with Python 3, offline:
    manifest.json  the manifest, exactly the bytes that were hashed
    result.json    the result, exactly the bytes that were hashed
    draw-record.pdf  the printed record (随机抽取记录)
    verify.py      the standalone DRAW-1 verifier (standard library only)
    verify.html    the same verifier as a web page (open it in a browser, no Python)
    README.txt     how to check it, in Chinese
    SHA256SUMS.txt the SHA-256 of every file above
    superseded/N/  earlier results of the task replaced by a confirmed second draw
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.domain.auth import Permission
from app.domain.ceremony import AttemptState, TaskDescription, hex_groups
from app.draw import verify as verify_module
from app.draw.documents import ManifestHead
from app.models.db import Database
from app.models.draws import DrawAttempt
from app.reports.draw_record import DrawRecord, SessionFacts, WitnessEntry, render_bytes
from app.services.access.anchors import chain_head_in
from app.services.draws import lookup as draw_lookup
from app.services.draws.attempts import (
    AttemptInfo,
    DrawError,
    Outcome,
    attempt_in,
    attempt_info,
    local_text,
)
from app.services.draws.reading import load_checked, read_outcome
from app.services.plans.queries import load_task
from app.services.plans.scope import require_task
from app.services.system.bureau import bureau_in

README = """\ufeff随机抽取核验包 —— {code} {title}

本文件夹中的文件可以让任何人在任何一台装有 Python 3 的电脑上、不联网、不安装任何软件，
独立复算本次随机抽取，核对结果是否与公布的一致。

一、文件
  manifest.json   抽取清单：候选检查对象、抽查规则、执法检查人员名单（抽取前已固定）
  result.json     抽取结果：见证人数字、随机数、随机种子、抽中的检查对象与检查组
  draw-record.pdf 随机抽取记录（签字版以纸质存档为准）
  verify.py       独立核验程序（只用 Python 标准库，约 600 行，可直接阅读）
  verify.html     网页版核验程序（不需要 Python：用浏览器打开即可，检查内容与 verify.py 相同）
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

  不装 Python 也可以：用浏览器（新版 Edge、Chrome、Firefox 或 Chromium 内核的浏览器）
  打开 verify.html，选择本核验包 zip 文件，或同时选择 manifest.json 和 result.json，
  页面显示“验证通过”或第一处差异；页面中的“查我的企业”与下面的 --target 相同。
  网页不联网，文件只在本机读取。

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


@dataclass(frozen=True)
class OldResult:
    """A result of the task replaced by a confirmed second draw (kept in the bundle)."""

    attempt_no: int
    manifest: bytes
    result: bytes
    result_hash: str


@dataclass(frozen=True)
class StoredDraw:
    """The task's result of record and what its record needs, read in one Session."""

    info: AttemptInfo
    task: TaskDescription
    manifest_bytes: bytes
    manifest: ManifestHead
    outcome: Outcome
    superseded: tuple[OldResult, ...]
    issuer: str
    # The audit chain's head when the record was read: an anchor outside the database.
    audit_head: tuple[int, str]


def stored_draw(db: Database, task_code: str) -> StoredDraw:
    """One unit of work: the computed attempt, its documents, names and the replaced ones."""
    with db.session() as s:
        task = load_task(s, task_code, DrawError)
        require_task(Permission.VIEW, task)
        attempt = attempt_in(s, task.id, (AttemptState.COMPUTED,))
        if attempt is None or attempt.result is None:
            raise DrawError(f"任务“{task_code}”还没有完成的随机抽取")
        _checked, head = load_checked(attempt, task_code)
        outcome = read_outcome(s, attempt, head)
        assert outcome is not None
        old = s.scalars(
            select(DrawAttempt)
            .where(
                DrawAttempt.task_id == task.id,
                DrawAttempt.state == AttemptState.SUPERSEDED.value,
            )
            .order_by(DrawAttempt.attempt_no)
        )
        return StoredDraw(
            info=attempt_info(attempt, task_code),
            task=draw_lookup.task_description(task),
            manifest_bytes=attempt.manifest,
            manifest=head,
            outcome=outcome,
            superseded=tuple(
                OldResult(a.attempt_no, a.manifest, a.result.result, a.result.result_hash)
                for a in old
                if a.result is not None
            ),
            issuer=bureau_in(s).full_name,
            audit_head=chain_head_in(s),
        )


def draw_record(stored: StoredDraw) -> DrawRecord:
    """The plain data of the printed record of the task's result of record."""
    info = stored.info
    facts = SessionFacts(
        operator=info.operator,
        started_at=local_text(info.started_at),
        computed_at=local_text(info.computed_at),
        witnesses=tuple(WitnessEntry(w.name, w.unit, w.digits) for w in info.witnesses),
        attempt_no=info.attempt_no,
        redraw_reason=info.redraw_reason or "",
        supervisor=info.supervisor or "",
        superseded=tuple(old.result_hash for old in stored.superseded),
        audit_head="{}:{}".format(*stored.audit_head),
    )
    return DrawRecord(
        manifest=stored.manifest,
        result=stored.outcome.result,
        result_hash=stored.outcome.result_hash,
        task=stored.task,
        names=stored.outcome.names,
        facts=facts,
        issuer=stored.issuer,
    )


def record_pdf(db: Database, task_code: str) -> bytes:
    return render_bytes(draw_record(stored_draw(db, task_code)))


def write_bundle(db: Database, task_code: str, out: Path) -> str:
    """Write the zip; returns the result hash it carries."""
    stored = stored_draw(db, task_code)
    outcome = stored.outcome
    files: dict[str, bytes] = {
        "manifest.json": stored.manifest_bytes,
        "result.json": outcome.result_bytes,
        "draw-record.pdf": render_bytes(draw_record(stored)),
        "verify.py": Path(verify_module.__file__).read_bytes(),
        "verify.html": Path(verify_module.__file__).with_name("verify.html").read_bytes(),
    }
    task = stored.task
    seq, digest = stored.audit_head
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
    for old in stored.superseded:
        files[f"superseded/{old.attempt_no}/manifest.json"] = old.manifest
        files[f"superseded/{old.attempt_no}/result.json"] = old.result
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())
    files["SHA256SUMS.txt"] = sums.encode("ascii")
    tmp = out.with_name(out.name + ".tmp")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    tmp.replace(out)
    return outcome.result_hash
