"""Read-only select() builders for comment threads.

A page of threads costs two statements whatever its size: the page of top-level
comments with their total (threads.ThreadPage), then every reply of those threads
in one query by `root_id`. Authors are joined into both.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import aliased, joinedload

from genius.challenges.models import Challenge
from genius.comments.models import Comment
from genius.core.permissions import is_moderator, is_signed_in, is_staff
from genius.ideas.models import Idea


def visible_comment_clause(user) -> ColumnElement[bool]:
    """Comments a reader may see apart from deletion and their target's visibility; the same rule as
    permissions.can_view_comment: visible ones, plus their own held or hidden ones, plus everything for
    moderators (and for a champion, inside their challenges)."""
    if is_moderator(user):
        return true()
    if not is_signed_in(user):
        return Comment.moderation_state == "visible"
    mine = or_(Comment.moderation_state == "visible", Comment.author_id == user.id)
    if is_staff(user):
        return or_(mine, Comment.challenge_id.in_(select(Challenge.id).where(Challenge.champion_id == user.id)))
    return mine


def counted() -> ColumnElement[bool]:
    """The comments the stored counters count: visible to everyone, not deleted, and not under a held or
    hidden parent or thread root (the page shows no replies under those; see moderation.counters)."""
    above = aliased(Comment)
    hidden_above = exists().where(above.id.in_((Comment.parent_id, Comment.root_id)), above.moderation_state != "visible")
    return and_(Comment.moderation_state == "visible", Comment.deleted_at.is_(None), ~hidden_above)


def on_target(challenge_id: int, idea_id: int | None) -> ColumnElement[bool]:
    """Comments on this idea, or on the challenge itself when idea_id is None."""
    if idea_id is not None:
        return Comment.idea_id == idea_id
    return and_(Comment.challenge_id == challenge_id, Comment.idea_id.is_(None))


def _ids(challenge: Challenge, idea: Idea | None) -> tuple[int, int | None]:
    return challenge.id, (idea.id if idea is not None else None)


def threads(challenge: Challenge, idea: Idea | None, user=None) -> Select:
    """Top-level comments the reader may see, oldest first (the order permalinks count pages in)."""
    return (
        select(Comment)
        .options(joinedload(Comment.author))
        .where(on_target(*_ids(challenge, idea)), Comment.parent_id.is_(None), visible_comment_clause(user))
        .order_by(Comment.created_at, Comment.id)
    )


def replies(root_ids: list[int], user=None) -> Select:
    return (
        select(Comment)
        .options(joinedload(Comment.author))
        .where(Comment.root_id.in_(root_ids), visible_comment_clause(user))
        .order_by(Comment.created_at, Comment.id)
    )


def threads_before(root: Comment, user=None) -> Select:
    """How many threads come before this top-level comment on its page of threads."""
    return (
        select(func.count())
        .select_from(Comment)
        .where(
            on_target(root.challenge_id, root.idea_id),
            Comment.parent_id.is_(None),
            visible_comment_clause(user),
            or_(Comment.created_at < root.created_at, and_(Comment.created_at == root.created_at, Comment.id < root.id)),
        )
    )


def comment_with_context(comment_id: int) -> Select:
    """A comment with what every permission check reads: its challenge (and champion), idea, author.

    Inner joins for the challenge and its champion (both always there): as a LEFT JOIN of
    "(challenges JOIN users)", SQLite built that join for every challenge before picking one row."""
    return (
        select(Comment)
        .options(
            joinedload(Comment.author),
            joinedload(Comment.challenge, innerjoin=True).joinedload(Challenge.champion, innerjoin=True),
            joinedload(Comment.idea),
        )
        .where(Comment.id == comment_id)
    )


def live_count(challenge: Challenge, idea: Idea | None) -> Select:
    """What the stored counter should say: comments on the target that are not deleted."""
    return select(func.count()).select_from(Comment).where(on_target(*_ids(challenge, idea)), counted())


def live_counts_by_idea() -> Select:
    """(idea_id, comments not deleted) for every idea with any."""
    return (
        select(Comment.idea_id, func.count())
        .where(Comment.idea_id.is_not(None), counted())
        .group_by(Comment.idea_id)
    )


def live_counts_by_challenge() -> Select:
    """(challenge_id, comments on the challenge itself not deleted)."""
    return (
        select(Comment.challenge_id, func.count())
        .where(Comment.idea_id.is_(None), counted())
        .group_by(Comment.challenge_id)
    )
