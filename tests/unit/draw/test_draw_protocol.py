"""Sections 2, 5, 6 and 7: canonical bytes, witness digits, seed and tickets."""

from __future__ import annotations

import hashlib

import pytest

from app.draw.protocol import (
    NonceError,
    WitnessError,
    canonical,
    compute_seed,
    deck_tickets,
    nonce_commitment,
    parse_nonce_hex,
    target_tickets,
    ticket,
    witness_input,
)

MH = "ab" * 32


def test_canonical_is_sorted_compact_utf8():
    assert canonical({"b": 1, "a": ["甲", None, True]}) == '{"a":["甲",null,true],"b":1}'.encode()


def test_seed_follows_the_published_formula():
    nonce = bytes(range(32))
    text = f"DRAW-1|{MH}|000123,987654|{nonce.hex()}"
    assert (
        compute_seed(MH, ["000123", "987654"], nonce)
        == hashlib.sha256(text.encode("ascii")).hexdigest()
    )


def test_leading_zeros_count_and_order_matters():
    nonce = bytes(32)
    seeds = {
        compute_seed(MH, digits, nonce)
        for digits in (
            ["0123456"],
            ["123456"],
            ["00123456"],
            ["123456", "654321"],
            ["654321", "123456"],
        )
    }
    assert len(seeds) == 5


@pytest.mark.parametrize("digits", ["123456", "0" * 6, "9" * 32, "000000000000000001"])
def test_witness_digits_accepted(digits):
    assert witness_input([digits]) == digits


@pytest.mark.parametrize(
    "digits",
    [
        "12345",
        "9" * 33,
        "",
        "12 3456",
        "123456\n",
        "１２３４５６",
        "١٢٣٤٥٦",
        "+123456",
        "12345a",
        "-123456",
    ],
)
def test_witness_digits_refused(digits):
    with pytest.raises(WitnessError, match="第 1 位见证人"):
        witness_input([digits])


def test_second_witness_named_in_message():
    with pytest.raises(WitnessError, match="第 2 位见证人"):
        witness_input(["123456", "12"])


def test_at_least_one_witness():
    with pytest.raises(WitnessError):
        witness_input([])


def test_tickets_follow_the_published_formula():
    seed = "cd" * 32
    assert ticket(seed, "T", "91X") == hashlib.sha256(f"{seed}|T|91X".encode()).digest()
    assert (
        ticket(seed, "D", "SCJ@371502", "3", "I1")
        == hashlib.sha256(f"{seed}|D|SCJ@371502|3|I1".encode()).digest()
    )
    assert target_tickets(seed, ["a", "b"]) == [ticket(seed, "T", "a"), ticket(seed, "T", "b")]
    assert deck_tickets(seed, "*", 2, ["x"]) == [ticket(seed, "D", "*", "2", "x")]


def test_nonce_commitment_and_hex_parsing():
    nonce = parse_nonce_hex("AB" * 32)
    assert nonce == bytes([0xAB]) * 32
    assert nonce_commitment(nonce) == hashlib.sha256(nonce).hexdigest()
    for bad in ("ab" * 31, "ab" * 33, "zz" * 32):
        with pytest.raises(NonceError):
            parse_nonce_hex(bad)
    with pytest.raises(NonceError):
        nonce_commitment(b"short")
