"""Bulk writes are audited too: an import leaves a summary, each target it updated its change."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import AuditEntry, Target
from app.models.db import Database
from app.services.access import audit
from app.services.common.concurrency import ConcurrentEditError
from app.services.registry.imports.engine import import_registry
from app.services.registry.targets import get_target, save_target
from tests.registry_data import add_departments, target_code
from tests.xlsx_files import target_rows, write_xlsx


def _entries(db: Database, action: str, entity: str) -> list[AuditEntry]:
    with db.session() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == action, AuditEntry.entity == entity)
                .order_by(AuditEntry.seq)
            )
        )


def test_target_import_records_a_summary_and_each_update(db: Database, tmp_path: Path) -> None:
    codes = [target_code(n) for n in range(3)]
    first = write_xlsx(tmp_path / "a.xlsx", target_rows(codes, {"信用风险分类": ["A", "B", "C"]}))
    with audit.acting_as("张三"):
        import_registry(db, "targets", first)
    (summary,) = _entries(db, "import", "targets")
    assert summary.actor == "张三"
    assert summary.after == {
        "file": "a.xlsx", "sheet": "Sheet1", "total": 3, "inserted": 3, "updated": 0,
        "unchanged": 0, "rejected": 0, "warnings": 0,
    }  # fmt: skip
    # The bulk UPDATE goes round the ORM: the import records each changed row itself.
    second = write_xlsx(tmp_path / "b.xlsx", target_rows(codes, {"信用风险分类": ["A", "D", "C"]}))
    with audit.acting_as("李四"):
        import_registry(db, "targets", second)
    with db.session() as s:
        changed = s.scalar(select(Target).where(Target.uscc == codes[1]))
    (update,) = _entries(db, "update", "targets")
    assert (update.actor, update.entity_id) == ("李四", str(changed.id))
    assert update.before == {"risk_class": "B"}
    assert update.after == {"risk_class": "D", "version": changed.version}
    assert [e.after["updated"] for e in _entries(db, "import", "targets")] == [0, 1]
    assert audit.verify_chain(db) is None


def test_a_form_loaded_before_an_import_names_the_import(db: Database, tmp_path: Path) -> None:
    code = target_code(7)
    import_registry(db, "targets", write_xlsx(tmp_path / "a.xlsx", target_rows([code])))
    with db.session() as s:
        target_id = s.scalar(select(Target.id).where(Target.uscc == code))
    form = get_target(db, target_id)
    rows = target_rows([code], {"信用风险分类": ["D"]})
    with audit.acting_as("导入员"):
        import_registry(db, "targets", write_xlsx(tmp_path / "b.xlsx", rows))
    form.phone = "0635-1"
    with pytest.raises(ConcurrentEditError, match="“导入员”") as err:
        save_target(db, form)
    assert "信用风险分类：（空） → D" in str(err.value)


def test_other_imports_leave_a_summary(db: Database, tmp_path: Path) -> None:
    add_departments(db)
    rows = [["姓名", "部门", "执法证号"], ["王五", "市场监管局", "37150003"]]
    import_registry(db, "inspectors", write_xlsx(tmp_path / "p.xlsx", rows))
    (summary,) = _entries(db, "import", "inspectors")
    assert summary.after is not None and summary.after["inserted"] == 1
    # The ORM rows of that import are recorded one by one as well.
    assert len(_entries(db, "insert", "inspectors")) == 1
