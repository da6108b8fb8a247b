"""Comment writes: post, reply, edit, delete, recount. Flush, never commit.

The stored counters (ideas.comments_count, and challenges.comments_count for
comments on the challenge itself) move in SQL in the same transaction as the
change, so concurrent posts add up. Deleted comments are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, select, update

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.comments import queries
from genius.comments.models import EDIT_MINUTES, MAX_BODY, MAX_DEPTH, Comment, accepts_comments
from genius.core.models import utcnow
from genius.core.text import render_markdown
from genius.extensions import db
from genius.ideas.models import Idea
from genius.notifications import events


class CommentError(ValueError):
    """A change the rules do not allow; the message says what to do."""


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise CommentError("Enter your comment")
    if len(body) > MAX_BODY:
        raise CommentError(f"Comment must be {MAX_BODY:,} characters or fewer")
    return body


def _moved(column, by: int):
    # Never below zero: a counter that drifted must not turn a deletion into an error (`genius recount` repairs it).
    return column + by if by > 0 else case((column + by < 0, 0), else_=column + by)


def _move_counter(challenge_id: int, idea_id: int | None, by: int, now: datetime) -> None:
    if idea_id is not None:
        db.session.execute(
            update(Idea).where(Idea.id == idea_id)
            .values(comments_count=_moved(Idea.comments_count, by), **({"last_activity_at": now} if by > 0 else {}))
            .execution_options(synchronize_session=False)
        )
    else:
        db.session.execute(
            update(Challenge).where(Challenge.id == challenge_id)
            .values(comments_count=_moved(Challenge.comments_count, by))
            .execution_options(synchronize_session=False)
        )


def post_comment(author: User, challenge: Challenge, idea: Idea | None, body: str,
                 reply_to: Comment | None = None) -> Comment:
    """A comment on the idea (or, idea None, on the challenge), or a reply to `reply_to`.

    A reply to a comment at the deepest level (a reply to a reply) joins the same
    conversation: it is stored at that level, under the same parent, and the
    person replied to is the one told.
    """
    if idea is not None and idea.challenge_id != challenge.id:
        raise CommentError("This idea belongs to another challenge")
    if not accepts_comments(challenge, idea, by_staff=author.is_staff):
        raise CommentError("This discussion is closed")
    body = _clean_body(body)
    parent_id = root_id = None
    depth = 0
    if reply_to is not None:
        same_target = reply_to.challenge_id == challenge.id and reply_to.idea_id == (idea.id if idea else None)
        if not same_target:
            raise CommentError("You can only reply to a comment in the same discussion")
        if reply_to.is_deleted:
            raise CommentError("This comment was deleted, so you cannot reply to it")
        if reply_to.depth >= MAX_DEPTH:
            parent_id, depth = reply_to.parent_id, MAX_DEPTH
        else:
            parent_id, depth = reply_to.id, reply_to.depth + 1
        root_id = reply_to.root_id or reply_to.id
    now = utcnow()
    comment = Comment(
        challenge_id=challenge.id,
        idea_id=idea.id if idea is not None else None,
        parent_id=parent_id,
        root_id=root_id,
        depth=depth,
        author_id=author.id,
        body_source=body,
        body_html=render_markdown(body),
        is_official=bool(author.is_staff),
        created_at=now,
        updated_at=now,
    )
    from genius.moderation import services as moderation
    from genius.moderation.counters import ancestors_public

    reason = moderation.hold_reason(author, challenge, "comment", body, now)
    db.session.add(comment)
    if reason:
        # Held for a moderator: not counted, nobody told, until approved (moderation.services.approve).
        db.session.flush()
        moderation.hold(comment, reason)
        return comment
    if ancestors_public(comment):  # a moderator's reply under a hidden comment is not public
        _move_counter(challenge.id, comment.idea_id, +1, now)
    db.session.flush()
    events.comment_posted(comment, challenge, idea, reply_to.author_id if reply_to is not None else None)
    return comment


def edit_comment(comment: Comment, body: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    if comment.is_deleted:
        raise CommentError("This comment was deleted")
    if now >= comment.created_at + timedelta(minutes=EDIT_MINUTES):
        raise CommentError(f"You can only edit a comment in the {EDIT_MINUTES} minutes after posting it")
    body = _clean_body(body)
    comment.body_source = body
    comment.body_html = render_markdown(body)
    comment.edited_at = now
    db.session.flush()


def delete_comment(comment: Comment) -> None:
    """The row stays as a placeholder, so replies keep their place; the text goes."""
    if comment.is_deleted:
        raise CommentError("This comment has already been deleted")
    from genius.moderation.counters import is_counted

    counted = is_counted(comment)  # held and hidden ones, and replies under them, never were
    comment.deleted_at = utcnow()
    comment.body_source = ""
    comment.body_html = ""
    if counted:
        _move_counter(comment.challenge_id, comment.idea_id, -1, comment.deleted_at)
    db.session.flush()


@dataclass
class CountFix:
    kind: str  # "idea" or "challenge"
    id: int
    stored: int
    actual: int


def recount_comments() -> list[CountFix]:
    """Set every stored comment counter to its live count (for `genius recount`); returns what changed."""
    fixes: list[CountFix] = []
    by_idea = dict(db.session.execute(queries.live_counts_by_idea()).all())
    for idea_id, stored in db.session.execute(select(Idea.id, Idea.comments_count)).all():
        actual = by_idea.get(idea_id, 0)
        if stored != actual:
            fixes.append(CountFix("idea", idea_id, stored, actual))
            db.session.execute(update(Idea).where(Idea.id == idea_id).values(comments_count=actual)
                               .execution_options(synchronize_session=False))
    by_challenge = dict(db.session.execute(queries.live_counts_by_challenge()).all())
    for challenge_id, stored in db.session.execute(select(Challenge.id, Challenge.comments_count)).all():
        actual = by_challenge.get(challenge_id, 0)
        if stored != actual:
            fixes.append(CountFix("challenge", challenge_id, stored, actual))
            db.session.execute(update(Challenge).where(Challenge.id == challenge_id).values(comments_count=actual)
                               .execution_options(synchronize_session=False))
    db.session.flush()
    return fixes
