"""Helpers for network tests: groups, memberships, comments, supports, and a small world with every case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import update

from genius.accounts.models import User
from genius.comments import services as comments
from genius.core.models import utcnow
from genius.extensions import db
from genius.groups.models import Group, Membership
from genius.ideas.models import Support


@pytest.fixture
def make_group(app, cast):
    def _make_group(name: str, kind: str = "community_group", status: str = "approved", members=(), leads=(),
                    requested=()) -> Group:
        group = Group(name=name, kind=kind, status=status, is_open=True, description="", description_html="",
                      created_by_id=cast("creator").id, approved_at=utcnow() if status == "approved" else None)
        db.session.add(group)
        db.session.flush()
        for person in leads:
            db.session.add(Membership(group_id=group.id, user_id=person.id, role="lead", state="active", joined_at=utcnow()))
        for person in members:
            db.session.add(Membership(group_id=group.id, user_id=person.id, role="member", state="active", joined_at=utcnow()))
        for person in requested:
            db.session.add(Membership(group_id=group.id, user_id=person.id, role="member", state="requested"))
        group.members_count = len(leads) + len(members)
        db.session.commit()
        return group

    return _make_group


def comment(author, idea, body: str = "I can help with this.", at: datetime | None = None):
    made = comments.post_comment(author, idea.challenge, idea, body)
    if at is not None:
        made.created_at = at
    db.session.commit()
    return made


def support(person, idea, at: datetime | None = None):
    db.session.add(Support(idea_id=idea.id, user_id=person.id, created_at=at or utcnow()))
    db.session.commit()


def show(person, shown: bool = True) -> None:
    db.session.execute(update(User).where(User.id == person.id).values(show_in_network=shown))
    db.session.commit()


@pytest.fixture
def network_json(app):
    def _get(client, query: str = "", status: int = 200) -> dict:
        response = client.get(f"/network/graph.json{query}")
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    return _get


@dataclass
class World:
    ann: User  # resident, shown, member of Cycle York, proposes on its behalf
    bob: User  # resident, NOT shown, member of Cycle York and the Transport team (the connector)
    cat: User  # staff, shown, member of the Transport team, author of a staff-only idea
    eve: User  # resident, shown, comments on Ann's idea; author of an anonymous idea
    dan: User  # resident, shown, deleted account, commented on Ann's idea
    sam: User  # resident, shown, only ever commented on a staff-only idea
    cycle: Group
    transport: Group
    quiet: Group  # approved, nobody in it: isolated
    proposed: Group  # not approved: never shown
    public_challenge: object
    staff_challenge: object
    idea: object  # Ann's, on behalf of Cycle York, public challenge
    staff_idea: object  # Cat's, staff-only challenge
    anonymous_idea: object  # Eve's, posted anonymously


@pytest.fixture
def world(app, make_user, make_challenge, make_idea, make_group) -> World:
    ann = make_user(name="Ann Archer")
    bob = make_user(name="Bob Private")
    cat = make_user(role="staff", name="Cat Council")
    eve = make_user(name="Eve Evans")
    dan = make_user(name="Dan Deleted")
    sam = make_user(name="Sam Staffside")
    for person in (ann, cat, eve, dan, sam):
        show(person)
    show(bob, False)
    cycle = make_group("Cycle York", members=[bob], leads=[ann])
    transport = make_group("Transport team", kind="council_team", members=[bob, cat])
    quiet = make_group("Quiet Readers")
    proposed = make_group("Proposed Club", status="proposed", leads=[eve])
    public_challenge = make_challenge("open", title="Safer streets")
    staff_challenge = make_challenge("open", audience="staff", title="Internal paperwork")
    idea = make_idea(public_challenge, author=ann, title="Bike racks", group_id=cycle.id)
    staff_idea = make_idea(staff_challenge, author=cat, title="Fewer forms")
    anonymous_idea = make_idea(public_challenge, author=eve, title="Quiet streets", anonymous=True)
    comment(eve, idea)
    comment(dan, idea)
    gone = comment(cat, idea, "A comment I took back")
    comments.delete_comment(gone)
    db.session.commit()
    support(cat, idea)
    support(ann, anonymous_idea)
    comment(ann, staff_idea)
    comment(sam, staff_idea)
    db.session.execute(update(User).where(User.id == dan.id).values(deleted_at=utcnow()))
    db.session.commit()
    return World(ann, bob, cat, eve, dan, sam, cycle, transport, quiet, proposed, public_challenge,
                 staff_challenge, idea, staff_idea, anonymous_idea)
