from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genius.accounts.models import User
from genius.core.models import Base, utcnow

MAX_NAME = 120
MAX_DESCRIPTION = 5000
GROUPS_PER_PAGE = 20
MEMBERS_PER_PAGE = 50


class GroupKind(str, enum.Enum):
    COUNCIL_TEAM = "council_team"
    COMMUNITY_GROUP = "community_group"
    VOLUNTARY_ORGANISATION = "voluntary_organisation"
    BUSINESS = "business"
    SCHOOL_OR_UNIVERSITY = "school_or_university"
    PARTNERSHIP = "partnership"

    @property
    def label(self) -> str:
        return {
            "council_team": "Council team",
            "community_group": "Community group",
            "voluntary_organisation": "Voluntary organisation",
            "business": "Business",
            "school_or_university": "School, college or university",
            "partnership": "Partnership",
        }[self.value]


class GroupStatus(str, enum.Enum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class MemberRole(str, enum.Enum):
    LEAD = "lead"
    MEMBER = "member"


class MemberState(str, enum.Enum):
    ACTIVE = "active"
    REQUESTED = "requested"


KIND_VALUES = tuple(k.value for k in GroupKind)
GROUP_STATUS_VALUES = tuple(s.value for s in GroupStatus)
MEMBER_ROLE_VALUES = tuple(r.value for r in MemberRole)
MEMBER_STATE_VALUES = tuple(s.value for s in MemberState)


class Group(Base):
    """A group people belong to. Council teams are created by staff and approved at once;
    other kinds are proposed by confirmed people and approved (or rejected) by an admin."""

    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint(f"kind IN {KIND_VALUES!r}", name="kind_known"),
        CheckConstraint(f"status IN {GROUP_STATUS_VALUES!r}", name="status_known"),
        CheckConstraint("members_count >= 0", name="members_count_not_negative"),
        # The index page: approved groups, optionally of one kind, by name.
        Index("ix_groups_status_kind_name", "status", "kind", "name"),
        Index("ix_groups_status_name", "status", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Open groups: anyone confirmed joins at once. Closed: people ask, a lead accepts.
    is_open: Mapped[bool] = mapped_column(default=True, server_default=true())
    status: Mapped[str] = mapped_column(String(10), default=GroupStatus.PROPOSED.value, server_default="proposed")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]
    # Stored counter of active memberships, kept in step by the group services.
    members_count: Mapped[int] = mapped_column(default=0, server_default="0")

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    @property
    def kind_enum(self) -> GroupKind:
        return GroupKind(self.kind)

    @property
    def is_approved(self) -> bool:
        return self.status == GroupStatus.APPROVED.value

    @property
    def is_council_team(self) -> bool:
        return self.kind == GroupKind.COUNCIL_TEAM.value


class Membership(Base):
    """One person in one group: an active member or lead, or a request to join a closed group."""

    __tablename__ = "group_memberships"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        CheckConstraint(f"role IN {MEMBER_ROLE_VALUES!r}", name="role_known"),
        CheckConstraint(f"state IN {MEMBER_STATE_VALUES!r}", name="state_known"),
        Index("ix_group_memberships_user_state", "user_id", "state"),
        Index("ix_group_memberships_group_state_role", "group_id", "state", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10), default=MemberRole.MEMBER.value, server_default="member")
    state: Mapped[str] = mapped_column(String(10), default=MemberState.ACTIVE.value, server_default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_at: Mapped[datetime | None]

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_lead(self) -> bool:
        return self.role == MemberRole.LEAD.value and self.state == MemberState.ACTIVE.value

    @property
    def is_active(self) -> bool:
        return self.state == MemberState.ACTIVE.value
