"""Group factories: plain fixtures returning callables. Every factory commits (each request runs in
its own session), and keeps members_count true, so counter tests compare with COUNT(*)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from challenges.world import NAME_OF, ROLE_OF
from genius.core.models import utcnow
from genius.core.text import render_markdown
from genius.extensions import db
from genius.groups.models import Group, Membership

# "lead" leads the test's group; "member" is an ordinary member of it; "outsider" is a resident in no group.
GROUP_ROLE_OF = {**ROLE_OF, "lead": "resident", "member": "resident", "outsider": "resident"}
ROLES = ("anonymous", "unconfirmed", "resident", "staff", "moderator", "admin", "lead", "member")


@pytest.fixture
def cast(make_user):
    made: dict[str, object] = {}

    def _cast(role: str):
        if role == "anonymous":
            return None
        if role not in made:
            made[role] = make_user(role=GROUP_ROLE_OF[role], confirmed=role != "unconfirmed",
                                   email=f"{role}@example.com", name=NAME_OF.get(role, f"{role.title()} Person"))
        return made[role]

    return _cast


@pytest.fixture
def make_group(app, cast):
    """`make_group(kind=..., status=..., is_open=..., lead=user, members=[users], requests=[users])`."""
    counter = {"n": 0}

    def _make_group(name: str | None = None, kind: str = "community_group", status: str = "approved",
                    is_open: bool = True, lead=None, members=(), requests=(), description: str = "We meet on Tuesdays.",
                    creator=None):
        counter["n"] += 1
        lead = lead or cast("lead")
        now = utcnow()
        group = Group(name=name or f"Test group {counter['n']}", kind=kind, status=status, is_open=is_open,
                      description=description, description_html=render_markdown(description),
                      created_by_id=(creator or lead).id, created_at=now,
                      approved_at=now if status == "approved" else None, members_count=0)
        db.session.add(group)
        db.session.flush()
        rows = [Membership(group_id=group.id, user_id=lead.id, role="lead", state="active", created_at=now, joined_at=now)]
        rows += [Membership(group_id=group.id, user_id=u.id, role="member", state="active", created_at=now, joined_at=now)
                 for u in members]
        rows += [Membership(group_id=group.id, user_id=u.id, role="member", state="requested", created_at=now)
                 for u in requests]
        db.session.add_all(rows)
        group.members_count = 1 + len(members)
        db.session.commit()
        return group

    return _make_group


def member_count(group_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.group_id == group_id, Membership.state == "active"))


def stored_count(group_id: int) -> int:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Group, group_id).members_count


def membership_of(group_id: int, user_id: int) -> Membership | None:
    db.session.rollback()
    return db.session.scalar(select(Membership).where(Membership.group_id == group_id, Membership.user_id == user_id))
