"""Loading one comment with its context looks up rows by key: it never scans the challenges
(SQLite materialised a LEFT JOIN of "(challenges JOIN users)" for every challenge)."""

from __future__ import annotations

from sqlalchemy import text

from genius.comments import queries
from genius.extensions import db


def test_a_comment_with_its_context_reads_no_table_in_full(app, make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    make_challenge("open", title="Another challenge")
    idea = make_idea(challenge, author=cast("author"))
    comment = make_comment(challenge, idea, author=cast("resident"))
    stmt = queries.comment_with_context(comment.id)
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    sql = str(compiled)
    assert "LEFT OUTER JOIN (challenges" not in sql, sql
    if db.engine.dialect.name == "sqlite":
        plan = " | ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "SCAN" not in plan and "MATERIALIZE" not in plan, plan
    loaded = db.session.scalar(stmt)
    assert loaded.challenge.champion is not None and loaded.author is not None
