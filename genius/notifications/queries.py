"""Read-only select() builders for a person's notifications.

A notification about a challenge the reader can no longer see (made staff-only
later, or the reader is no longer staff) is left out everywhere: the list, the
unread count in the header, and the emails (delivery.py checks the same rule).
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select

from genius.challenges.models import Challenge
from genius.challenges.queries import public_challenge_clause
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.core.permissions import is_staff
from genius.ideas.models import Idea
from genius.notifications.models import Notification, NotificationKind


def not_about_hidden_content() -> ColumnElement[bool]:
    """Leave out notifications about an idea or comment that is held or hidden (moderation), so none
    shows text the public may not see; a moderator's message to the author is the exception."""
    return or_(
        Notification.kind == NotificationKind.MODERATION_OUTCOME.value,
        and_(
            or_(Notification.idea_id.is_(None),
                Notification.idea_id.not_in(select(Idea.id).where(Idea.moderation_state != "visible"))),
            or_(Notification.comment_id.is_(None),
                Notification.comment_id.not_in(select(Comment.id).where(Comment.moderation_state != "visible"))),
        ),
    )


def _visible_to(staff: bool, now) -> ColumnElement[bool]:
    """`now`: a time, or a bound parameter in a statement built once."""
    if staff:
        return not_about_hidden_content()
    return and_(not_about_hidden_content(), or_(
        Notification.challenge_id.is_(None),
        Notification.challenge_id.in_(select(Challenge.id).where(public_challenge_clause(now))),
    ))


def notifications_for(user) -> Select:
    """Newest first; for db.paginate."""
    return (select(Notification)
            .where(Notification.user_id == user.id, _visible_to(is_staff(user), utcnow()))
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def unread_count(user) -> Select:
    """One cheap query for the header (ix_notifications_user_unread), on every signed-in page: built once
    for staff and once for everyone else, and given the person and the time per call (building it afresh
    cost more than running it)."""
    if is_staff(user):
        return _unread_count(True).params(user_id=user.id)
    return _unread_count(False).params(user_id=user.id, now=utcnow())


@cache
def _unread_count(staff: bool) -> Select:
    now = bindparam("now", type_=Challenge.public_from.type)
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None),
                   _visible_to(staff, now)))


def deleted_comment_ids(comment_ids: set[int]) -> Select:
    """Of these comments, the ones their authors deleted: their excerpts are no longer shown."""
    return select(Comment.id).where(Comment.id.in_(comment_ids), Comment.deleted_at.is_not(None))
