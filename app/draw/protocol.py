"""DRAW-1 primitives: canonical bytes, hashes, commitment, seed and tickets.

Everything here is fixed by the published protocol (docs/draw-protocol.md);
changing any byte of these formulas breaks the verification of old draws.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

PROTOCOL = "DRAW-1"

# Project rule on top of DRAW-1: candidate ids, inspector ids and department
# codes use only these characters, so that "|" (the ticket separator), "@"
# (the per-district deck name) and "*" can never appear inside one, and so
# that sorting by id is the same in every language (ASCII byte order).
ID_CHARS = "0-9A-Za-z_.:-"
ID_MAX_LEN = 64
ID_RE = re.compile(r"[0-9A-Za-z_.:\-]{1,64}")
DISTRICT_RE = re.compile(r"[0-9]{6}")
WITNESS_RE = re.compile(r"[0-9]{6,32}")
NONCE_BYTES = 32


class DrawInputError(ValueError):
    """An input the protocol refuses; the message is Chinese and says what and where."""


class ManifestError(DrawInputError):
    """The manifest breaks a rule of section 3 (or is not canonical)."""


class WitnessError(DrawInputError):
    """A witness string is not 6 to 32 decimal digits."""


class NonceError(DrawInputError):
    """The nonce is not 32 bytes / 64 hex digits."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector off during a large draw.

    A million-candidate manifest is a million tracked lists; every burst of
    new objects (parsing, tuples while selecting) otherwise triggers full
    collections that walk all of them again. The draw makes no reference
    cycles worth collecting, so pausing costs nothing and saves ~30 %.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def canonical(obj: Any) -> bytes:
    """Section 2: the only byte form that is hashed or stored."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def nonce_commitment(nonce: bytes) -> str:
    """Section 4: shown before any witness speaks."""
    check_nonce(nonce)
    return sha256_hex(nonce)


def check_nonce(nonce: bytes) -> None:
    if not isinstance(nonce, bytes) or len(nonce) != NONCE_BYTES:
        raise NonceError(f"随机数（nonce）必须是 {NONCE_BYTES} 字节")


def parse_nonce_hex(text: str) -> bytes:
    """`--nonce HEX`: exactly 64 hex digits (either case; stored lower case)."""
    if len(text) != 2 * NONCE_BYTES or not re.fullmatch(r"[0-9a-fA-F]+", text):
        raise NonceError(
            f"随机数（nonce）必须是 {2 * NONCE_BYTES} 位十六进制数字，实际为 {len(text)} 个字符"
        )
    return bytes.fromhex(text)


def check_witness_digits(digits: str, position: int) -> None:
    """Section 5: 6 to 32 ASCII decimal digits; `position` is 1-based, for the message."""
    if not isinstance(digits, str) or not WITNESS_RE.fullmatch(digits):
        shown = digits if isinstance(digits, str) else repr(digits)
        raise WitnessError(
            f"第 {position} 位见证人的数字“{shown}”无效：必须是 6 到 32 位十进制数字（0-9），"
            "不得含空格、符号或其他字符"
        )


def witness_input(digit_strings: Sequence[str]) -> str:
    """Section 5: the strings joined by "," in the order entered (leading zeros count)."""
    if not digit_strings:
        raise WitnessError("至少需要一位见证人输入数字")
    for position, digits in enumerate(digit_strings, start=1):
        check_witness_digits(digits, position)
    return ",".join(digit_strings)


def compute_seed(manifest_hash: str, digit_strings: Sequence[str], nonce: bytes) -> str:
    """Section 6."""
    check_nonce(nonce)
    text = f"{PROTOCOL}|{manifest_hash}|{witness_input(digit_strings)}|{nonce.hex()}"
    return sha256_hex(text.encode("ascii"))


def ticket(seed: str, kind: str, *parts: str) -> bytes:
    """Section 7: compared as byte strings (big-endian unsigned)."""
    return hashlib.sha256("|".join([seed, kind, *parts]).encode("utf-8")).digest()


def target_tickets(seed: str, ids: Iterable[str]) -> list[bytes]:
    """`ticket(seed, "T", id)` for many ids at once.

    This loop is the floor of a large draw's cost: one sha256 per candidate.
    Concatenating a precomputed prefix string and encoding once per id
    measured as fast as any alternative (hash.copy(), pre-encoded bytes).
    """
    prefix = f"{seed}|T|"
    sha256 = hashlib.sha256
    return [sha256((prefix + cid).encode("utf-8")).digest() for cid in ids]


def deck_tickets(seed: str, deck: str, round_no: int, ids: Iterable[str]) -> list[bytes]:
    """`ticket(seed, "D", deck, str(round), id)` for a deck's members."""
    prefix = f"{seed}|D|{deck}|{round_no}|"
    sha256 = hashlib.sha256
    return [sha256((prefix + iid).encode("utf-8")).digest() for iid in ids]
