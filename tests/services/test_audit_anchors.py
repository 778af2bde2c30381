"""Issue 11.4: a log cut short, emptied or re-chained is caught by anchors kept outside it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Text, cast, select, text

from app import cli
from app.models import Department
from app.models.audit import AuditEntry
from app.models.auditing import GENESIS_HASH, canonical, chain_hash
from app.models.db import Database
from app.services.access.anchors import chain_head
from app.services.access.audit import check_chain
from tests.tamper import tamper


def _add(db: Database, *names: str) -> None:
    for name in names:
        with db.session() as s:
            s.add(Department(code=name, name=name))


def _verify(db: Database, *anchors: str) -> int:
    argv = ["audit", "verify", "--db", db.url]
    for a in anchors:
        argv += ["--anchor", a]
    return cli.main(argv)


def test_an_anchor_that_holds_and_one_cut_off(db: Database, capsys) -> None:
    _add(db, "甲", "乙", "丙")
    seq, digest = chain_head(db)
    assert seq == 3 and len(digest) == 64
    assert _verify(db, f"{seq}:{digest}") == 0
    assert "成立" in capsys.readouterr().out
    _add(db, "丁")
    with tamper(db) as conn:  # the last two entries go
        conn.execute(text("DELETE FROM audit_log WHERE seq >= 3"))
    assert check_chain(db).ok  # the chain itself still holds together …
    assert _verify(db, f"{seq}:{digest}") == 1  # … but not the anchor
    assert "已没有第 3 条" in capsys.readouterr().out


def test_an_emptied_log_on_a_database_with_data_is_not_complete(db: Database, capsys) -> None:
    _add(db, "甲", "乙")
    with tamper(db) as conn:
        conn.execute(text("DELETE FROM audit_log"))
    assert _verify(db) == 1
    out = capsys.readouterr().out
    assert "审计日志完整" not in out and "departments" in out and "审计日志为空" in out


def _rechain_from(db: Database, seq_from: int, actor: str) -> None:
    """Rewrite entry `seq_from` and re-hash every entry after it, as an insider could."""
    t = AuditEntry.__table__
    with tamper(db) as conn:
        rows = conn.execute(
            select(
                t.c.id, t.c.seq, t.c.at, t.c.actor, t.c.action, t.c.entity, t.c.entity_id,
                cast(t.c.before, Text), cast(t.c.after, Text), t.c.prev_hash,
            ).order_by(t.c.seq)
        ).all()  # fmt: skip
        prev = GENESIS_HASH
        for ident, seq, at, who, action, entity, entity_id, raw_b, raw_a, _old in rows:
            if seq < seq_from:
                prev = conn.scalar(select(t.c.entry_hash).where(t.c.id == ident))
                continue
            who = actor if seq == seq_from else who
            before = None if raw_b is None else json.loads(raw_b)
            after = None if raw_a is None else json.loads(raw_a)
            body = canonical(
                seq=seq, at=at, actor=who, action=action, entity=entity,
                entity_id=entity_id, before=before, after=after,
            )  # fmt: skip
            digest = chain_hash(prev, body)
            conn.execute(
                t.update()
                .where(t.c.id == ident)
                .values(actor=who, prev_hash=prev, entry_hash=digest)
            )
            prev = digest


def test_a_rewritten_and_rehashed_log_fails_its_anchor(db: Database, capsys) -> None:
    _add(db, "甲", "乙", "丙")
    seq, digest = chain_head(db)
    _rechain_from(db, 2, "某人")
    assert check_chain(db).ok  # re-chained: the chain alone cannot tell
    assert _verify(db, f"{seq}:{digest}") == 1
    assert "哈希现为" in capsys.readouterr().out


def test_a_malformed_anchor_is_refused(db: Database, capsys) -> None:
    assert _verify(db, "3:abc") == 2
    assert "格式不对" in capsys.readouterr().err


def test_a_backup_records_the_chain_head(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(sqlite_db, "甲", "乙")
    seq, digest = chain_head(sqlite_db)
    out = tmp_path / "copy.sqlite"
    assert cli.main(["backup", str(out), "--db", sqlite_db.url]) == 0
    assert f"{seq}:{digest}" in capsys.readouterr().out
    meta = json.loads((tmp_path / "copy.sqlite.json").read_text("utf-8"))
    assert meta["audit_chain_head"] == {
        "seq": seq,
        "entry_hash": digest,
        "anchor": f"{seq}:{digest}",
    }


def test_the_bundle_readme_and_the_record_carry_the_head(db: Database, tmp_path: Path) -> None:
    from app.services.draws.bundle import write_bundle
    from app.services.draws.ceremony import DrawCeremony
    from tests.draw_data import publish_task

    task = publish_task(db)
    c = DrawCeremony.open(db, task, "张三")
    c.add_witness("李建国", "", "123456")
    c.compute()
    seq, digest = chain_head(db)
    out = tmp_path / "bundle.zip"
    write_bundle(db, task, out)
    with zipfile.ZipFile(out) as zf:
        readme = zf.read("README.txt").decode("utf-8-sig")
        pdf = zf.read("draw-record.pdf")
    assert f"--anchor {seq}:{digest}" in readme
    (tmp_path / "r.pdf").write_bytes(pdf)
    import subprocess

    flat = "".join(
        subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True)
        .stdout.decode("utf-8")
        .split()
    )
    assert "审计日志链头" in flat and f"{seq}:{digest}" in flat
