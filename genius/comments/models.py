from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genius.accounts.models import User
from genius.challenges.models import Challenge, ChallengeStatus
from genius.core.models import Base, ModeratedMixin, TimestampMixin
from genius.ideas.models import Idea

MAX_DEPTH = 2  # a comment, a reply, a reply to the reply
MAX_BODY = 5000
EDIT_MINUTES = 15
# Top-level comments per page, each with all its replies: at 50, the busiest idea at x10 showed about 100
# comments on its first page (three times the small site's busiest), and rendering them was most of the page.
THREADS_PER_PAGE = 20
# Comments stay open after a challenge stops taking ideas, until it is archived.
OPEN_STATUSES = (ChallengeStatus.OPEN.value, ChallengeStatus.REVIEWING.value, ChallengeStatus.DECIDED.value)


def accepts_comments(challenge: Challenge, idea: Idea | None = None, by_staff: bool = False) -> bool:
    """The state rule, apart from who is asking: open, reviewing or decided (drafts for staff only);
    never archived, never on a withdrawn idea."""
    if idea is not None and idea.is_withdrawn:
        return False
    if challenge.status == ChallengeStatus.DRAFT.value:
        return by_staff
    return challenge.status in OPEN_STATUSES


class Comment(ModeratedMixin, TimestampMixin, Base):
    """A comment on an idea, or (idea_id empty) on a challenge.

    Threads: a top-level comment has no parent and no root; every reply carries
    the id of its thread's top-level comment in `root_id`, so a page of threads
    loads with two queries whatever its size.
    """

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(f"depth >= 0 AND depth <= {MAX_DEPTH}", name="depth_in_range"),
        Index("ix_comments_idea_threads", "idea_id", "parent_id", "created_at", "id"),
        Index("ix_comments_challenge_threads", "challenge_id", "idea_id", "parent_id", "created_at", "id"),
        Index("ix_comments_root_created", "root_id", "created_at", "id"),
        # A person's comments newest first, for their profile (people/feed.py).
        Index("ix_comments_author_created", "author_id", "created_at", "id"),
        # Partial, as on ideas: only held and hidden comments, for the queue.
        Index("ix_comments_moderation_state", "moderation_state", "created_at", sqlite_where=text("moderation_state <> 'visible'"),
              postgresql_where=text("moderation_state <> 'visible'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    depth: Mapped[int] = mapped_column(default=0, server_default="0")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Marked when council staff comment: their answers are official.
    is_official: Mapped[bool] = mapped_column(default=False, server_default=false())
    edited_at: Mapped[datetime | None]
    # Deleted by the author: the row stays as a "comment deleted" placeholder so the thread holds.
    deleted_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    # Read-only: pages set these to the objects they already loaded, so no query runs per comment.
    challenge: Mapped[Challenge] = relationship(viewonly=True)
    idea: Mapped[Idea | None] = relationship(viewonly=True)

    @property
    def thread_id(self) -> int:
        """The id of the thread's top-level comment (the comment itself when top-level)."""
        return self.root_id or self.id

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

