"""The stored counters that moderation moves: challenges.ideas_count, ideas.comments_count and
challenges.comments_count (comments on the challenge itself) count what the public can see.

A comment counts when it is visible, not deleted, and neither its parent nor its thread's first comment
is held or hidden: the page shows a thread only under a comment it shows, so replies under a hidden
comment disappear with it (a deleted comment stays as a placeholder and keeps its replies). Threads are
at most three deep (comments.models.MAX_DEPTH), so the parent and the root are all the ancestors.
`comments.queries.counted()` and `genius recount` (maintenance.COUNTERS) count by the same rule.

Counters move in SQL, by the difference, in the transaction of the change, so concurrent posts add up.
"""

from __future__ import annotations

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from genius.challenges.models import Challenge
from genius.comments.models import Comment
from genius.core.models import MODERATION_STATES
from genius.extensions import db
from genius.ideas.models import Idea

VISIBLE = MODERATION_STATES[0]


def _moved(column, by: int):
    # Never below zero: a counter that drifted must not turn an action into an error (`genius recount` repairs it).
    return column + by if by > 0 else case((column + by < 0, 0), else_=column + by)


def ancestors_public(comment: Comment) -> bool:
    """Whether the comment's parent and thread root (those it has) are both visible."""
    above = {comment.parent_id, comment.root_id} - {None}
    if not above:
        return True
    return not db.session.scalar(select(exists().where(Comment.id.in_(above), Comment.moderation_state != VISIBLE)))


def is_counted(comment: Comment) -> bool:
    """Whether the stored counter counts this comment now (one query for a reply, none for a top-level one)."""
    return comment.moderation_state == VISIBLE and comment.deleted_at is None and ancestors_public(comment)


def branch_count_if_visible(comment: Comment) -> int:
    """How many comments the public would see in this comment's branch (itself and the replies under it)
    if the comment itself were visible: what its counter gains when it goes up or loses when it comes down.
    The comment's own state is left out, so this is the same before and after its change."""
    above = aliased(Comment)
    hidden_above = exists().where(above.id.in_((Comment.parent_id, Comment.root_id)), above.id != comment.id,
                                  above.moderation_state != VISIBLE)
    if comment.parent_id is None:  # a thread: every reply carries its id in root_id
        branch = or_(Comment.id == comment.id, Comment.root_id == comment.id)
    else:  # a reply: the replies under it (root_id first, for the index)
        branch = or_(Comment.id == comment.id,
                     and_(Comment.root_id == comment.root_id, Comment.parent_id == comment.id))
    return db.session.scalar(
        select(func.count()).select_from(Comment)
        .where(branch, Comment.deleted_at.is_(None), or_(Comment.id == comment.id, Comment.moderation_state == VISIBLE),
               ~hidden_above))


def count_change(target, old: str, new: str) -> None:
    """Move the counters for an idea or comment going from state `old` to `new` (before or after the
    attribute changes: the target's own stored state is not read)."""
    by = (new == VISIBLE) - (old == VISIBLE)
    if not by:
        return
    if isinstance(target, Idea):
        db.session.execute(update(Challenge).where(Challenge.id == target.challenge_id)
                           .values(ideas_count=_moved(Challenge.ideas_count, by))
                           .execution_options(synchronize_session=False))
        return
    by *= branch_count_if_visible(target)
    if not by:
        return
    if target.idea_id is not None:
        db.session.execute(update(Idea).where(Idea.id == target.idea_id)
                           .values(comments_count=_moved(Idea.comments_count, by))
                           .execution_options(synchronize_session=False))
    else:
        db.session.execute(update(Challenge).where(Challenge.id == target.challenge_id)
                           .values(comments_count=_moved(Challenge.comments_count, by))
                           .execution_options(synchronize_session=False))
