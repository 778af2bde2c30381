"""A rotating log file in the user's log folder."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.config import log_dir

_handler: RotatingFileHandler | None = None


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the root logger to dualrandom.log (5 × 2 MB); idempotent per folder."""
    global _handler
    path = log_dir() / "dualrandom.log"
    root = logging.getLogger()
    if _handler is not None and Path(_handler.baseFilename) != path:
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    if _handler is None:
        _handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(_handler)
    root.setLevel(level)
    return path
