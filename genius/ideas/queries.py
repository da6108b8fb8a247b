"""Read-only select() builders for ideas. Every list is bounded and paginated."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, CompoundSelect, Select, String, cast, false, func, literal_column, select, true, union_all
from sqlalchemy.orm import contains_eager, joinedload

from genius.challenges.models import Challenge
from genius.challenges.queries import visible_challenge_clause
from genius.core.models import utcnow
from genius.ideas.models import Idea, IdeaStatusChange, Support, idea_tags

SORTS = {
    "newest": "Newest",
    "most_supported": "Most supported",
    "most_discussed": "Most discussed",
    "trending": "Trending (supports in the last 7 days)",
    "recently_updated": "Recently updated",
}
TRENDING_DAYS = 7


def visible_idea_clause(user) -> ColumnElement[bool]:
    """Ideas a reader may see apart from their challenge's visibility (moderation adds to this)."""
    return true()


def ideas_for_challenge(user, challenge: Challenge, sort: str = "newest", status: str = "", tag_id: int | None = None,
                        area: str = "", now: datetime | None = None) -> Select:
    stmt = (
        select(Idea)
        .join(Idea.author)
        .options(contains_eager(Idea.author))
        .where(Idea.challenge_id == challenge.id, visible_idea_clause(user))
    )
    if status == "withdrawn":
        stmt = stmt.where(Idea.withdrawn_at.is_not(None))
    elif status:
        stmt = stmt.where(Idea.status == status, Idea.withdrawn_at.is_(None))
    if tag_id:
        stmt = stmt.where(Idea.id.in_(select(idea_tags.c.idea_id).where(idea_tags.c.tag_id == tag_id)))
    if area:
        stmt = stmt.where(Idea.area == area)
    if sort == "most_supported":
        stmt = stmt.order_by(Idea.supports_count.desc(), Idea.id.desc())
    elif sort == "most_discussed":
        stmt = stmt.order_by(Idea.comments_count.desc(), Idea.id.desc())
    elif sort == "recently_updated":
        stmt = stmt.order_by(Idea.last_activity_at.desc(), Idea.id.desc())
    elif sort == "trending":
        since = (now or utcnow()) - timedelta(days=TRENDING_DAYS)
        recent = (
            select(Support.idea_id, func.count().label("recent"))
            .join(Idea, Idea.id == Support.idea_id)
            .where(Idea.challenge_id == challenge.id, Support.created_at >= since)
            .group_by(Support.idea_id)
            .subquery()
        )
        stmt = stmt.outerjoin(recent, recent.c.idea_id == Idea.id).order_by(
            func.coalesce(recent.c.recent, 0).desc(), Idea.supports_count.desc(), Idea.id.desc()
        )
    else:
        stmt = stmt.order_by(Idea.created_at.desc(), Idea.id.desc())
    return stmt


def filter_counts(challenge: Challenge) -> CompoundSelect:
    """(kind, key, withdrawn?, count) rows for the labels of every filter, in one statement:
    kind "status" (key a status), "tag" (key a tag id, as text) or "area" (key an area)."""
    in_challenge = Idea.challenge_id == challenge.id
    withdrawn = Idea.withdrawn_at.is_not(None)
    by_status = (
        select(literal_column("'status'").label("kind"), Idea.status.label("key"), withdrawn.label("withdrawn"),
               func.count().label("n"))
        .where(in_challenge)
        .group_by(Idea.status, withdrawn)
    )
    by_tag = (
        select(literal_column("'tag'"), cast(idea_tags.c.tag_id, String), false(), func.count())
        .select_from(idea_tags)
        .join(Idea, Idea.id == idea_tags.c.idea_id)
        .where(in_challenge)
        .group_by(idea_tags.c.tag_id)
    )
    by_area = (
        select(literal_column("'area'"), Idea.area, false(), func.count())
        .where(in_challenge, Idea.area.is_not(None))
        .group_by(Idea.area)
    )
    return union_all(by_status, by_tag, by_area)


def selected_ideas(challenge: Challenge, limit: int = 20) -> Select:
    return (
        select(Idea)
        .where(Idea.challenge_id == challenge.id, Idea.status.in_(("selected", "in_progress", "implemented")),
               Idea.withdrawn_at.is_(None))
        .order_by(Idea.supports_count.desc(), Idea.id)
        .limit(limit)
    )


def idea_with_context(idea_id: int) -> Select:
    return (
        select(Idea)
        .options(joinedload(Idea.challenge).joinedload(Challenge.champion), joinedload(Idea.author),
                 joinedload(Idea.group))
        .where(Idea.id == idea_id)
    )


def status_trail(idea: Idea) -> Select:
    return select(IdeaStatusChange).where(IdeaStatusChange.idea_id == idea.id).order_by(IdeaStatusChange.created_at, IdeaStatusChange.id)


def awaiting_response(user, champion_only: bool = True) -> Select:
    """Ideas with no official response yet, oldest first, in the challenges this person champions."""
    stmt = (
        select(Idea)
        .join(Idea.challenge)
        .options(contains_eager(Idea.challenge))
        .where(
            Idea.first_response_at.is_(None),
            Idea.withdrawn_at.is_(None),
            Challenge.status.in_(("open", "reviewing", "decided")),
            visible_challenge_clause(user),
        )
        .order_by(Idea.created_at, Idea.id)
    )
    if champion_only:
        stmt = stmt.where(Challenge.champion_id == user.id)
    return stmt

