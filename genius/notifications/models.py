from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genius.accounts.models import User
from genius.core.models import Base, utcnow


class FollowTarget(str, enum.Enum):
    CHALLENGE = "challenge"
    IDEA = "idea"


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_kind", "target_id"),
        CheckConstraint("target_kind IN ('challenge', 'idea')", name="target_kind_known"),
        Index("ix_follows_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailFrequency(str, enum.Enum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {
            "immediately": "As soon as something happens",
            "daily": "A daily summary",
            "weekly": "A weekly summary",
            "never": "Never: I will look on the site",
        }[self.value]


FREQUENCY_VALUES = tuple(f.value for f in EmailFrequency)


class NotificationSettings(Base):
    """One row per person who changed a setting or was emailed; defaults otherwise."""

    __tablename__ = "notification_settings"
    __table_args__ = (CheckConstraint(f"email_frequency IN {FREQUENCY_VALUES!r}", name="frequency_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_frequency: Mapped[str] = mapped_column(String(20), default=EmailFrequency.DAILY.value, server_default="daily")
    follow_what_i_post: Mapped[bool] = mapped_column(default=True, server_default=true())
    follow_what_i_support: Mapped[bool] = mapped_column(default=True, server_default=true())
    follow_what_i_comment_on: Mapped[bool] = mapped_column(default=True, server_default=true())
    last_digest_at: Mapped[datetime | None]


class NotificationKind(str, enum.Enum):
    COMMENT_ON_YOUR_IDEA = "comment_on_your_idea"
    REPLY_TO_YOUR_COMMENT = "reply_to_your_comment"
    IDEA_STATUS_CHANGED = "idea_status_changed"
    NEW_IDEA_IN_CHALLENGE = "new_idea_in_challenge"
    CHALLENGE_OPENED = "challenge_opened"
    CHALLENGE_CLOSED = "challenge_closed"
    CHALLENGE_DECIDED = "challenge_decided"
    MODERATION_OUTCOME = "moderation_outcome"


KIND_VALUES = tuple(k.value for k in NotificationKind)
EMAIL_STATES = ("pending", "sent", "skipped")


class Notification(Base):
    """Made in the same transaction as its event; emailed after commit by the sender."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(f"kind IN {KIND_VALUES!r}", name="kind_known"),
        CheckConstraint(f"email_state IN {EMAIL_STATES!r}", name="email_state_known"),
        Index("ix_notifications_user_unread", "user_id", "read_at", "created_at"),
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        Index("ix_notifications_email_queue", "email_state", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    # Plain text, written when the event happens (a status change carries its public message).
    title: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    email_state: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    emailed_at: Mapped[datetime | None]
    email_attempts: Mapped[int] = mapped_column(default=0, server_default="0")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
