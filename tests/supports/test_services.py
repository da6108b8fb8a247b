"""support_idea / withdraw_support: one support per person per idea, the stored counter moved in
SQL in the same transaction, the per-challenge limit, and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from challenges.factories import days_ago, reload
from genius.extensions import db
from genius.ideas.models import Idea
from genius.notifications.models import Follow
from genius.notifications.services import save_settings
from genius.supports import services
from genius.supports.services import SupportError
from supports.helpers import stored


def test_support_then_withdraw_moves_the_counter_with_the_row(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    resident = cast("resident")
    assert services.support_idea(resident, idea) is True
    assert idea.supports_count == 1, "the in-memory idea learns the new count"
    db.session.commit()
    assert stored(idea) == (1, 1)
    assert services.withdraw_support(resident, reload(idea)) is True
    db.session.commit()
    assert stored(idea) == (0, 0)


def test_a_second_support_or_withdrawal_changes_nothing(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    resident = cast("resident")
    assert services.support_idea(resident, idea) is True
    assert services.support_idea(resident, idea) is False
    db.session.commit()
    assert stored(idea) == (1, 1)
    idea = reload(idea)
    assert services.withdraw_support(resident, idea) is True
    assert services.withdraw_support(resident, idea) is False
    db.session.commit()
    assert stored(idea) == (0, 0), "never below zero"


def test_a_rolled_back_request_leaves_neither_the_row_nor_the_count(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    services.support_idea(cast("resident"), idea)
    db.session.rollback()
    assert stored(idea) == (0, 0)


def test_supporting_marks_activity_and_follows_the_idea(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"), created_at=days_ago(10))
    resident = cast("resident")
    services.support_idea(resident, idea)
    db.session.commit()
    fresh = reload(idea)
    assert fresh.last_activity_at > days_ago(0.01)
    assert db.session.scalar(select(Follow).where(Follow.user_id == resident.id, Follow.target_id == idea.id))


def test_no_follow_for_people_who_switched_it_off(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    resident = cast("resident")
    save_settings(resident.id, follow_what_i_support=False)
    db.session.commit()
    services.support_idea(resident, idea)
    db.session.commit()
    assert db.session.scalar(select(Follow).where(Follow.user_id == resident.id)) is None


def test_authors_may_support_their_own_idea(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"), author=cast("author"))
    assert services.support_idea(cast("author"), idea) is True


@pytest.mark.parametrize(("state", "kind"), [("closed_for_ideas", "closed"), ("reviewing", "closed"),
                                             ("decided", "closed"), ("archived", "closed"), ("not_yet_open", "not_open")])
def test_refused_unless_the_challenge_is_open(cast, make_challenge, make_idea, state, kind):
    idea = make_idea(make_challenge(state))
    for change in (services.support_idea, services.withdraw_support):
        with pytest.raises(SupportError) as refused:
            change(cast("resident"), idea)
        assert refused.value.kind == kind
    db.session.rollback()
    assert stored(idea) == (0, 0)


def test_refused_on_a_withdrawn_idea(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"), withdrawn=True)
    with pytest.raises(SupportError, match="This idea has been withdrawn"):
        services.support_idea(cast("resident"), idea)


@pytest.mark.parametrize(("role", "kind"), [("unconfirmed", "confirm"), ("anonymous", "sign_in")])
def test_refused_for_people_who_may_not_support(cast, make_challenge, make_idea, role, kind):
    idea = make_idea(make_challenge("open"))
    user = cast(role) or AnonymousUserMixin()
    with pytest.raises(SupportError) as refused:
        services.support_idea(user, idea)
    assert refused.value.kind == kind


def test_refused_on_an_idea_the_person_cannot_see(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open", audience="staff"), author=cast("staff"))
    with pytest.raises(SupportError) as refused:
        services.support_idea(cast("resident"), idea)
    assert refused.value.kind == "hidden"
    assert services.support_idea(cast("staff"), idea) is True


def test_the_limit_counts_supports_in_this_challenge_only(cast, make_challenge, make_idea):
    limited = make_challenge("open", support_limit=2)
    other = make_challenge("open", title="Cleaner air")
    ideas = [make_idea(limited, title=f"Idea {n}") for n in range(3)]
    elsewhere = make_idea(other, title="Elsewhere")
    resident = cast("resident")
    assert services.support_idea(resident, elsewhere)
    assert services.support_idea(resident, ideas[0]) and services.support_idea(resident, ideas[1])
    with pytest.raises(SupportError) as refused:
        services.support_idea(resident, ideas[2])
    assert str(refused.value) == ("You have used all 2 of your supports in this challenge. "
                                  "Withdraw one to support another idea.")
    assert refused.value.kind == "limit"
    assert services.support_idea(resident, ideas[1]) is False, "supporting again at the limit is a no-op, not an error"
    assert services.withdraw_support(resident, ideas[0])
    assert services.support_idea(resident, ideas[2]) is True
    db.session.commit()
    assert [stored(i) for i in ideas] == [(0, 0), (1, 1), (1, 1)]


def test_a_limit_of_one_says_so(cast, make_challenge, make_idea):
    challenge = make_challenge("open", support_limit=1)
    first, second = make_idea(challenge, title="First"), make_idea(challenge, title="Second")
    services.support_idea(cast("resident"), first)
    with pytest.raises(SupportError, match="^You have used your 1 support in this challenge. Withdraw it to support"):
        services.support_idea(cast("resident"), second)


def test_supports_on_a_withdrawn_idea_stop_counting_against_the_limit(cast, make_challenge, make_idea):
    """Otherwise the author withdrawing an idea would lock its supporters' supports away for good."""
    challenge = make_challenge("open", support_limit=1)
    first, second = make_idea(challenge, title="First"), make_idea(challenge, title="Second")
    resident = cast("resident")
    services.support_idea(resident, first)
    db.session.commit()
    first = reload(first)
    first.withdrawn_at = first.created_at + timedelta(minutes=1)
    db.session.commit()
    assert services.support_idea(resident, reload(second)) is True
    db.session.commit()
    assert stored(first) == (1, 1), "the withdrawn idea keeps its supports"


def test_the_counter_adds_to_what_the_database_holds_not_to_a_loaded_copy(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    assert idea.supports_count == 0  # loaded before another request moved the counter
    db.session.execute(Idea.__table__.update().where(Idea.__table__.c.id == idea.id).values(supports_count=5))
    services.support_idea(cast("resident"), idea)
    db.session.commit()
    assert stored(idea)[0] == 6
