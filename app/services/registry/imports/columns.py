"""How each column of an imported sheet was understood: shown before an import
(the GUI's preview, where a clerk may assign a column by hand) and printed by
`dualrandom import … --report`. Computed here; views only show and ask."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.registry_fields import cell_text
from app.excel.reader import HeaderMatch, SheetReader, column_letter
from app.excel.templates import Template

IGNORED = "（不导入）"
SAMPLE_ROWS = 5

# Columns recognised but not stored, and what becomes of them.
FIELD_NOTES: dict[str, str] = {
    "seq": "序号（不导入）",
    "domain": "抽查领域（识别表格用，不保存）",
    "level": "抽查层级（不保存）",
    "partners": "配合部门（与发起部门组成联合抽查事项）",
    "office": "股室（不保存）",
    "target_type": "检查对象",
}


@dataclass(frozen=True)
class ColumnUse:
    position: int
    letter: str
    header: str
    field: str | None
    label: str
    samples: tuple[str, ...] = ()

    def line(self) -> str:
        return f"{self.letter} 列“{self.header}” → {self.label}"


@dataclass
class ImportPreview:
    """What an import would read, before anything is written."""

    file: str
    sheet: str
    header_row: int
    columns: list[ColumnUse]
    # (field, label) a column may be assigned to by hand.
    choices: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def label_of(template: Template, field_name: str) -> str:
    return FIELD_NOTES.get(field_name) or template.column(field_name).header


def describe(match: HeaderMatch, template: Template) -> list[ColumnUse]:
    by_pos = {pos: f for f, pos in match.fields.items()}
    out: list[ColumnUse] = []
    for pos, header in enumerate(match.headers):
        if not header and pos not in by_pos:
            continue
        f = by_pos.get(pos)
        label = label_of(template, f) if f else IGNORED
        out.append(ColumnUse(pos, column_letter(match.first_col + pos), header, f, label))
    return out


def understanding_notes(match: HeaderMatch, template: Template) -> list[str]:
    """What the column understanding means for the import, in Chinese."""
    notes: list[str] = []
    if template.kind == "items":
        if "code" not in match.fields:
            notes.append(
                "没有“事项编码”列：按部门和事项名称对应已有事项，新事项按“部门代码-序号”编码"
            )
        if "category" not in match.fields:
            notes.append("没有“事项类别”列：取注明“重点”“一般”的列，否则按一般检查事项导入并提示")
    return notes


def preview_import(
    template: Template,
    path: Path | str,
    overrides: Mapping[int, str | None] | None = None,
    *,
    published: bool = True,
) -> ImportPreview:
    """The column understanding of `path` and a few sample rows; raises WorkbookError."""
    with SheetReader(path, template, published=published, overrides=overrides) as reader:
        match = reader.match
        samples: dict[int, list[str]] = {}
        for _, cells in itertools.islice(reader.rows(), SAMPLE_ROWS):
            for pos, value in enumerate(cells):
                text = cell_text(value)
                if text:
                    samples.setdefault(pos, []).append(text[:40])
        columns = [
            ColumnUse(
                c.position, c.letter, c.header, c.field, c.label, tuple(samples.get(c.position, ()))
            )
            for c in describe(match, template)
        ]
        choices = [(c.field, label_of(template, c.field)) for c in template.columns]
        return ImportPreview(
            str(path),
            match.sheet_name,
            match.header_row,
            columns,
            choices,
            understanding_notes(match, template),
        )


def preview_registry_import(
    kind: str, path: Path | str, overrides: Mapping[int, str | None] | None = None
) -> ImportPreview:
    """The preview of a registry import of `kind` (see import_registry)."""
    from app.excel.templates import TEMPLATES

    return preview_import(TEMPLATES[kind], path, overrides, published=kind == "items")


def preview_plan_import(
    path: Path | str, overrides: Mapping[int, str | None] | None = None
) -> ImportPreview:
    """The preview of a plan table import (see app.services.plans.imports.import_plan)."""
    from app.excel.plan_table import PLAN_TABLE

    return preview_import(PLAN_TABLE, path, overrides)
