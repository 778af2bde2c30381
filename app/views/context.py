"""What every page is given: the open database, passed on to services."""

from __future__ import annotations

from dataclasses import dataclass

from app.models.db import Database


@dataclass
class AppContext:
    db: Database
