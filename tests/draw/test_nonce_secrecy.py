"""While witnesses give their digits, nobody reading the database can learn the nonce.

Every column of every table (the audit log included) and the log folder are
searched for the nonce as bytes, hex (either case) and base64; the nonce is
taken from the operator process's memory, its only home until the seed exists.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from sqlalchemy import MetaData, select

from app.models.db import Database
from app.services.draws.ceremony import DrawCeremony
from app.services.draws.holder import NONCES


def _forms(nonce: bytes) -> tuple[list[bytes], list[str]]:
    texts = [
        nonce.hex(),
        nonce.hex().upper(),
        base64.b64encode(nonce).decode(),
        base64.urlsafe_b64encode(nonce).decode(),
        base64.b64encode(nonce).decode().rstrip("="),
    ]
    return [nonce, *(t.encode() for t in texts)], texts


def _found(db: Database, nonce: bytes) -> list[str]:
    raw, texts = _forms(nonce)
    hits = []
    meta = MetaData()
    with db.engine.connect() as conn:
        meta.reflect(conn)
        assert "audit_log" in meta.tables and "draw_attempts" in meta.tables
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)):
                for column, value in zip(table.columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        blob = bytes(value)
                        hit = any(form in blob for form in raw)
                    else:
                        text = value if isinstance(value, str) else json.dumps(value, default=str)
                        hit = any(form in text for form in texts)
                    if hit:
                        hits.append(f"{table.name}.{column.name}")
    return hits


def _files(home: Path, nonce: bytes) -> list[str]:
    raw, _texts = _forms(nonce)
    hits = []
    for folder, _dirs, files in os.walk(home):
        for name in files:
            data = (Path(folder) / name).read_bytes()
            if any(form in data for form in raw):
                hits.append(name)
    return hits


def test_the_nonce_is_nowhere_during_witness_entry(db: Database, task_code: str) -> None:
    c = DrawCeremony.open(db, task_code, "张三")
    nonce = NONCES.get(c.info().nonce_commitment)
    assert nonce is not None and len(nonce) == 32
    # Control: the search finds the nonce where it is (so a miss below means something).
    assert _forms(nonce)[1][0] not in repr(c.info())
    assert _found(db, nonce) == []
    c.add_witness("李建国", "市人大代表", "0038194556")
    assert _found(db, nonce) == []
    c.add_witness("王秀英", "市政协委员", "778120")
    assert _found(db, nonce) == []
    assert _files(Path(os.environ["DUALRANDOM_HOME"]), nonce) == []
    assert c.info().nonce_hex is None
    # With the seed fixed it is stored (and published in the result), in one go.
    outcome = c.compute()
    assert outcome.result["nonce"] == nonce.hex()
    assert "draw_attempts.nonce" in _found(db, nonce)
    assert NONCES.get(c.info().nonce_commitment) is None
