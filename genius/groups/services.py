"""Group writes: create or propose, approve or reject, join, leave, accept, decline, make lead.
Flush, never commit: the view commits once. members_count moves in SQL in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from genius.accounts.models import User
from genius.core.database import insert_ignore
from genius.core.models import utcnow
from genius.core.text import render_markdown
from genius.extensions import db
from genius.groups import permissions, queries
from genius.groups.models import (
    KIND_VALUES,
    MAX_DESCRIPTION,
    MAX_NAME,
    Group,
    GroupKind,
    GroupStatus,
    MemberRole,
    MemberState,
    Membership,
)


class GroupError(ValueError):
    """A change the rules do not allow; the message says what to do."""


@dataclass
class GroupData:
    name: str
    kind: str
    description: str = ""
    is_open: bool = True


def _counter(group_id: int, change: int) -> None:
    db.session.execute(update(Group).where(Group.id == group_id).values(members_count=Group.members_count + change))


def _check(data: GroupData, except_id: int | None = None) -> str:
    name = " ".join((data.name or "").split())
    if not name:
        raise GroupError("Enter the group's name")
    if len(name) > MAX_NAME:
        raise GroupError(f"The name must be {MAX_NAME} characters or fewer")
    if len(data.description or "") > MAX_DESCRIPTION:
        raise GroupError(f"The description must be {MAX_DESCRIPTION:,} characters or fewer")
    if data.kind not in KIND_VALUES:
        raise GroupError("Choose what kind of group it is")
    if db.session.scalar(queries.name_taken(name, except_id)):
        raise GroupError(f"There is already a group called ‘{name}’. Choose another name, or find it and join it")
    return name


def create_group(by: User, data: GroupData) -> Group:
    """Staff create council teams (approved at once); confirmed people propose other kinds for an
    admin to approve (an admin's own are approved at once). The creator is the first lead."""
    if not permissions.can_propose_group(by):
        raise GroupError("Confirm your email address before you propose a group")
    if data.kind == GroupKind.COUNCIL_TEAM.value and not permissions.can_create_council_team(by):
        raise GroupError("Only council staff can create council teams. Choose another kind of group")
    name = _check(data)
    now = utcnow()
    at_once = permissions.approved_at_once(by, data.kind)
    group = Group(
        name=name, kind=data.kind, description=data.description or "",
        description_html=render_markdown(data.description or ""), is_open=bool(data.is_open),
        status=GroupStatus.APPROVED.value if at_once else GroupStatus.PROPOSED.value,
        created_by_id=by.id, created_at=now, approved_at=now if at_once else None, members_count=1,
    )
    try:
        with db.session.begin_nested():
            db.session.add(group)
            db.session.flush()
    except IntegrityError:
        # Two people chose the same name at the same moment: the UNIQUE constraint settles it.
        raise GroupError(f"There is already a group called ‘{name}’. Choose another name") from None
    db.session.add(Membership(group_id=group.id, user_id=by.id, role=MemberRole.LEAD.value,
                              state=MemberState.ACTIVE.value, created_at=now, joined_at=now))
    db.session.flush()
    return group


def edit_group(group: Group, data: GroupData, by: User) -> None:
    if data.kind != group.kind:
        if GroupKind.COUNCIL_TEAM.value in (data.kind, group.kind) and not permissions.can_create_council_team(by):
            raise GroupError("Only council staff can make a group a council team, or change a council team's kind")
    group.name = _check(data, except_id=group.id)
    group.kind = data.kind
    group.description = data.description or ""
    group.description_html = render_markdown(data.description or "")
    group.is_open = bool(data.is_open)
    db.session.flush()


def approve_group(group: Group) -> None:
    if group.status != GroupStatus.PROPOSED.value:
        raise GroupError("This group has already been reviewed")
    group.status = GroupStatus.APPROVED.value
    group.approved_at = utcnow()
    db.session.flush()


def reject_group(group: Group) -> None:
    if group.status != GroupStatus.PROPOSED.value:
        raise GroupError("This group has already been reviewed")
    group.status = GroupStatus.REJECTED.value
    db.session.flush()


def join_group(group: Group, user: User) -> Membership:
    """Open group: an active member at once. Closed group: a request for a lead to accept.
    A second click (or a race) changes nothing: the UNIQUE (group, person) row settles it."""
    if group.status != GroupStatus.APPROVED.value:
        raise GroupError("You can join a group once it has been approved")
    now = utcnow()
    state = MemberState.ACTIVE.value if group.is_open else MemberState.REQUESTED.value
    inserted = insert_ignore(Membership.__table__, dict(
        group_id=group.id, user_id=user.id, role=MemberRole.MEMBER.value, state=state, created_at=now,
        joined_at=now if state == MemberState.ACTIVE.value else None,
    ))
    if inserted and state == MemberState.ACTIVE.value:
        _counter(group.id, +1)
    db.session.flush()
    return db.session.scalar(select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id))


