"""Read-only select() builders for groups. Every list is bounded and paginated."""

from __future__ import annotations

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import contains_eager, lazyload

from genius.challenges.models import Challenge
from genius.challenges.queries import visible_challenge_clause
from genius.core.permissions import is_signed_in
from genius.groups.models import Group, GroupKind, GroupStatus, MemberRole, MemberState, Membership
from genius.ideas.models import Idea
from genius.ideas.queries import visible_idea_clause

CHALLENGES_ON_GROUP_PAGE = 20


def group_index(kind: str = "") -> Select:
    stmt = select(Group).where(Group.status == GroupStatus.APPROVED.value)
    if kind:
        stmt = stmt.where(Group.kind == kind)
    return stmt.order_by(Group.name, Group.id)


def kind_counts() -> Select:
    """(kind, approved groups of that kind), for the labels of the kind filter."""
    return select(Group.kind, func.count()).where(Group.status == GroupStatus.APPROVED.value).group_by(Group.kind)


def proposals() -> Select:
    """Groups waiting for an admin, oldest first, with who proposed them."""
    return (
        select(Group)
        .join(Group.created_by)
        .options(contains_eager(Group.created_by))
        .where(Group.status == GroupStatus.PROPOSED.value)
        .order_by(Group.created_at, Group.id)
    )


def group_with_membership(group_id: int, user) -> Select:
    """The group and the reader's own membership of it (None), in one statement."""
    user_id = user.id if is_signed_in(user) else -1
    return (
        select(Group, Membership)
        .outerjoin(Membership, and_(Membership.group_id == Group.id, Membership.user_id == user_id))
        .where(Group.id == group_id)
    )


def members(group: Group) -> Select:
    """Active members, leads first, then in the order they joined."""
    lead_first = case((Membership.role == MemberRole.LEAD.value, 0), else_=1)
    return (
        select(Membership)
        .join(Membership.user)
        .options(contains_eager(Membership.user))
        .where(Membership.group_id == group.id, Membership.state == MemberState.ACTIVE.value)
        .order_by(lead_first, Membership.joined_at, Membership.id)
    )


def requests(group: Group, limit: int = 50) -> Select:
    """Requests to join a closed group, oldest first (for its leads)."""
    return (
        select(Membership)
        .join(Membership.user)
        .options(contains_eager(Membership.user))
        .where(Membership.group_id == group.id, Membership.state == MemberState.REQUESTED.value)
        .order_by(Membership.created_at, Membership.id)
        .limit(limit)
    )


def leads_count(group_id: int) -> Select:
    return select(func.count()).select_from(Membership).where(
        Membership.group_id == group_id, Membership.state == MemberState.ACTIVE.value,
        Membership.role == MemberRole.LEAD.value,
    )


def ideas_for_group(user, group: Group) -> Select:
    """Ideas proposed on behalf of the group that this reader may see, newest first."""
    return (
        select(Idea)
        .join(Idea.challenge)
        .options(contains_eager(Idea.challenge).lazyload(Challenge.tags),
                 contains_eager(Idea.challenge).lazyload(Challenge.champion), lazyload(Idea.tags))
        .where(Idea.group_id == group.id, visible_idea_clause(user), visible_challenge_clause(user))
        .order_by(Idea.created_at.desc(), Idea.id.desc())
    )


def challenges_for_group(user, group: Group, limit: int = CHALLENGES_ON_GROUP_PAGE) -> Select:
    """Challenges the group (a council team) owns that this reader may see, newest first."""
    return (
        select(Challenge)
        .options(lazyload(Challenge.tags), lazyload(Challenge.champion))
        .where(Challenge.owner_group_id == group.id, visible_challenge_clause(user))
        .order_by(Challenge.opens_at.desc(), Challenge.id.desc())
        .limit(limit)
    )


def groups_of(user_id: int) -> Select:
    """Approved groups a person actively belongs to, by name (a profile, the idea form)."""
    return (
        select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user_id, Membership.state == MemberState.ACTIVE.value,
               Group.status == GroupStatus.APPROVED.value)
        .order_by(Group.name, Group.id)
    )


def council_teams() -> Select:
    return (
        select(Group)
        .where(Group.kind == GroupKind.COUNCIL_TEAM.value, Group.status == GroupStatus.APPROVED.value)
        .order_by(Group.name, Group.id)
        .limit(500)
    )


def name_taken(name: str, except_id: int | None = None) -> Select:
    stmt = select(func.count()).select_from(Group).where(func.lower(Group.name) == name.lower())
    if except_id is not None:
        stmt = stmt.where(Group.id != except_id)
    return stmt


def live_member_counts() -> Select:
    """(group_id, active memberships) for every group with any: what members_count should say."""
    return (
        select(Membership.group_id, func.count())
        .where(Membership.state == MemberState.ACTIVE.value)
        .group_by(Membership.group_id)
    )
