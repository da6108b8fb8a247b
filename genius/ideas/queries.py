"""Read-only select() builders for ideas. Every list is bounded and paginated."""

from __future__ import annotations


from sqlalchemy import ColumnElement, CompoundSelect, Select, String, and_, cast, false, func, literal_column, or_, select, true, union_all
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from genius.challenges.models import Challenge
from genius.challenges.queries import visible_challenge_clause
from genius.core.permissions import is_moderator, is_signed_in, is_staff
from genius.ideas.models import Idea, IdeaStatusChange, idea_tags

SORTS = {
    "newest": "Newest",
    "most_supported": "Most supported",
    "most_discussed": "Most discussed",
    "trending": "Trending (supports in the last 7 days)",  # as of the last hourly refresh: genius.ideas.trending
    "recently_updated": "Recently updated",
}
TRENDING_DAYS = 7


def visible_idea_clause(user) -> ColumnElement[bool]:
    """Ideas a reader may see apart from their challenge's visibility; the same rule as
    permissions.can_view_idea: visible ones, plus their own held or hidden ones, plus everything
    for moderators (and for a champion, inside their challenges)."""
    if is_moderator(user):
        return true()
    if not is_signed_in(user):
        return Idea.moderation_state == "visible"
    mine = or_(Idea.moderation_state == "visible", Idea.author_id == user.id)
    if is_staff(user):
        return or_(mine, Idea.challenge_id.in_(select(Challenge.id).where(Challenge.champion_id == user.id)))
    return mine


def public_idea_clause() -> ColumnElement[bool]:
    """What everyone sees and the stored counters count."""
    return Idea.moderation_state == "visible"


def _sort_order(sort: str) -> tuple:
    if sort == "most_supported":
        return Idea.supports_count.desc(), Idea.id.desc()
    if sort == "most_discussed":
        return Idea.comments_count.desc(), Idea.id.desc()
    if sort == "recently_updated":
        return Idea.last_activity_at.desc(), Idea.id.desc()
    if sort == "trending":
        # The stored count of the last TRENDING_DAYS' supports (genius.ideas.trending keeps it), read
        # from ix_ideas_challenge_trending: counting every idea's recent supports per request cost
        # 143 ms (SQLite) to 525 ms (PostgreSQL) for a challenge of 2,866 ideas with 100,000 recent supports.
        return Idea.trending_supports.desc(), Idea.supports_count.desc(), Idea.id.desc()
    return Idea.created_at.desc(), Idea.id.desc()


def ideas_for_challenge(user, challenge: Challenge, sort: str = "newest", status: str = "", tag_id: int | None = None,
                        area: str = "") -> Select:
    """Every idea of the challenge the reader may see, filtered and in the sort's order (one index per
    sort, ending in id). Page it with page_of_ideas."""
    stmt = select(Idea).where(Idea.challenge_id == challenge.id, visible_idea_clause(user))
    if status == "withdrawn":
        stmt = stmt.where(Idea.withdrawn_at.is_not(None))
    elif status:
        stmt = stmt.where(Idea.status == status, Idea.withdrawn_at.is_(None))
    if tag_id:
        stmt = stmt.where(Idea.id.in_(select(idea_tags.c.idea_id).where(idea_tags.c.tag_id == tag_id)))
    if area:
        stmt = stmt.where(Idea.area == area)
    return stmt.order_by(*_sort_order(sort))


def page_of_ideas(listed: Select, sort: str, page: int, per_page: int) -> Select:
    """One page of ideas_for_challenge, with the authors. The page's ids are found first (walking the
    sort's index past the earlier pages' ideas), and only those ideas are joined to their authors: a
    join before the OFFSET looked up the author of every skipped idea too (page 10 read 1,000 buffers
    on PostgreSQL at x10 instead of about 300)."""
    ids = listed.with_only_columns(Idea.id).limit(per_page).offset((page - 1) * per_page).subquery()
    return (
        select(Idea)
        .join(ids, ids.c.id == Idea.id)
        .join(Idea.author)
        .options(contains_eager(Idea.author))
        .order_by(*_sort_order(sort))
    )


def filter_counts(challenge: Challenge, user=None) -> CompoundSelect:
    """(kind, key, withdrawn?, count) rows for the labels of every filter, in one statement:
    kind "status" (key a status), "tag" (key a tag id, as text) or "area" (key an area).
    Counted live over every idea of the challenge: the page uses ideas.counts.count_rows (cached),
    and the tests compare it with this."""
    in_challenge = and_(Idea.challenge_id == challenge.id, visible_idea_clause(user))
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
               Idea.withdrawn_at.is_(None), public_idea_clause())
        .options(lazyload(Idea.tags))  # the list shows titles and statuses only: no statement for tags
        .order_by(Idea.supports_count.desc(), Idea.id)
        .limit(limit)
    )


def idea_with_context(idea_id: int) -> Select:
    return (
        select(Idea)
        # Inner joins for the challenge and its champion (always there): as a LEFT JOIN of "(challenges
        # JOIN users)", SQLite built that join for every challenge before picking one row (55 ms at x10).
        .options(joinedload(Idea.challenge, innerjoin=True).joinedload(Challenge.champion, innerjoin=True),
                 joinedload(Idea.author), joinedload(Idea.group))
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
            public_idea_clause(),
            Challenge.status.in_(("open", "reviewing", "decided")),
            visible_challenge_clause(user),
        )
        .order_by(Idea.created_at, Idea.id)
    )
    if champion_only:
        stmt = stmt.where(Challenge.champion_id == user.id)
    return stmt

