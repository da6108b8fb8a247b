"""Fixtures for notification tests: the challenge tests' cast, factories and isolated
browsers, plus comments inserted as rows (the events are tested on their own)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import exists, insert, select

from challenges.factories import as_role, cast, count_statements, make_challenge, make_idea  # noqa: F401
from core.support import client, new_client  # noqa: F401 - a fresh app context per request
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.core.text import render_markdown
from genius.extensions import db
from genius.notifications import events
from genius.notifications.models import Follow, Notification, NotificationKind, NotificationSettings


@pytest.fixture
def add_comment(app):
    """`add_comment(author, challenge, idea, body, reply_to=None)`: a Comment row, and its event, committed."""

    def _add_comment(author, challenge, idea=None, body: str = "I like this.", reply_to: Comment | None = None) -> Comment:
        now = utcnow()
        comment = Comment(
            challenge_id=challenge.id, idea_id=idea.id if idea is not None else None,
            parent_id=reply_to.id if reply_to is not None else None,
            root_id=(reply_to.root_id or reply_to.id) if reply_to is not None else None,
            depth=reply_to.depth + 1 if reply_to is not None else 0,
            author_id=author.id, body_source=body, body_html=render_markdown(body), is_official=False,
            created_at=now, updated_at=now,
        )
        db.session.add(comment)
        db.session.flush()
        events.comment_posted(comment, challenge, idea, reply_to.author_id if reply_to is not None else None)
        db.session.commit()
        return comment

    return _add_comment


def add_notification(user, title="Something happened", challenge=None, idea=None, comment_id=None, minutes_ago=0,
            kind=NotificationKind.NEW_IDEA_IN_CHALLENGE, message="", read=False) -> Notification:
    """A notification row as an event would make it (pending email), committed; returns it."""
    db.session.execute(insert(Notification).values(
        user_id=user.id, kind=kind.value, title=title, message=message,
        challenge_id=challenge.id if challenge is not None else None, idea_id=idea.id if idea is not None else None,
        comment_id=comment_id, created_at=utcnow() - timedelta(minutes=minutes_ago),
        read_at=utcnow() if read else None, email_state="pending", email_attempts=0))
    db.session.commit()
    return notifications_of(user)[0]


def notifications_of(user, **filters) -> list[Notification]:
    """The person's notifications as the database has them now, newest first."""
    db.session.rollback()
    db.session.expire_all()
    stmt = select(Notification).where(Notification.user_id == user.id)
    for name, value in filters.items():
        stmt = stmt.where(getattr(Notification, name) == value)
    return list(db.session.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id.desc())))


def all_notifications() -> list[Notification]:
    db.session.rollback()
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def is_following(user_id: int, kind: str, target_id: int) -> bool:
    """Read from the table (pages read it with the challenge or idea: notifications.services.follows)."""
    return db.session.scalar(select(exists().where(Follow.user_id == user_id, Follow.target_kind == kind,
                                                   Follow.target_id == target_id)))


def follows_of(user) -> set[tuple[str, int]]:
    db.session.rollback()
    return {(f.target_kind, f.target_id) for f in db.session.scalars(select(Follow).where(Follow.user_id == user.id))}


def set_frequency(user, frequency: str, **values) -> None:
    from genius.notifications.services import save_settings

    save_settings(user.id, email_frequency=frequency, **values)
    db.session.commit()


def settings_row(user) -> NotificationSettings | None:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(NotificationSettings, user.id)
