"""Who may do what with comments. Each check is safe with an anonymous user.

Checks read `comment.challenge` and `comment.idea`: views load them with the
comment (queries.comment_with_context), and pages of threads set them to the
objects already loaded, so a check never runs a query.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from genius.challenges.permissions import can_moderate_challenge, can_view_challenge, may_participate
from genius.comments.models import EDIT_MINUTES, accepts_comments
from genius.core.models import utcnow
from genius.core.permissions import is_signed_in, is_staff
from genius.ideas.permissions import can_view_idea


def can_view_comments(user, challenge, idea=None) -> bool:
    """Whoever may see the idea (or the challenge) may read its discussion."""
    if idea is not None:
        return can_view_idea(user, idea)
    return can_view_challenge(user, challenge)


def can_view_comment(user, comment) -> bool:
    """Visible comments for whoever may read the discussion; held and hidden ones for their author and
    the challenge's moderators only (the same rule as queries.visible_comment_clause)."""
    if comment is None or not can_view_comments(user, comment.challenge, comment.idea):
        return False
    return (comment.moderation_state == "visible" or is_comment_author(user, comment)
            or can_moderate_challenge(user, comment.challenge))


def can_post_comment(user, challenge, idea=None) -> bool:
    """Signed in, email confirmed, able to see it, and the discussion is open
    (open, reviewing or decided; drafts for staff only; never archived or on a withdrawn idea)."""
    return (
        may_participate(user)
        and challenge is not None
        and can_view_comments(user, challenge, idea)
        and (idea is None or idea.moderation_state == "visible")
        and accepts_comments(challenge, idea, by_staff=is_staff(user))
    )


def can_reply_to_comment(user, comment) -> bool:
    """As for posting, to a comment that is still there (a deleted one is only a placeholder) and public."""
    return comment is not None and not comment.is_deleted and comment.moderation_state == "visible" \
        and can_post_comment(user, comment.challenge, comment.idea)


def is_comment_author(user, comment) -> bool:
    return is_signed_in(user) and comment is not None and comment.author_id == user.id


def edit_deadline(comment) -> datetime:
    return comment.created_at + timedelta(minutes=EDIT_MINUTES)


def can_edit_comment(user, comment, now: datetime | None = None) -> bool:
    """The author, within 15 minutes of posting, while they could still post there."""
    return (
        is_comment_author(user, comment)
        and not comment.is_deleted
        and comment.moderation_state != "hidden"
        and (now or utcnow()) < edit_deadline(comment)
        and can_post_comment(user, comment.challenge, comment.idea)
    )


def can_delete_comment(user, comment) -> bool:
    """The author, at any time, while they can still see it (archived discussions too: it is their text)."""
    return is_comment_author(user, comment) and not comment.is_deleted and can_view_comment(user, comment)

