"""Many documents of one kind in one PDF (for the printer) or one file each.

Shared by the inspection notices and checklists: progress and cancel while the
PDF is laid out, each document numbered on its own, and nothing half-written —
the PDF is written beside its destination and moved into place when complete.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate

from app.domain import errors
from app.reports.official import Margins
from app.reports.pages import Footer, NumberedPages, RestartNumbering

T = TypeVar("T")
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class WritingCancelled(errors.Cancelled):
    """The user cancelled; no file was left behind."""


class _Checkpoint(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Reports progress when the layout reaches it; stops the build if cancelled."""

    def __init__(
        self, done: int, total: int, progress: Progress | None, cancelled: Cancelled | None
    ) -> None:
        super().__init__()
        self.done, self.total = done, total
        self.progress, self.cancelled = progress, cancelled
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise WritingCancelled
        if self.progress is not None:
            self.progress(self.done, self.total)


def safe_file_name(name: str, code: str, suffix: str = ".pdf") -> str:
    """A Windows-safe file name from an enterprise's name and code."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" ._")[:60]
    code = re.sub(r"[^0-9A-Za-z]+", "", code)
    return f"{cleaned or '未命名'}_{code}{suffix}" if code else f"{cleaned or '未命名'}{suffix}"


def build_batch(
    documents: Sequence[T],
    story_of: Callable[[T], list[Flowable]],
    note_of: Callable[[T], str],
    out: Path,
    *,
    footer: Footer,
    margins: Margins,
    pagesize: tuple[float, float],
    title: str,
    author: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Lay every document out in one PDF, each from a new page; return the page count."""
    total = len(documents)
    if not total:
        raise errors.InvalidInput(f"没有要打印的{title}")
    story: list[Any] = []
    for k, document in enumerate(documents):
        if cancelled is not None and cancelled():
            raise WritingCancelled
        if k:
            story.append(PageBreak())
        story.append(RestartNumbering(note_of(document)))
        story += story_of(document)
        story.append(_Checkpoint(k + 1, total, progress, cancelled))
    return _build(
        story, out, footer=footer, margins=margins, pagesize=pagesize, title=title, author=author
    )


def build_files(
    documents: Sequence[T],
    story_of: Callable[[T], list[Flowable]],
    note_of: Callable[[T], str],
    name_of: Callable[[T], str],
    folder: Path,
    *,
    footer: Footer,
    margins: Margins,
    pagesize: tuple[float, float],
    title: str,
    author: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[Path]:
    """One PDF per document in `folder`; names made unique with (2), (3)…"""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    for k, document in enumerate(documents):
        if cancelled is not None and cancelled():
            raise WritingCancelled
        name = name_of(document)
        stem, dot, ext = name.rpartition(".")
        n = 2
        while name.lower() in used:
            name = f"{stem}({n}){dot}{ext}"
            n += 1
        used.add(name.lower())
        story: list[Any] = [RestartNumbering(note_of(document)), *story_of(document)]
        path = folder / name
        _build(
            story,
            path,
            footer=footer,
            margins=margins,
            pagesize=pagesize,
            title=title,
            author=author,
        )
        written.append(path)
        if progress is not None:
            progress(k + 1, len(documents))
    return written


def _build(
    story: list[Any],
    out: Path,
    *,
    footer: Footer,
    margins: Margins,
    pagesize: tuple[float, float],
    title: str,
    author: str,
) -> int:
    out = Path(out)
    fd, temp = tempfile.mkstemp(prefix=".writing-", suffix=".pdf", dir=out.parent)
    os.close(fd)
    try:
        doc = SimpleDocTemplate(
            temp,
            pagesize=pagesize,
            leftMargin=margins.left,
            rightMargin=margins.right,
            topMargin=margins.top,
            bottomMargin=margins.bottom,
            title=title,
            author=author or "双随机一公开监管工作台",
        )
        pages = NumberedPages(footer)
        doc.build(story, canvasmaker=pages)
        os.replace(temp, out)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    return pages.count
