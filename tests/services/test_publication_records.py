"""Plan and item-list exports recorded as publications; exempt results counted apart."""

from __future__ import annotations

from pathlib import Path

from draw_data import publish_task
from planning_data import joint_plan, seed_registry
from publication_data import PUBLISHED_ON, approved_task
from sqlalchemy import select

from app.domain.publication import PublicationKind
from app.models.db import Database
from app.models.inspections import InspectionResult
from app.models.publication import Publication
from app.services.plans import planning
from app.services.plans.export import export_plan
from app.services.publication import exemptions, records
from app.services.publication.item_list import export_and_record_item_list
from app.services.publication.results import publish_results


def _kinds(db: Database) -> list[tuple[str, str, int]]:
    with db.session() as s:
        rows = s.execute(
            select(Publication.kind, Publication.subject_key, Publication.version_no).order_by(
                Publication.id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_a_draft_plan_export_is_not_a_publication(db: Database, tmp_path: Path) -> None:
    seed_registry(db)
    planning.create_plan(db, joint_plan())
    export_plan(db, "LC-LH-2026", tmp_path / "draft.pdf")
    assert _kinds(db) == []


def test_published_plan_and_item_list_are_recorded(db: Database, tmp_path: Path) -> None:
    publish_task(db)
    export_plan(db, "LC-LH-2026", tmp_path / "plan.pdf")
    export_plan(db, "LC-LH-2026", tmp_path / "plan2.pdf")  # same version: not again
    export_plan(db, "LC-LH-2026", tmp_path / "plan.xlsx")
    export_and_record_item_list(db, tmp_path / "items.pdf", published_on=PUBLISHED_ON)
    export_and_record_item_list(db, tmp_path / "items2.pdf", published_on=PUBLISHED_ON)
    export_and_record_item_list(
        db, tmp_path / "items3.pdf", title="另一个标题", published_on=PUBLISHED_ON
    )
    assert _kinds(db) == [
        ("plan", "plan:LC-LH-2026:v1.pdf", 1),
        ("plan", "plan:LC-LH-2026:v1.xlsx", 1),
        ("item_list", "item_list", 1),
        ("item_list", "item_list", 2),
    ]
    with db.session() as s:
        rows = records.publication_rows(s, 2026)
    item_lists = [r for r in rows if r.kind is PublicationKind.ITEM_LIST]
    assert [r.state.label for r in item_lists] == ["已公示", "已更正"]
    saved = records.save_file(db, item_lists[1].files[0].file_id, tmp_path / "back.pdf")
    assert saved.read_bytes() == (tmp_path / "items.pdf").read_bytes()


def test_exempt_results_are_counted_apart(db: Database) -> None:
    task = approved_task(db)
    with db.session() as s:
        r = s.scalar(select(InspectionResult).where(InspectionResult.category_code == "02"))
        assert r is not None
        item = r.item.code
    assert exemptions.exempt_result_count(db) == 0
    exemptions.add_exemption(db, item, "未按期公示年度报告")
    assert exemptions.exempt_result_count(db) == 1
    assert exemptions.exempt_result_count(db, 2025) == 0
    out = publish_results(db, task, published_on=PUBLISHED_ON)
    content = records.publication_content(db, out.publication_id)
    assert content["exempt_count"] == 1
    exempt = [i for e in content["enterprises"] for i in e["items"] if i["exempt"]]
    assert [i["result"] for i in exempt] == ["责令改正，依法不予处罚"]
