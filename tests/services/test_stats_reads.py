"""The statistics' array reads: day numbers, epoch seconds and NULLs the same on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest
from sqlalchemy import Date, DateTime, String, literal, select

from app.models.db import Database
from app.services.stats.reads import (
    NULL_INT,
    as_days,
    day_expr,
    epoch_or_null,
    local_days,
    read_array,
    text_of,
)

DAYS = [date(1969, 12, 31), date(1970, 1, 1), date(2024, 2, 29), date(2026, 12, 4), None]


@pytest.mark.parametrize("day", DAYS)
def test_day_numbers_match_python(db: Database, day: date | None) -> None:
    with db.session() as s:
        dialect = s.get_bind().dialect.name
        out = read_array(
            s,
            select(day_expr(dialect, literal(day, Date)), literal("x", String)),
            [("day", "i8"), ("text", "U4")],
        )
    expected = NULL_INT if day is None else (day - date(1970, 1, 1)).days
    assert out["day"].tolist() == [expected]
    assert out["text"].tolist() == ["x"]
    shown = as_days(out["day"])[0]
    assert np.isnat(shown) if day is None else shown == np.datetime64(day, "D")


@pytest.mark.parametrize(
    "moment", [datetime(2026, 5, 3, 23, 30, tzinfo=UTC), datetime(1999, 12, 31, 16, 0, tzinfo=UTC)]
)
def test_epoch_seconds_and_local_day(db: Database, moment: datetime) -> None:
    with db.session() as s:
        dialect = s.get_bind().dialect.name
        out = read_array(
            s,
            select(
                epoch_or_null(dialect, literal(moment, DateTime(timezone=True))),
                epoch_or_null(dialect, literal(None, DateTime(timezone=True))),
            ),
            [("at", "i8"), ("none", "i8")],
        )
    assert out["at"].tolist() == [int(moment.timestamp())]
    assert out["none"].tolist() == [NULL_INT]
    days = local_days(np.array([out["at"][0], NULL_INT], dtype=np.int64))
    local = moment.astimezone().date()
    assert days[0] == np.datetime64(local, "D")
    assert np.isnat(days[1])
    assert local_days([int(moment.timestamp()), None])[0] == days[0]


def test_no_rows_is_an_empty_array(db: Database) -> None:
    with db.session() as s:
        out = read_array(s, select(literal(1)).where(literal(1) == literal(2)), [("one", "i8")])
    assert out.shape == (0,) and out.dtype.names == ("one",)


def test_text_width_is_the_column_length() -> None:
    from app.models.inspections import InspectionResult
    from app.models.registry import Target

    assert text_of(Target.division_code) == "U6"
    assert text_of(InspectionResult.category_code) == "U16"
