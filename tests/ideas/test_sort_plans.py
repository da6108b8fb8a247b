"""Every stored-order sort of a challenge's ideas reads an index in order (issue 3: "an index for every sort").

The query counts prove a page costs few statements; this proves each statement stays cheap as a
challenge grows: the database walks `ix_ideas_challenge_<sort>` and stops after the page, rather than
reading every idea of the challenge and sorting them. Trending too: it orders by the stored count of the
last week's supports (genius.ideas.trending), no longer counted per idea on each request.

The filter counts a signed-in reader needs live (their own non-visible ideas; all of them for a
moderator) read those few ideas through an index, never every idea of the challenge.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from genius.extensions import db
from genius.ideas.counts import _grouped, extra_where
from genius.ideas.queries import ideas_for_challenge, page_of_ideas
from ideas.test_query_counts import add_ideas

INDEX_FOR_SORT = {
    "newest": "ix_ideas_challenge_created",
    "most_supported": "ix_ideas_challenge_supports",
    "most_discussed": "ix_ideas_challenge_comments",
    "recently_updated": "ix_ideas_challenge_activity",
    "trending": "ix_ideas_challenge_trending",
}


def plan_of(stmt) -> str:
    sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    conn = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
        return "\n".join(str(row[-1]) for row in rows)
    conn.execute(text("ANALYZE ideas"))
    conn.execute(text("ANALYZE users"))
    return "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {sql}").all())


@pytest.fixture
def big_challenge(make_challenge, make_user):
    challenge = make_challenge(state="open")
    other = make_challenge(state="open", title="Cleaner rivers")
    authors = [make_user(email=f"author{n}@example.org") for n in range(5)]
    add_ideas(challenge, authors, 0, 3000)
    add_ideas(other, authors, 0, 3000)
    return challenge


@pytest.mark.parametrize("sort", sorted(INDEX_FOR_SORT))
def test_each_sort_walks_its_index_without_sorting(big_challenge, sort):
    plan = plan_of(ideas_for_challenge(None, big_challenge, sort=sort).limit(20).offset(180))
    assert INDEX_FOR_SORT[sort] in plan, plan
    if db.engine.dialect.name == "sqlite":
        assert "TEMP B-TREE" not in plan, plan
    else:
        assert "Sort" not in plan, plan


@pytest.mark.parametrize("sort", sorted(INDEX_FOR_SORT))
def test_a_page_finds_its_ids_by_the_index_then_joins_only_them(big_challenge, sort):
    """page_of_ideas: the same index walk for the page's ids; the authors join (and the final order)
    covers the page's 20 ideas only, not the skipped ones."""
    plan = plan_of(page_of_ideas(ideas_for_challenge(None, big_challenge, sort=sort), sort, 10, 20))
    assert INDEX_FOR_SORT[sort] in plan, plan
    if db.engine.dialect.name == "postgresql":
        assert "Seq Scan on ideas" not in plan, plan  # (users: a handful of rows here, scanned whole)


def test_the_check_bites_on_an_order_no_index_holds(big_challenge):
    """The same check fails for an order no index provides (ideas by title)."""
    from genius.ideas.models import Idea

    stmt = ideas_for_challenge(None, big_challenge).order_by(None).order_by(Idea.title).limit(20)
    plan = plan_of(stmt)
    assert ("TEMP B-TREE" in plan) if db.engine.dialect.name == "sqlite" else ("Sort" in plan), plan


@pytest.mark.parametrize("role", ["author", "moderator"])
def test_a_readers_extra_counts_read_only_non_visible_ideas(big_challenge, cast, role):
    from sqlalchemy import union_all

    from genius.challenges.models import Challenge

    challenge = db.session.get(Challenge, big_challenge.id)
    plan = plan_of(union_all(*_grouped(extra_where(challenge, cast(role)), "extra")))
    # The partial index of non-visible ideas, or the author's ideas: not a walk of the challenge's ideas.
    assert "ix_ideas_moderation_state" in plan or "ix_ideas_author_challenge" in plan, plan
    assert "ix_ideas_challenge_" not in plan, plan
