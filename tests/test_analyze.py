"""`genius analyze`: the query planner's statistics, refreshed on both databases."""

from __future__ import annotations

from sqlalchemy import text

from conftest import TEST_DB
from genius.extensions import db


def last_analysed(table: str):
    """When ANALYZE last ran on the table (PostgreSQL), or how many statistics rows it has (SQLite, which
    keeps no date): either moves when ANALYZE runs, and is None or 0 before it ever has."""
    db.session.rollback()  # a new snapshot of the statistics
    if TEST_DB == "postgresql":
        return db.session.scalar(text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = :t"), {"t": table})
    if not db.session.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
        return 0
    return db.session.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table})


def test_analyze_gathers_statistics_for_the_planner(app, runner, make_user):
    for _ in range(3):
        make_user()
    db.session.commit()
    before = last_analysed("users")
    if TEST_DB == "sqlite":
        assert before == 0  # a new SQLite database has none until ANALYZE
    result = runner.invoke(args=["analyze"])
    assert result.exit_code == 0, result.output
    assert "Refreshed the query planner's statistics" in result.output
    after = last_analysed("users")
    assert after and (before is None or before == 0 or after > before)
