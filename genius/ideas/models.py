from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genius.accounts.models import User
from genius.challenges.models import Challenge, ChallengeTag
from genius.core.models import MODERATION_STATES, Base, ModeratedMixin, TimestampMixin, utcnow  # noqa: F401 - re-exported
from genius.groups.models import Group


class IdeaStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    UNDER_CONSIDERATION = "under_consideration"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    NOT_TAKEN_FORWARD = "not_taken_forward"

    @property
    def label(self) -> str:
        return {
            "submitted": "Submitted",
            "under_consideration": "Under consideration",
            "shortlisted": "Shortlisted",
            "selected": "Selected",
            "in_progress": "In progress (pilot)",
            "implemented": "Implemented",
            "not_taken_forward": "Not taken forward",
        }[self.value]

    @property
    def tag_colour(self) -> str:
        return {
            "submitted": "grey",
            "under_consideration": "blue",
            "shortlisted": "light-blue",
            "selected": "green",
            "in_progress": "turquoise",
            "implemented": "green",
            "not_taken_forward": "orange",
        }[self.value]


# Moderation (issue 5): only "visible" content is public; "held" waits for a moderator, "hidden" was taken down.
# Only moderation.services writes the column; the database refuses any other value (core.models.ModeratedMixin).
IDEA_STATUS_VALUES = tuple(s.value for s in IdeaStatus)

idea_tags = Table(
    "idea_tags",
    Base.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("challenge_tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Idea(ModeratedMixin, TimestampMixin, Base):
    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint(f"status IN {IDEA_STATUS_VALUES!r}", name="status_known"),
        CheckConstraint("supports_count >= 0", name="supports_count_not_negative"),
        CheckConstraint("comments_count >= 0", name="comments_count_not_negative"),
        # One index per sort of the challenge page, each ending in id for a stable order.
        Index("ix_ideas_challenge_created", "challenge_id", "created_at", "id"),
        Index("ix_ideas_challenge_supports", "challenge_id", "supports_count", "id"),
        Index("ix_ideas_challenge_comments", "challenge_id", "comments_count", "id"),
        Index("ix_ideas_challenge_trending", "challenge_id", "trending_supports", "supports_count", "id"),
        Index("ix_ideas_challenge_activity", "challenge_id", "last_activity_at", "id"),
        Index("ix_ideas_challenge_status", "challenge_id", "status", "created_at"),
        Index("ix_ideas_challenge_area", "challenge_id", "area"),
        Index("ix_ideas_challenge_responded", "challenge_id", "first_response_at", "created_at"),
        # Only what waits for or was taken down by a moderator: a full index would tempt the planner to
        # walk every visible idea of the site in date order instead of one challenge's ideas.
        Index("ix_ideas_moderation_state", "moderation_state", "created_at", sqlite_where=text("moderation_state <> 'visible'"),
              postgresql_where=text("moderation_state <> 'visible'")),
        Index("ix_ideas_group_created", "group_id", "created_at", "id"),
        # For the foreign key's ON DELETE SET NULL: only the few duplicates, not every idea.
        Index("ix_ideas_duplicate_of", "duplicate_of_id", sqlite_where=text("duplicate_of_id IS NOT NULL"),
              postgresql_where=text("duplicate_of_id IS NOT NULL")),
        # A person's ideas, and theirs in one challenge: the filter counts of their own held and hidden
        # ideas (genius.ideas.counts) find them here, not by walking the challenge's ideas.
        Index("ix_ideas_author_challenge", "author_id", "challenge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[str | None] = mapped_column(String(80))
    # The author's name is hidden from everyone but moderators and admins.
    anonymous: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(30), default=IdeaStatus.SUBMITTED.value, server_default="submitted")
    withdrawn_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    supports_count: Mapped[int] = mapped_column(default=0, server_default="0")
    comments_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Supports given in the TRENDING_DAYS before the last refresh (genius.ideas.trending): the trending
    # sort reads it from an index instead of counting every idea's recent supports per request.
    trending_supports: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set when the author accepts that this idea duplicates another (always in the same challenge, so both
    # go together if the challenge is deleted; the duplicates service checks it): it then takes no new supports.
    # Should the other idea ever be deleted on its own, this one stops pointing at it and stands alone again.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    # Proposed on behalf of a group the author actively belongs to.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))

    challenge: Mapped[Challenge] = relationship()
    author: Mapped[User] = relationship()
    group: Mapped[Group | None] = relationship()
    tags: Mapped[list[ChallengeTag]] = relationship(secondary=idea_tags, lazy="selectin", order_by=ChallengeTag.name)

    @property
    def status_enum(self) -> IdeaStatus:
        return IdeaStatus(self.status)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class IdeaStatusChange(Base):
    """The public status trail: each entry is an official response."""

    __tablename__ = "idea_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    message_source: Mapped[str] = mapped_column(Text)
    message_html: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by: Mapped[User] = relationship(lazy="joined")

    @property
    def to_status_enum(self) -> IdeaStatus:
        return IdeaStatus(self.to_status)


class Support(Base):
    """One person's support for one idea (the supports issue adds casting them)."""

    __tablename__ = "supports"
    __table_args__ = (
        UniqueConstraint("idea_id", "user_id"),
        Index("ix_supports_idea_created", "idea_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
