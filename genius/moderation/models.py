"""Moderation rows: reports, the audit log, duplicate proposals and site settings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genius.accounts.models import User
from genius.core.models import Base, utcnow


class ReportReason(str, enum.Enum):
    SPAM = "spam"
    ABUSIVE = "abusive"
    OFF_TOPIC = "off_topic"
    PERSONAL_INFORMATION = "personal_information"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "spam": "Spam or advertising",
            "abusive": "Abusive, hateful or threatening",
            "off_topic": "Off-topic",
            "personal_information": "Shares someone's personal information",
            "other": "Something else",
        }[self.value]


class HideReason(str, enum.Enum):
    SPAM = "spam"
    ABUSIVE = "abusive"
    OFF_TOPIC = "off_topic"
    PERSONAL_INFORMATION = "personal_information"
    ILLEGAL = "illegal"
    OTHER = "other"
    REPORTS = "reports"  # set by the system when enough people report it; never chosen by a moderator

    @property
    def label(self) -> str:
        return {
            "spam": "Spam or advertising",
            "abusive": "Abusive, hateful or threatening language",
            "off_topic": "Off-topic for this challenge",
            "personal_information": "It shares someone's personal information",
            "illegal": "It may break the law",
            "other": "Another reason (explained below)",
            "reports": "Reported by several people: waiting for a moderator to review it",
        }[self.value]


REPORT_REASONS = tuple(r.value for r in ReportReason)
HIDE_REASONS = tuple(r.value for r in HideReason)
TARGET_KINDS = ("idea", "comment", "person")


class Report(Base):
    """One person's report of one idea, comment or person (once each: UNIQUE)."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("target_kind", "target_id", "reporter_id"),
        CheckConstraint(f"target_kind IN {TARGET_KINDS!r}", name="target_kind_known"),
        CheckConstraint(f"reason IN {REPORT_REASONS!r}", name="reason_known"),
        Index("ix_reports_open", "resolved_at", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    # The challenge of a reported idea or comment: champions see reports inside their challenges.
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a moderator decides (dismissed, hidden, approved, restored).
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(String(20), default="", server_default="")

    reporter: Mapped[User] = relationship()

    @property
    def reason_enum(self) -> ReportReason:
        return ReportReason(self.reason)


class ModerationAction(Base):
    """The audit log: every moderation action, who, what, when, why, and the content before and after.

    Append-only: no route edits or deletes it, and database triggers (made by the
    migration) refuse UPDATE and DELETE on both SQLite and PostgreSQL.
    """

    __tablename__ = "moderation_log"
    __table_args__ = (
        Index("ix_moderation_log_created", "created_at", "id"),
        Index("ix_moderation_log_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty for actions the site takes by itself (hidden after N reports, held by a rule).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    challenge_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(30), default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    before: Mapped[str] = mapped_column(Text, default="", server_default="")  # JSON
    after: Mapped[str] = mapped_column(Text, default="", server_default="")  # JSON
    # When the item started waiting (held or first reported): for the time-to-decision figures.
    queued_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()


DUPLICATE_STATES = ("proposed", "accepted", "declined")


class DuplicateProposal(Base):
    """"This idea duplicates that one": proposed by a moderator or the author, decided by the author."""

    __tablename__ = "duplicate_proposals"
    __table_args__ = (CheckConstraint(f"state IN {DUPLICATE_STATES!r}", name="state_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    duplicate_of_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    state: Mapped[str] = mapped_column(String(10), default="proposed", server_default="proposed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    proposed_by: Mapped[User] = relationship()


class SiteSetting(Base):
    """Key/value site settings that admins change on /admin/settings (defaults in moderation.settings)."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