def leave_group(group: Group, membership: Membership) -> None:
    """Leave (or withdraw a request). The last lead cannot leave: they make another member a lead first."""
    if permissions.is_lead(membership):
        # Two leads leaving at once must not both see the other still there: take the group's row first
        # (PostgreSQL row lock; SQLite has one writer at a time anyway).
        db.session.execute(select(Group.id).where(Group.id == group.id).with_for_update())
    if permissions.is_lead(membership) and db.session.scalar(queries.leads_count(group.id)) <= 1:
        raise GroupError("You are the group's only lead. Make another member a lead before you leave")
    removed = db.session.execute(
        delete(Membership).where(Membership.id == membership.id).returning(Membership.state)
    ).scalar()
    if removed == MemberState.ACTIVE.value:
        _counter(group.id, -1)
    db.session.flush()


def _request(group: Group, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.group_id != group.id:
        raise GroupError("That request is no longer there. It may have been withdrawn or answered already")
    return membership


def accept_request(group: Group, membership_id: int) -> Membership:
    membership = _request(group, membership_id)
    if membership.state != MemberState.REQUESTED.value:
        raise GroupError("That person is already a member")
    # Only the request that is still a request moves: two leads clicking at once count once.
    moved = db.session.execute(
        update(Membership)
        .where(Membership.id == membership.id, Membership.state == MemberState.REQUESTED.value)
        .values(state=MemberState.ACTIVE.value, joined_at=utcnow())
        .returning(Membership.id)
    ).first()
    if moved:
        _counter(group.id, +1)
    db.session.flush()
    db.session.refresh(membership)
    return membership


def decline_request(group: Group, membership_id: int) -> None:
    membership = _request(group, membership_id)
    if membership.state != MemberState.REQUESTED.value:
        raise GroupError("That person is already a member. They can leave the group themselves")
    db.session.execute(delete(Membership).where(Membership.id == membership.id,
                                                Membership.state == MemberState.REQUESTED.value))
    db.session.flush()


def make_lead(group: Group, membership_id: int) -> Membership:
    membership = _request(group, membership_id)
    if membership.state != MemberState.ACTIVE.value:
        raise GroupError("Accept their request first: only members can be leads")
    if membership.role == MemberRole.LEAD.value:
        raise GroupError("That person is already a lead")
    membership.role = MemberRole.LEAD.value
    db.session.flush()
    return membership


def active_group_for(user_id: int, group_id: int | None, keep_id: int | None = None) -> int | None:
    """The group an idea is proposed on behalf of: one the author actively belongs to (approved),
    or the idea's current group (kept when editing even if they have since left)."""
    if not group_id:
        return None
    if keep_id is not None and group_id == keep_id:
        return group_id
    mine = {g.id for g in db.session.scalars(queries.groups_of(user_id))}
    if group_id not in mine:
        raise GroupError("Choose one of your groups, or ‘Just me’")
    return group_id


def council_team_id(group_id: int | None) -> int | None:
    """The council team that owns a challenge: an approved group of kind council team."""
    if not group_id:
        return None
    group = db.session.get(Group, group_id)
    if group is None or not group.is_council_team or not group.is_approved:
        raise GroupError("Choose a council team from the list")
    return group.id
