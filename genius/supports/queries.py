"""Read-only select() builders for supports.

The ones a support runs are built once, with bound parameters, and given their values per call
(`.params()`): SQLAlchemy then reuses the statement's cache key and compiled form, where a statement
built afresh costs its construction and a new cache key on every request (about 1.4 ms for `standing`).
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, case, exists, func, select
from sqlalchemy.orm import joinedload, lazyload

from genius.ideas.models import Idea, Support


def idea_to_support(idea_id: int) -> Select:
    return _idea_to_support().params(idea_id=idea_id)


@cache
def _idea_to_support() -> Select:
    """The idea and its challenge, which is all the rules read (ids and states, no champion, author,
    group or tags: the error page loads those if it needs them).

    An inner join: every idea has a challenge. The LEFT OUTER JOIN of ideas.queries.idea_with_context,
    whose challenge comes with its champion, makes SQLite 3.40 materialise that join for every
    challenge before it looks at the one idea: 55 ms at x10 scale (1,600 challenges), for one row.
    """
    return (select(Idea).where(Idea.id == bindparam("idea_id"))
            .options(lazyload("*"), joinedload(Idea.challenge, innerjoin=True).lazyload("*")))


def standing(user_id: int, challenge_id: int, idea_id: int) -> Select:
    """One row (used, supported): the person's supports that count against the challenge's
    limit (those on ideas not withdrawn), and whether one of them is on this idea."""
    return _standing().params(user_id=user_id, challenge_id=challenge_id, idea_id=idea_id)


@cache
def _standing() -> Select:
    return (
        select(
            func.coalesce(func.sum(case((Idea.withdrawn_at.is_(None), 1), else_=0)), 0).label("used"),
            func.coalesce(func.max(case((Support.idea_id == bindparam("idea_id"), 1), else_=0)), 0).label("supported"),
        )
        .select_from(Support)
        .join(Idea, Idea.id == Support.idea_id)
        .where(Support.user_id == bindparam("user_id"), Idea.challenge_id == bindparam("challenge_id"))
    )


def has_supported(user_id: int, idea_id: int) -> Select:
    """True if the person supports the idea (the UNIQUE index answers it)."""
    return _has_supported().params(user_id=user_id, idea_id=idea_id)


@cache
def _has_supported() -> Select:
    return select(exists().where(Support.idea_id == bindparam("idea_id"), Support.user_id == bindparam("user_id")))


def supports_count(idea_id: int) -> Select:
    return select(Idea.supports_count).where(Idea.id == idea_id)
