"""Read-only select() builders for supports."""

from __future__ import annotations

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import joinedload, lazyload

from genius.ideas.models import Idea, Support


def idea_to_support(idea_id: int) -> Select:
    """The idea and its challenge, which is all the rules read (ids and states, no champion, author,
    group or tags: the error page loads those if it needs them).

    An inner join: every idea has a challenge. The LEFT OUTER JOIN of ideas.queries.idea_with_context,
    whose challenge comes with its champion, makes SQLite 3.40 materialise that join for every
    challenge before it looks at the one idea: 55 ms at x10 scale (1,600 challenges), for one row.
    """
    return (select(Idea).where(Idea.id == idea_id)
            .options(lazyload("*"), joinedload(Idea.challenge, innerjoin=True).lazyload("*")))


def standing(user_id: int, challenge_id: int, idea_id: int) -> Select:
    """One row (used, supported): the person's supports that count against the challenge's
    limit (those on ideas not withdrawn), and whether one of them is on this idea."""
    return (
        select(
            func.coalesce(func.sum(case((Idea.withdrawn_at.is_(None), 1), else_=0)), 0).label("used"),
            func.coalesce(func.max(case((Support.idea_id == idea_id, 1), else_=0)), 0).label("supported"),
        )
        .select_from(Support)
        .join(Idea, Idea.id == Support.idea_id)
        .where(Support.user_id == user_id, Idea.challenge_id == challenge_id)
    )


def has_supported(user_id: int, idea_id: int) -> Select:
    """True if the person supports the idea (the UNIQUE index answers it)."""
    return select(exists().where(Support.idea_id == idea_id, Support.user_id == user_id))


def supports_count(idea_id: int) -> Select:
    return select(Idea.supports_count).where(Idea.id == idea_id)
