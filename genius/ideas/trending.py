"""The trending sort's stored count: ideas.trending_supports, the supports each idea got in the last
TRENDING_DAYS, as of the last refresh.

Why stored: the sort used to count every idea's recent supports on each request (one index probe per
idea of the challenge), 143 ms on SQLite and 525 ms on PostgreSQL for a challenge of 2,866 ideas with
100,000 supports in the week; the stored count is read from ix_ideas_challenge_trending, a walk that
stops after the page.

What it means: "supports in the last 7 days" as of the last `genius ideas refresh-trending` (run it
hourly from cron; the migration and `genius demo` fill it too), plus the supports given since: a new
support adds 1 at once (genius.supports.services), while a withdrawn support, and one older than 7 days,
leave it within the hour. Ties: more supports
in all, then the newer idea.

The refresh is set-based over id ranges and writes only the rows whose count changed. It runs on the
session's connection, not through the ORM session's events: the count is an ordering hint, not data
the network graph or the filter counts depend on, so their caches stay valid.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea, Support
from genius.ideas.queries import TRENDING_DAYS

BATCH = 20_000  # ideas per statement


def recent_supports(since: datetime):
    """The count of an idea's supports since `since`, correlated to the ideas row (ix_supports_idea_created)."""
    return (
        select(func.count()).select_from(Support)
        .where(Support.idea_id == Idea.id, Support.created_at >= since)
        .correlate(Idea).scalar_subquery()
    )


def refresh(now: datetime | None = None) -> tuple[int, int]:
    """Recount every idea's supports of the last TRENDING_DAYS; returns (ideas checked, ideas changed).
    Flushes nothing and never commits: the caller commits."""
    since = (now or utcnow()) - timedelta(days=TRENDING_DAYS)
    conn = db.session.connection()
    ideas = Idea.__table__
    low_id, high_id, checked = conn.execute(select(func.min(ideas.c.id), func.max(ideas.c.id), func.count())).one()
    changed = 0
    low = low_id or 0
    while checked and low <= high_id:
        high = low + BATCH
        recent = recent_supports(since)
        result = conn.execute(
            ideas.update()
            .where(and_(ideas.c.id >= low, ideas.c.id < high, ideas.c.trending_supports != recent))
            .values(trending_supports=recent)
        )
        changed += max(result.rowcount or 0, 0)
        low = high
    return checked, changed
