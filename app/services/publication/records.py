"""公示记录: storing a publication with its files, and reading them back.

A publication row and its files are written once in the caller's unit of
work and never changed (the model refuses updates); a correction is a new
version pointing at the one it corrects. The files' bytes and sha256 are in
the database, so a record can be re-issued exactly even when the files on
disk are gone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.errors import InvalidInput
from app.domain.publication import PublicationKind, PublicationState
from app.models.db import Database
from app.models.publication import Publication, PublicationFile
from app.services.access.auth import current_principal, require, scope_clause

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class PublicationError(InvalidInput):
    """A publication request refused; str() says what and where, in Chinese."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(content: dict[str, Any]) -> str:
    return sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def publisher_name() -> str:
    p = current_principal()
    return (p.display_name or p.username)[:64]


def latest(s: Session, kind: PublicationKind, subject_key: str) -> Publication | None:
    return s.scalar(
        select(Publication)
        .where(Publication.kind == kind.value, Publication.subject_key == subject_key)
        .order_by(Publication.version_no.desc())
        .limit(1)
    )


def add_publication(
    s: Session,
    *,
    kind: PublicationKind,
    subject_key: str,
    title: str,
    year: int,
    published_on: date,
    content: dict[str, Any],
    files: dict[str, bytes],
    corrects: Publication | None = None,
    reason: str | None = None,
    **columns: Any,
) -> Publication:
    """Store one new version (1, or the corrected one's + 1) with its files."""
    pub = Publication(
        kind=kind.value,
        subject_key=subject_key,
        title=title,
        year=year,
        published_on=published_on,
        version_no=1 if corrects is None else corrects.version_no + 1,
        corrects_id=None if corrects is None else corrects.id,
        correction_reason=reason,
        published_by=publisher_name(),
        content=content,
        content_sha256=content_hash(content),
        **columns,
    )
    for name, data in files.items():
        pub.files.append(
            PublicationFile(
                file_name=name,
                media_type=MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream"),
                size=len(data),
                sha256=sha256(data),
                data=data,
            )
        )
    s.add(pub)
    return pub


def record_export(
    db: Database,
    *,
    kind: PublicationKind,
    subject_key: str,
    title: str,
    year: int,
    path: Path,
    content: dict[str, Any],
    published_on: date | None = None,
    **columns: Any,
) -> Publication | None:
    """Record a file published through an existing export (item list, plan).

    The same content already recorded for the subject is not recorded again
    (PDF bytes differ on every run by their timestamps); changed content is a
    new version of the subject.
    """
    data = path.read_bytes()
    with db.session() as s:
        have = latest(s, kind, subject_key)
        if have is not None and have.content_sha256 == content_hash(content):
            return None
        pub = add_publication(
            s,
            kind=kind,
            subject_key=subject_key,
            title=title,
            year=year,
            published_on=published_on or date.today(),
            content=content,
            files={path.name: data},
            corrects=have,
            reason=None if have is None else "重新发布",
            **columns,
        )
        s.flush()
        s.expunge(pub)
        return pub


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileRow:
    file_id: int
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class PublicationRow:
    publication_id: int | None  # None: 待公示 (nothing published yet)
    kind: PublicationKind
    subject_key: str
    title: str
    year: int
    version_no: int
    state: PublicationState
    doc_number: str
    published_on: date | None
    published_at: datetime | None
    published_by: str
    department: str
    due_date: date | None
    overdue: bool
    reason: str
    corrected_by: int | None
    files: tuple[FileRow, ...]

    @property
    def state_label(self) -> str:
        text = self.state.label
        if self.version_no > 1:
            text += f"（第{self.version_no}版）"
        return text


def publication_rows(s: Session, year: int) -> list[PublicationRow]:
    """Every published version of `year` in scope, newest first, each with its state."""
    stmt = (
        select(Publication)
        .where(Publication.year == year)
        # Bureau-wide records (item list, plans) are public to everyone.
        .where(or_(Publication.department_id.is_(None), scope_clause(Publication.department_id)))
        .order_by(Publication.published_at.desc(), Publication.id.desc())
    )
    pubs = list(s.scalars(stmt))
    corrected = {p.corrects_id: p.id for p in pubs if p.corrects_id is not None}
    rows = []
    for p in pubs:
        state = PublicationState.CORRECTED if p.id in corrected else PublicationState.PUBLISHED
        rows.append(
            PublicationRow(
                p.id,
                PublicationKind(p.kind),
                p.subject_key,
                p.title,
                p.year,
                p.version_no,
                state,
                p.doc_number,
                p.published_on,
                p.published_at,
                p.published_by,
                p.department.name if p.department else "",
                p.due_date,
                # Only the first publication can be late; a correction comes when it must.
                p.corrects_id is None and p.due_date is not None and p.published_on > p.due_date,
                p.correction_reason or "",
                corrected.get(p.id),
                tuple(FileRow(f.id, f.file_name, f.size, f.sha256) for f in p.files),
            )
        )
    return rows


def save_file(db: Database, file_id: int, out: Path | str) -> Path:
    """Write a stored published file to `out`, checking its sha256 first."""
    with db.session() as s:
        require(Permission.VIEW)
        f = s.get(PublicationFile, file_id)
        if f is None:
            raise PublicationError(f"找不到公示文件 {file_id}")
        if sha256(f.data) != f.sha256:
            raise PublicationError(f"公示文件“{f.file_name}”的校验值不符，文件可能已被改动")
        data = bytes(f.data)
    out = Path(out)
    out.write_bytes(data)
    return out


def publication_content(db: Database, publication_id: int) -> dict[str, Any]:
    with db.session() as s:
        require(Permission.VIEW)
        pub = s.get(Publication, publication_id)
        if pub is None:
            raise PublicationError(f"找不到公示记录 {publication_id}")
        return dict(pub.content)
