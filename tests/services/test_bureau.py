"""The bureau profile: defaults, saved values, and 文号 counted per kind and year."""

from __future__ import annotations

from app.models.db import Database
from app.services.system.bureau import (
    BureauProfile,
    load_bureau,
    next_document_number,
    save_bureau,
)


def test_profile_saves_and_numbers_count_per_kind_and_year(db: Database) -> None:
    assert load_bureau(db) == BureauProfile()
    profile = BureauProfile("莘县市场监督管理局", "莘县市场监管局", "371522", "莘市监发", "0635-1")
    save_bureau(db, profile)
    assert load_bureau(db) == profile
    assert profile.document_number(2026, 12) == "莘市监发〔2026〕12号"
    with db.session() as s:
        assert [next_document_number(s, "notice", 2026) for _ in range(3)] == [1, 2, 3]
        assert next_document_number(s, "notice", 2027) == 1
        assert next_document_number(s, "results", 2026) == 1
    try:
        with db.session() as s:
            assert next_document_number(s, "notice", 2026) == 4
            raise RuntimeError("the document was not stored")
    except RuntimeError:
        pass
    with db.session() as s:
        assert next_document_number(s, "notice", 2026) == 4
