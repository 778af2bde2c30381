"""SQL rows straight into numpy: how the statistics read a year without a Python object a value.

A year holds 50,000 inspections and 100,000 results. Read through the ORM or
even Core rows, most of the time goes into building a Python row and a date
object per value and then taking them apart again into columns. Here the SQL
already hands back only integers and short text (dates as day numbers, NULL as
a sentinel), and the driver's tuples go into a structured numpy array in one
pass, so the dashboard's cost is the database's own work.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from typing import cast as typed

import numpy as np
from sqlalchemy import BigInteger, Date, Executable, Integer, cast, func, literal
from sqlalchemy.orm import Session

# Stands for NULL in integer columns (a day number or an epoch second never gets near it).
NULL_INT = -(2**62)


def read_array(s: Session, stmt: Executable, dtype: list[tuple[str, str]]) -> np.ndarray:
    """The rows of `stmt` as a structured array; every column must be NOT NULL in the SQL.

    The statement is compiled and run by SQLAlchemy as usual (so both
    dialects and their parameters work); only the fetching skips its
    per-row processing, which the SQL has made unnecessary.
    """
    result = s.connection().execute(stmt)
    try:
        rows = typed(Iterable[tuple[Any, ...]], result.cursor)
        out: np.ndarray = np.fromiter(rows, dtype=np.dtype(dtype))
        return out
    finally:
        result.close()


def text_of(column: Any) -> str:
    """The numpy dtype holding a String(n) column's values whole."""
    return f"U{max(int(column.type.length or 0), 1)}"


def day_expr(dialect: str, column: Any) -> Any:
    """A DATE column as days since 1970-01-01 (NULL_INT for NULL), computed by the database."""
    if dialect == "sqlite":
        # SQLite keeps dates as ISO text; julianday() of a date is a whole day + .5.
        days: Any = cast(func.julianday(column) - 2440587.5, Integer)
    else:
        days = column - cast(literal("1970-01-01"), Date)
    return func.coalesce(days, NULL_INT)


def epoch_expr(dialect: str, column: Any) -> Any:
    """Seconds since 1970 of a timestamp column, computed by the database (one int a row)."""
    if dialect == "sqlite":
        # SQLite keeps the UTC wall clock as text; strftime('%s') reads it as UTC.
        return cast(func.strftime("%s", column), Integer)
    return cast(func.extract("epoch", column), BigInteger)


def epoch_or_null(dialect: str, column: Any) -> Any:
    return func.coalesce(epoch_expr(dialect, column), NULL_INT)


def as_days(values: np.ndarray) -> np.ndarray:
    """Day numbers (NULL_INT for none) → datetime64[D] with NaT."""
    out = values.astype("datetime64[D]")
    out[values == NULL_INT] = np.datetime64("NaT")
    return out


def local_days(epochs: np.ndarray | list[Any]) -> np.ndarray:
    """Epoch seconds (NULL_INT or None for none) → local calendar days as datetime64[D]."""
    offset = datetime.now().astimezone().utcoffset()
    shift = int(offset.total_seconds()) if offset else 0
    if isinstance(epochs, list):
        epochs = np.array([NULL_INT if e is None else int(e) for e in epochs], dtype=np.int64)
    days = ((epochs + shift) // 86400).astype("datetime64[D]")
    days[epochs == NULL_INT] = np.datetime64("NaT")
    return days
