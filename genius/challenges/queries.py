"""Read-only select() builders for challenges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select, true

from genius.challenges.models import Audience, Challenge, ChallengeStatus, ChallengeTag
from genius.core.models import utcnow
from genius.core.permissions import is_staff


def visible_challenge_clause(user, now: datetime | None = None) -> ColumnElement[bool]:
    """SQL for "this reader may see this challenge"; the same rule as can_view_challenge()."""
    if is_staff(user):
        return true()
    now = now or utcnow()
    return and_(
        Challenge.status != ChallengeStatus.DRAFT.value,
        or_(
            Challenge.audience == Audience.PUBLIC.value,
            and_(Challenge.audience == Audience.STAFF_FIRST.value, Challenge.public_from <= now),
        ),
    )


def _order(now: datetime):
    accepting = and_(Challenge.status == "open", Challenge.opens_at <= now, Challenge.closes_at > now)
    rank = case(
        (accepting, 0),
        (and_(Challenge.status == "open", Challenge.opens_at > now), 1),
        (Challenge.status == "open", 2),  # closed for ideas, waiting to be moved to reviewing
        (Challenge.status == "reviewing", 2),
        (Challenge.status == "decided", 3),
        (Challenge.status == "archived", 4),
        else_=5,  # drafts, seen by staff only
    )
    return rank, case((accepting, Challenge.closes_at), else_=None)


def challenge_index(user, status: str = "", tag: str = "", now: datetime | None = None) -> Select:
    now = now or utcnow()
    stmt = select(Challenge).where(visible_challenge_clause(user, now))
    if status == "open":
        stmt = stmt.where(Challenge.status == "open", Challenge.closes_at > now)
    elif status == "reviewing":
        stmt = stmt.where(or_(Challenge.status == "reviewing", and_(Challenge.status == "open", Challenge.closes_at <= now)))
    elif status in {s.value for s in ChallengeStatus}:
        stmt = stmt.where(Challenge.status == status)
    if tag:
        stmt = stmt.where(exists().where(ChallengeTag.challenge_id == Challenge.id, ChallengeTag.name == tag))
    rank, closing = _order(now)
    # Open ones first, closing soonest first; then the rest, most recently closed first.
    return stmt.order_by(rank, closing.asc().nulls_last(), Challenge.closes_at.desc(), Challenge.id.desc())


def visible_tag_names(user, limit: int = 60) -> Select:
    return (
        select(ChallengeTag.name)
        .join(Challenge, Challenge.id == ChallengeTag.challenge_id)
        .where(visible_challenge_clause(user))
        .group_by(ChallengeTag.name)
        .order_by(func.count().desc(), ChallengeTag.name)
        .limit(limit)
    )
