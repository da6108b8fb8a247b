"""Per-database connection settings (genius/core/database.py), read back from a real connection."""

from __future__ import annotations

from sqlalchemy import text

from conftest import TEST_DB
from genius.extensions import db


def test_every_connection_has_the_settings_a_web_app_needs(app):
    if TEST_DB == "postgresql":
        # Short queries only: no parallel workers and no JIT, whatever the planner estimates.
        expected = {"SHOW jit": "off", "SHOW max_parallel_workers_per_gather": "0"}
    else:
        expected = {"PRAGMA foreign_keys": 1, "PRAGMA journal_mode": "wal", "PRAGMA busy_timeout": 30000}
    with db.engine.connect() as first, db.engine.connect() as second:  # a new connection, not only the first
        for connection in (first, second):
            for query, value in expected.items():
                assert connection.execute(text(query)).scalar() == value, query
