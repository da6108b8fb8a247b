"""`genius analyze`: the query planner's statistics, refreshed on both databases."""

from __future__ import annotations

from sqlalchemy import text

from genius.extensions import db
from tests.conftest import TEST_DB


def statistics_rows() -> int:
    db.session.rollback()
    if TEST_DB == "postgresql":
        return db.session.scalar(text("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                                      "AND tablename = 'users'"))
    if not db.session.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
        return 0
    return db.session.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'users'"))


def test_analyze_gathers_statistics_for_the_planner(app, runner, make_user):
    for _ in range(3):
        make_user()
    db.session.commit()
    if TEST_DB == "sqlite":
        assert statistics_rows() == 0  # a new SQLite database has none until ANALYZE
    result = runner.invoke(args=["analyze"])
    assert result.exit_code == 0, result.output
    assert "Refreshed the query planner's statistics" in result.output
    assert statistics_rows() > 0
