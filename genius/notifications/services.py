"""Follows and notifications: written in the same transaction as their event.

Emails are sent later, after commit, by `genius notifications send` (see
genius/notifications/delivery.py), so a failed send never undoes the event and
is retried on the next run.
"""

from __future__ import annotations

from functools import cache
from typing import Iterable

from flask_login import AnonymousUserMixin
from sqlalchemy import ColumnElement, Integer, Select, String, bindparam, delete, exists, func, insert, select, update

from genius.accounts.models import STAFF_ROLES, User
from genius.core.database import inserted, insert_ignore, insert_ignore_from_statement
from genius.core.models import utcnow
from genius.extensions import db
from genius.notifications.models import Follow, FollowTarget, Notification, NotificationKind, NotificationSettings

AUTO_FOLLOW_SETTING = {
    "post": "follow_what_i_post",
    "support": "follow_what_i_support",
    "comment": "follow_what_i_comment_on",
}


# Settings

def settings_for(user_id: int) -> NotificationSettings:
    """The person's settings, or the defaults (not saved) if they never changed them."""
    found = db.session.get(NotificationSettings, user_id)
    if found is not None:
        return found
    return NotificationSettings(user_id=user_id, email_frequency="daily", follow_what_i_post=True,
                                follow_what_i_support=True, follow_what_i_comment_on=True)


def save_settings(user_id: int, **values) -> NotificationSettings:
    """Insert-or-update in SQL: two tabs saving at once, or the digest sender stamping
    last_digest_at, never collide on the primary key."""
    insert_ignore(NotificationSettings.__table__, {"user_id": user_id})
    if values:
        db.session.execute(update(NotificationSettings).where(NotificationSettings.user_id == user_id).values(**values))
    return db.session.get(NotificationSettings, user_id, populate_existing=True)


# Follows

def follow(user_id: int, kind: FollowTarget | str, target_id: int) -> bool:
    return insert_ignore(Follow.__table__, {
        "user_id": user_id, "target_kind": FollowTarget(kind).value, "target_id": target_id, "created_at": utcnow(),
    })


def unfollow(user_id: int, kind: FollowTarget | str, target_id: int) -> bool:
    result = db.session.execute(delete(Follow).where(
        Follow.user_id == user_id, Follow.target_kind == FollowTarget(kind).value, Follow.target_id == target_id))
    return result.rowcount == 1


def one_with_following(stmt: Select, kind: FollowTarget | str, target, reader_id: int | None) -> tuple | None:
    """The one object `stmt` loads (a challenge or an idea, for its page) and whether the reader follows it,
    in the same statement: (object, following), or None when there is no such row. No reader: not following."""
    following = [follows(reader_id, kind, target).label("following")] if reader_id else []
    row = db.session.execute(stmt.add_columns(*following)).unique().one_or_none()
    return None if row is None else (row[0], bool(reader_id and row.following))


def follows(user_id: int, kind: FollowTarget | str, target) -> ColumnElement[bool]:
    """Whether the person follows the target: a column, so that the statement loading a challenge or an
    idea for its page also says whether the reader follows it (`target` may be its id column)."""
    return exists().where(Follow.user_id == user_id, Follow.target_kind == FollowTarget(kind).value,
                          Follow.target_id == target)


def auto_follow(user_id: int, kind: FollowTarget | str, target_id: int, reason: str) -> bool:
    """People follow what they post, support or comment on, unless they switched that off.

    One statement (it runs on every support): the follow goes in unless the person's saved settings
    say no or they already follow it. Most people never save settings, and the defaults say yes.
    """
    return inserted(_auto_follow(db.session.get_bind().dialect.name, reason),
                    auto_follow_values(user_id, kind, target_id, utcnow()))


@cache
def _auto_follow(dialect: str, reason: str):
    """Built once per database and reason, with bound parameters (see supports/queries.py)."""
    return insert_ignore_from_statement(dialect, Follow.__table__, AUTO_FOLLOW_COLUMNS, auto_follow_row(reason))


AUTO_FOLLOW_COLUMNS = ["user_id", "target_kind", "target_id", "created_at"]


def auto_follow_row(reason: str) -> Select:
    """The follow that `reason` makes, as a SELECT of AUTO_FOLLOW_COLUMNS, or no row when the person's saved
    settings say no. Its values are the bound parameters follower, followed_kind, followed_id and
    followed_at (bound parameters may not take the names of the columns they fill). A support on
    PostgreSQL inserts it in the same statement as the support (supports/services.py)."""
    settings = NotificationSettings.__table__
    user_id = bindparam("follower", type_=Integer)
    switched_off = (select(settings.c.user_id)
                    .where(settings.c.user_id == user_id, settings.c[AUTO_FOLLOW_SETTING[reason]].is_(False)))
    wanted = select(user_id, bindparam("followed_kind", type_=String), bindparam("followed_id", type_=Integer),
                    bindparam("followed_at", type_=Follow.__table__.c.created_at.type))
    return wanted.where(~switched_off.exists())


def auto_follow_values(user_id: int, kind: FollowTarget | str, target_id: int, now) -> dict:
    return {"follower": user_id, "followed_kind": FollowTarget(kind).value, "followed_id": target_id,
            "followed_at": now}


def follower_ids(kind: FollowTarget | str, target_id: int) -> list[int]:
    return list(db.session.scalars(select(Follow.user_id).where(
        Follow.target_kind == FollowTarget(kind).value, Follow.target_id == target_id)))


# Notifications

def _may_see(user_ids: Iterable[int], challenge) -> list[int]:
    """Keep only the people who may see the challenge (staff-only ones reach staff only)."""
    from genius.challenges.permissions import can_view_challenge

    ids = sorted(set(user_ids))
    if not ids or challenge is None or can_view_challenge(AnonymousUserMixin(), challenge):
        return ids
    return list(db.session.scalars(select(User.id).where(User.id.in_(ids), User.role.in_(STAFF_ROLES))))


def notify(user_ids: Iterable[int], kind: NotificationKind, title: str, *, message: str = "", actor_id: int | None = None,
           challenge=None, idea_id: int | None = None, comment_id: int | None = None) -> int:
    """Create one notification per recipient (never the actor); returns how many."""
    recipients = [uid for uid in _may_see(user_ids, challenge) if uid != actor_id]
    if not recipients:
        return 0
    now = utcnow()
    db.session.execute(insert(Notification), [
        {
            "user_id": uid, "kind": kind.value, "title": title[:300], "message": message, "actor_id": actor_id,
            "challenge_id": challenge.id if challenge is not None else None, "idea_id": idea_id,
            "comment_id": comment_id, "created_at": now, "email_state": "pending", "email_attempts": 0,
        }
        for uid in recipients
    ])
    return len(recipients)


def unread_count(user_id: int) -> int:
    """Every unread row. Pages show queries.unread_count(user) instead, which leaves out
    challenges the reader can no longer see."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)))


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount
