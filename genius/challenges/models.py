from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genius.accounts.models import User
from genius.core.models import Base, TimestampMixin, utcnow
from genius.groups.models import Group


class ChallengeStatus(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    REVIEWING = "reviewing"
    DECIDED = "decided"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Audience(str, enum.Enum):
    PUBLIC = "public"
    STAFF = "staff"
    STAFF_FIRST = "staff_first"

    @property
    def label(self) -> str:
        return {"public": "Everyone", "staff": "Council staff only", "staff_first": "Council staff first, then everyone"}[self.value]


# Lifecycle: which status may follow which (staff move challenges by hand).
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    "draft": ("open",),
    "open": ("reviewing",),
    "reviewing": ("open", "decided"),
    "decided": ("archived",),
    "archived": (),
}
STATUS_VALUES = tuple(s.value for s in ChallengeStatus)
AUDIENCE_VALUES = tuple(a.value for a in Audience)


class Challenge(TimestampMixin, Base):
    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUS_VALUES!r}", name="status_known"),
        CheckConstraint(f"audience IN {AUDIENCE_VALUES!r}", name="audience_known"),
        CheckConstraint("ideas_count >= 0", name="ideas_count_not_negative"),
        Index("ix_challenges_status_closes_at", "status", "closes_at"),
        # Every column the index page filters and orders by: it ranks all visible challenges from this
        # index alone and reads only the page's rows (the rows are wide: background, outcome...).
        Index("ix_challenges_listing", "status", "audience", "public_from", "opens_at", "closes_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(200))
    background_source: Mapped[str] = mapped_column(Text, default="")
    background_html: Mapped[str] = mapped_column(Text, default="")
    champion_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    owner_team: Mapped[str] = mapped_column(String(120), default="", server_default="")
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    next_steps_source: Mapped[str] = mapped_column(Text, default="", server_default="")
    next_steps_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    prize_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    outcome_source: Mapped[str] = mapped_column(Text, default="", server_default="")
    outcome_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default=ChallengeStatus.DRAFT.value, server_default="draft")
    audience: Mapped[str] = mapped_column(String(20), default=Audience.PUBLIC.value, server_default="public")
    # For audience "staff_first": the moment it becomes public.
    public_from: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Stored counter of ideas (withdrawn included), kept in step by the idea services.
    ideas_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Bumped in the same transaction as any change to which ideas it has or their status, area, tags,
    # withdrawal or moderation (genius.ideas.counts): the key of the cached filter counts.
    ideas_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Stored when a first official response is given: median days from posting to it.
    median_response_days: Mapped[float | None] = mapped_column(Float)
    responded_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Optional cap on supports one person may give in this challenge ("2 of 5 left").
    support_limit: Mapped[int | None]
    # Stored counter of comments on the challenge itself (questions to the champion).
    comments_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Pre-moderation (issue 5): new ideas / comments wait for a moderator before anyone else sees them.
    premoderate_ideas: Mapped[bool] = mapped_column(default=False, server_default=false())
    premoderate_comments: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The council team (a group of kind council_team) that owns the challenge.
    owner_group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)

    champion: Mapped[User] = relationship(foreign_keys=[champion_id], lazy="joined", innerjoin=True)
    owner_group: Mapped[Group | None] = relationship()
    tags: Mapped[list["ChallengeTag"]] = relationship(
        back_populates="challenge", order_by="ChallengeTag.name", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def status_enum(self) -> ChallengeStatus:
        return ChallengeStatus(self.status)

    @property
    def audience_enum(self) -> Audience:
        return Audience(self.audience)

    def accepts_ideas(self, now: datetime | None = None) -> bool:
        """Open, and between its opening and closing moments (no scheduler needed)."""
        now = now or utcnow()
        return self.status == ChallengeStatus.OPEN.value and self.opens_at <= now < self.closes_at

    def phase(self, now: datetime | None = None) -> str:
        """What a reader sees: the status, with 'open' split by the dates."""
        now = now or utcnow()
        if self.status == ChallengeStatus.OPEN.value:
            if now < self.opens_at:
                return "opening soon"
            if now >= self.closes_at:
                return "closed for ideas"
            return "open"
        return self.status

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]


class ChallengeTag(Base):
    __tablename__ = "challenge_tags"
    __table_args__ = (UniqueConstraint("challenge_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))

    challenge: Mapped[Challenge] = relationship(back_populates="tags")


class ChallengeStatusChange(Base):
    """Every lifecycle move, with who and when."""

    __tablename__ = "challenge_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by: Mapped[User] = relationship(lazy="joined")
