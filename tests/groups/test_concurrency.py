"""Counters and the last-lead rule under concurrent requests, on PostgreSQL (SECURITY.md 17's pattern):
many people joining and leaving at once, double clicks, and two leads leaving together."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from conftest import TEST_DB
from genius.extensions import db
from genius.groups import services
from genius.groups.models import Group, Membership
from genius.accounts.models import User
from groups.support import member_count, stored_count
from supports.test_concurrency import THREADS, crowd_app, people, run_threads  # noqa: F401 - fixture

pytestmark = pytest.mark.skipif(
    TEST_DB != "postgresql",
    reason="SQLite runs one writer at a time, so there is no concurrent write path to race; "
           "this test runs with GENIUS_TEST_DB=postgresql",
)


def _group_and_membership(group_id: int, user_id: int):
    group = db.session.get(Group, group_id)
    membership = db.session.scalar(select(Membership).where(Membership.group_id == group_id,
                                                            Membership.user_id == user_id))
    return group, membership


def test_many_joins_double_clicks_and_leaves_keep_members_count_exact(crowd_app, make_group):
    group_id = make_group().id
    users = people(THREADS)
    rng = random.Random(5)
    # Everyone joins (some twice, as a double click would), then a random half leave.
    jobs = []
    for user_id in users:
        for _ in range(1 + (rng.random() < 0.3)):
            def join(user_id=user_id):
                services.join_group(db.session.get(Group, group_id), db.session.get(User, user_id))
                db.session.commit()
            jobs.append(join)
    _, errors = run_threads(crowd_app, jobs[:THREADS])
    assert errors == []
    _, errors = run_threads(crowd_app, jobs[THREADS:] or [lambda: None])
    assert errors == []
    assert stored_count(group_id) == member_count(group_id) == THREADS + 1
    leaving = rng.sample(users, THREADS // 2)

    def leave(user_id):
        group, membership = _group_and_membership(group_id, user_id)
        services.leave_group(group, membership)
        db.session.commit()

    _, errors = run_threads(crowd_app, [lambda u=u: leave(u) for u in leaving])
    assert errors == []
    assert stored_count(group_id) == member_count(group_id) == THREADS + 1 - len(leaving)


def test_two_leads_leaving_at_once_leave_one_lead(crowd_app, make_group, make_user, cast):
    second = make_user()
    group = make_group(members=[second, make_user()])
    db.session.execute(Membership.__table__.update().where(Membership.user_id == second.id).values(role="lead"))
    db.session.commit()
    group_id, leads = group.id, [cast("lead").id, second.id]

    def leave(user_id):
        group, membership = _group_and_membership(group_id, user_id)
        services.leave_group(group, membership)
        db.session.commit()

    _, errors = run_threads(crowd_app, [lambda u=u: leave(u) for u in leads])
    assert len(errors) == 1 and isinstance(errors[0], services.GroupError)
    db.session.rollback()
    remaining = db.session.scalars(select(Membership.role).where(Membership.group_id == group_id)).all()
    assert remaining.count("lead") == 1
    assert stored_count(group_id) == member_count(group_id) == 2
