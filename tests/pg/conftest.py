"""The shared server's fixture for the tests in this folder (tests/pg_server.py)."""

from tests.pg_server import server

__all__ = ["server"]
