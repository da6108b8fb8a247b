from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from genius.core.models import Base, TimestampMixin


class Role(str, enum.Enum):
    RESIDENT = "resident"
    STAFF = "staff"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"resident": "Resident", "staff": "Council staff", "moderator": "Moderator", "admin": "Administrator"}[
            self.value
        ]


ROLE_VALUES = tuple(r.value for r in Role)
# Who counts as council staff for staff-only content: moderators and admins are
# trusted council roles too.
STAFF_ROLES = frozenset({Role.STAFF.value, Role.MODERATOR.value, Role.ADMIN.value})


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLE_VALUES!r}", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.RESIDENT.value, server_default=Role.RESIDENT.value)
    # How the role was granted: "domain" (confirmed council email), "admin", "cli".
    role_granted_by: Mapped[str | None] = mapped_column(String(20))
    email_confirmed_at: Mapped[datetime | None]
    bio: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The bio's sanitised HTML, made by core.text.render_markdown when it is saved.
    bio_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    organisation: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # Bumped on sign-out, password change and suspension: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    last_sign_in_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Moderation (issue 5): a suspension ends by itself at suspended_until; a ban lasts until lifted.
    suspended_until: Mapped[datetime | None]
    suspension_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    banned_at: Mapped[datetime | None]
    ban_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Privacy: whether the network view shows this person's name (residents opt in;
    # council staff roles start opted in and may opt out).
    show_in_network: Mapped[bool] = mapped_column(default=False, server_default=false())

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    # Flask-Login: the id carries the session version, so old cookies stop matching.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.deleted_at is None

    @property
    def is_suspended(self) -> bool:
        from genius.core.models import utcnow

        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_banned(self) -> bool:
        return self.banned_at is not None

    @property
    def is_restricted(self) -> bool:
        """Suspended or banned: cannot sign in, post, comment, support or report."""
        return self.is_banned or self.is_suspended

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR.value, Role.ADMIN.value)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

