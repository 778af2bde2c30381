"""公示: the documents made public. For now the item list (抽查事项清单) as PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from app.domain.errors import Cancelled
from app.models.db import Database
from app.reports.item_list import ItemListEntry, JointGroupEntry, build_item_list_pdf
from app.services.registry.item_groups import list_joint_groups
from app.services.registry.items import list_items, ratio_cap_text
from app.services.system.bureau import load_bureau

DEFAULT_ITEM_LIST_TITLE = "部门联合抽查事项清单"


class PublicationCancelled(Cancelled):
    def __init__(self) -> None:
        super().__init__("已取消，未生成文件")


@dataclass(frozen=True)
class PublishedFile:
    path: Path
    pages: int
    items: int


def default_item_list_title() -> str:
    """'聊城市部门联合抽查事项清单': the city of the division table, when there is one."""
    try:
        from app.domain.divisions import CITY_NAME
    except ImportError:
        return DEFAULT_ITEM_LIST_TITLE
    return f"{CITY_NAME}{DEFAULT_ITEM_LIST_TITLE}"


def item_list_entries(db: Database) -> tuple[list[ItemListEntry], list[JointGroupEntry]]:
    """The list as published: department order, key items first, then by code."""
    entries = [
        ItemListEntry(
            department=r.department,
            category_label=r.category_label,
            code=r.code,
            name=r.name,
            target_type=r.target_type,
            methods=r.methods,
            legal_basis=r.legal_basis,
            ratio_cap=ratio_cap_text(r.category, r.ratio_cap_bp),
        )
        for r in list_items(db)
    ]
    groups = [
        JointGroupEntry(
            code=g.code,
            name=g.name,
            departments="、".join(g.departments),
            items="；".join(f"{m.code} {m.name}（{m.department}）" for m in g.members),
        )
        for g in list_joint_groups(db)
    ]
    return entries, groups


def export_item_list_pdf(
    db: Database,
    path: Path | str,
    *,
    title: str | None = None,
    published_on: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> PublishedFile:
    """Write the item list for 公示 to `path` (A4 landscape PDF)."""
    entries, groups = item_list_entries(db)
    issuer = load_bureau(db).full_name
    if cancel is not None and cancel():
        raise PublicationCancelled
    if progress is not None:
        progress(0, len(entries))
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        pages = build_item_list_pdf(
            tmp,
            title or default_item_list_title(),
            entries,
            groups,
            published_on or date.today(),
            progress,
            issuer=issuer,
        )
        if cancel is not None and cancel():
            raise PublicationCancelled
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    if progress is not None:
        progress(len(entries), len(entries))
    return PublishedFile(path, pages, len(entries))


def export_and_record_item_list(
    db: Database,
    path: Path | str,
    *,
    title: str | None = None,
    published_on: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> PublishedFile:
    """The item-list PDF for 公示, recorded as a publication (new bytes: a new version)."""
    from app.domain.publication import PublicationKind
    from app.services.publication.records import record_export

    on = published_on or date.today()
    entries, groups = item_list_entries(db)
    out = export_item_list_pdf(
        db, path, title=title, published_on=on, progress=progress, cancel=cancel
    )
    record_export(
        db,
        kind=PublicationKind.ITEM_LIST,
        subject_key="item_list",
        title=title or default_item_list_title(),
        year=on.year,
        path=out.path,
        published_on=on,
        content={
            "title": title or default_item_list_title(),
            "items": [asdict(e) for e in entries],
            "joint_groups": [asdict(g) for g in groups],
        },
    )
    return out
