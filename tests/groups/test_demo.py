"""Groups in the demo data: the small `make run` demo (through the real services) and the scaled one."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.demo import load_demo
from genius.demodata import SCALES, load_scale
from genius.extensions import db
from genius.groups.models import Group, Membership
from genius.ideas.models import Idea
from genius.maintenance import recount


def test_the_small_demo_has_groups_a_proposal_and_a_request(app):
    assert load_demo(echo=lambda _: None)
    names = dict(db.session.execute(select(Group.name, Group.status)).all())
    assert names["Transport team"] == "approved" and names["Holgate Parents' Forum"] == "proposed"
    assert db.session.scalar(select(func.count()).where(Membership.state == "requested")) == 1
    assert db.session.scalar(select(func.count()).where(Idea.group_id.is_not(None))) == 1
    assert db.session.scalar(select(func.count()).where(Challenge.owner_group_id.is_not(None))) == 1
    assert recount(apply=False).changes == []


def test_the_scaled_demo_has_groups_that_follow_the_rules(app):
    load_scale("small", seed=5, now=datetime.now(timezone.utc))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Group)) == SCALES["small"].groups
    assert recount(apply=False).changes == [], "members_count agrees with the memberships"
    # Every idea on behalf of a group: its author is an active member of that (approved) group.
    stray = db.session.scalar(
        select(func.count()).select_from(Idea)
        .outerjoin(Membership, (Membership.group_id == Idea.group_id) & (Membership.user_id == Idea.author_id)
                   & (Membership.state == "active"))
        .where(Idea.group_id.is_not(None), Membership.id.is_(None)))
    assert stray == 0
    assert db.session.scalar(select(func.count()).where(Idea.group_id.is_not(None), Idea.anonymous.is_(True))) == 0
    owners = db.session.scalars(select(Group.kind).join(Challenge, Challenge.owner_group_id == Group.id)).all()
    assert set(owners) <= {"council_team"}
    # Every group has a lead; staff show their names in the network view, residents only some.
    leaderless = db.session.scalar(select(func.count()).select_from(Group).where(~Group.id.in_(
        select(Membership.group_id).where(Membership.role == "lead", Membership.state == "active"))))
    assert leaderless == 0
    shown: dict[bool, list[bool]] = {True: [], False: []}
    for role, choice in db.session.execute(select(User.role, User.show_in_network)):
        shown[role == "resident"].append(choice)
    assert all(shown[False]) and 0.2 < sum(shown[True]) / len(shown[True]) < 0.6
