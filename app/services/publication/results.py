"""抽查结果公示: publish a task's reviewed results, and correct them afterwards.

One unit of work: the content is read, the 文号 taken, the PDF announcement
and the upload xlsx written and stored with the publication, the results
marked 已公示 and their follow-up records created. Nothing is left half-done:
a failure rolls it all back (the 文号 counter with it).

A correction changes published results (each change audited by the flush
hook), stores a new version pointing at the old one with the reason, and its
announcement says 更正 and lists what changed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.publication import (
    PUBLICATION_DEADLINE_WORKDAYS,
    PublicationKind,
    announcement_title,
    diff_results,
    upload_rows,
)
from app.domain.results import FollowUp, ResultState, inspection_state
from app.domain.workdays import add_workdays
from app.excel.publication_writer import write_upload_xlsx
from app.models.db import Database
from app.models.inspections import InspectionResult
from app.models.plans import SamplingTask
from app.models.publication import Publication
from app.reports.result_announcement import Correction, write_announcement
from app.services.common.categories import categories
from app.services.inspections.cases import is_case_code
from app.services.inspections.common import InspectionError, calendar, now_utc
from app.services.plans.queries import load_task
from app.services.publication import follow_ups
from app.services.publication.content import (
    Scope,
    announcement,
    build_content,
    case_scope,
    check_reviewed,
    publishing_scope,
    scoped_results,
)
from app.services.publication.layouts import upload_layout
from app.services.publication.records import PublicationError, add_publication, latest
from app.services.system.bureau import BureauProfile, load_bureau, next_document_number


@dataclass(frozen=True)
class Published:
    publication_id: int
    version_no: int
    title: str
    doc_number: str
    created: bool  # False: already published, the stored version is returned
    files: dict[str, bytes]
    changes: tuple[str, ...] = ()

    def file(self, suffix: str) -> bytes:
        for name, data in self.files.items():
            if name.lower().endswith(suffix.lower()):
                return data
        raise PublicationError(f"该公示记录没有 {suffix} 文件")

    @property
    def message(self) -> str:
        if not self.created:
            return f"已公示（第{self.version_no}版，{self.doc_number}），未重复公示。"
        what = "更正公告" if self.version_no > 1 else "公告"
        return f"已发布{what}“{self.title}”（{self.doc_number}）。"


@dataclass(frozen=True)
class ResultCorrection:
    """One published result to correct, named as a clerk names it."""

    uscc: str
    item_code: str
    category_code: str
    finding: str | None = None
    follow_up: str | None = None


def publication_due(s: Session, task: SamplingTask) -> date:
    """20 working days after the task is done (its planned end), on the working-day calendar."""
    return add_workdays(task.planned_end, PUBLICATION_DEADLINE_WORKDAYS, calendar(s)).day


def _scope(s: Session, code: str, department_code: str | None) -> Scope:
    if is_case_code(code):
        return case_scope(s, code)
    return publishing_scope(s, load_task(s, code, InspectionError), department_code)


def _due(s: Session, scope: Scope) -> date:
    if scope.task is not None:
        return publication_due(s, scope.task)
    assert scope.case is not None
    end = scope.case.window_end
    return add_workdays(end, PUBLICATION_DEADLINE_WORKDAYS, calendar(s)).day


def _files(
    content: dict[str, Any],
    bureau: BureauProfile,
    pub_title: str,
    doc_number: str,
    published_on: date,
    s: Session,
    correction: Correction | None = None,
) -> dict[str, bytes]:
    content = {**content, "doc_number": doc_number}
    doc = announcement(
        content,
        issuer=bureau.full_name,
        title=pub_title,
        doc_number=doc_number,
        published_on=published_on,
        correction=correction,
    )
    stem = f"{content['task_code']}_抽查结果公告" + ("_更正" if correction else "")
    with tempfile.TemporaryDirectory(prefix="dr-pub-") as tmp:
        pdf, xlsx = Path(tmp) / "a.pdf", Path(tmp) / "a.xlsx"
        write_announcement(doc, pdf)
        write_upload_xlsx(upload_layout(s), upload_rows(content, upload_layout(s)), xlsx)
        return {f"{stem}.pdf": pdf.read_bytes(), f"{stem}_上传.xlsx": xlsx.read_bytes()}


def _stored(pub: Publication, created: bool, changes: Sequence[str] = ()) -> Published:
    return Published(
        pub.id,
        pub.version_no,
        pub.title,
        pub.doc_number,
        created,
        {f.file_name: bytes(f.data) for f in pub.files},
        tuple(changes),
    )


def _mark_published(s: Session, scope: Scope, results: Sequence[InspectionResult]) -> None:
    touched = {}
    for r in results:
        if r.state != ResultState.PUBLISHED.value:
            r.state = ResultState.PUBLISHED.value
            touched[r.inspection_id] = r.inspection
    for ins in touched.values():
        ins.state = inspection_state(ResultState(r.state) for r in ins.results).value
    follow_ups.ensure_records(s, results)


def _commit(db: Database, work: Any) -> Published:
    try:
        with db.session() as s:
            out: Published = work(s)
            s.flush()
            return out
    except IntegrityError as exc:
        raise PublicationError("同一份公示正由另一台电脑同时发布，请刷新后再看") from exc


def publish_results(
    db: Database,
    task_code: str,
    *,
    department_code: str | None = None,
    published_on: date | None = None,
) -> Published:
    """Publish the task's reviewed results (the department's own, or all); idempotent."""
    bureau = load_bureau(db)
    on = published_on or date.today()

    def work(s: Session) -> Published:
        scope = _scope(s, task_code, department_code)
        have = latest(s, PublicationKind.RESULTS, scope.subject_key)
        if have is not None:
            return _stored(have, False)
        pairs = scoped_results(s, scope)
        check_reviewed(pairs, scope.code)
        content = build_content(s, scope, pairs, on)
        year = scope.year
        seq = next_document_number(s, "results", year)
        doc_number = bureau.document_number(year, seq)
        title = announcement_title(bureau.full_name, year, seq)
        pub = add_publication(
            s,
            kind=PublicationKind.RESULTS,
            subject_key=scope.subject_key,
            title=title,
            year=year,
            published_on=on,
            content={**content, "doc_number": doc_number},
            files=_files(content, bureau, title, doc_number, on, s),
            task_id=scope.task.id if scope.task else None,
            department_id=scope.department.id if scope.department else None,
            doc_number=doc_number,
            doc_seq=seq,
            due_date=_due(s, scope),
        )
        _mark_published(s, scope, [r for _, rs in pairs for r in rs])
        s.flush()
        return _stored(pub, True)

    return _commit(db, work)


def _apply(s: Session, scope: Scope, fixes: Sequence[ResultCorrection]) -> None:
    pairs = scoped_results(s, scope)
    by_key = {(ins.target.uscc, r.item.code): r for ins, rs in pairs for r in rs}
    cats = categories(s)
    for fix in fixes:
        r = by_key.get((fix.uscc.strip().upper(), fix.item_code.strip()))
        if r is None:
            raise PublicationError(
                f"“{scope.code}”已公示的结果中没有“{fix.uscc}”的事项“{fix.item_code}”"
            )
        cat = cats.find(fix.category_code)
        if cat is None:
            raise PublicationError(f"结果类型“{fix.category_code}”不在结果类型表中")
        r.category_code, r.is_problem = cat.code, cat.is_problem
        if fix.finding is not None:
            r.finding = fix.finding
        elif not cat.is_problem:
            r.finding = ""  # no problem, nothing found to describe
        if fix.follow_up is not None:
            r.follow_up = fix.follow_up
        elif not cat.is_problem:
            r.follow_up = FollowUp.NONE.value
        r.entered_at = now_utc()


def correct_results(
    db: Database,
    task_code: str,
    reason: str,
    fixes: Sequence[ResultCorrection],
    *,
    department_code: str | None = None,
    published_on: date | None = None,
) -> Published:
    """更正: change published results and publish a new version saying what changed."""
    reason = reason.strip()
    if not reason:
        raise PublicationError("更正公示须填写更正原因")
    bureau = load_bureau(db)
    on = published_on or date.today()

    def work(s: Session) -> Published:
        scope = _scope(s, task_code, department_code)
        old = latest(s, PublicationKind.RESULTS, scope.subject_key)
        if old is None:
            raise PublicationError(f"“{scope.code}”的结果尚未公示，无需更正，请直接公示")
        _apply(s, scope, fixes)
        s.flush()
        pairs = scoped_results(s, scope)
        content = build_content(s, scope, pairs, on)
        changes = tuple(c.text for c in diff_results(old.content, content))
        if not changes:
            raise PublicationError("更正后的结果与原公示相同，未发布更正")
        year = scope.year
        seq = next_document_number(s, "results", year)
        doc_number = bureau.document_number(year, seq)
        title = announcement_title(bureau.full_name, year, old.doc_seq or seq, correction=True)
        correction = Correction(old.title, old.doc_number, old.published_on, reason, changes)
        pub = add_publication(
            s,
            kind=PublicationKind.RESULTS,
            subject_key=scope.subject_key,
            title=title,
            year=year,
            published_on=on,
            content={**content, "doc_number": doc_number, "changes": list(changes)},
            files=_files(content, bureau, title, doc_number, on, s, correction),
            corrects=old,
            reason=reason,
            task_id=old.task_id,
            department_id=old.department_id,
            doc_number=doc_number,
            doc_seq=seq,
            due_date=old.due_date,
        )
        _mark_published(s, scope, [r for _, rs in pairs for r in rs])
        s.flush()
        return _stored(pub, True, changes)

    return _commit(db, work)
