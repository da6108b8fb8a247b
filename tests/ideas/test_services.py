"""Idea services: propose (stored counter in the same transaction), edit, withdraw, and official
responses (the trail, the first response moment, the challenge's median days to it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from challenges.factories import assert_inert, count_rows, days_ago
from genius.challenges.models import Challenge
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import services
from genius.ideas.models import Idea, IdeaStatusChange


def idea_data(**overrides) -> services.IdeaData:
    values = dict(title=" Bike racks ", summary=" At every school ", description="Use **steel** hoops.")
    values.update(overrides)
    return services.IdeaData(**values)


def stored_count(challenge) -> int:
    db.session.expire_all()
    return db.session.get(Challenge, challenge.id).ideas_count


def test_propose_stores_the_idea_and_moves_the_counter_in_the_same_transaction(cast, make_challenge):
    challenge = make_challenge("open", tags=("transport", "schools"))
    transport = next(t for t in challenge.tags if t.name == "transport")
    idea = services.propose_idea(challenge, cast("resident"),
                                 idea_data(tag_ids=[transport.id], area="Acomb", anonymous=True))
    db.session.rollback()  # a failure later in the request: neither the idea nor the count stays
    assert count_rows(Idea) == 0 and stored_count(challenge) == 0

    idea = services.propose_idea(challenge, cast("resident"), idea_data(tag_ids=[transport.id], area="Acomb"))
    db.session.commit()
    db.session.expire_all()
    idea = db.session.get(Idea, idea.id)
    assert (idea.title, idea.summary, idea.status, idea.area) == ("Bike racks", "At every school", "submitted", "Acomb")
    assert idea.description_source == "Use **steel** hoops."
    assert "<strong>steel</strong>" in idea.description_html
    assert [t.name for t in idea.tags] == ["transport"]
    assert idea.edited_at is None and idea.withdrawn_at is None and idea.first_response_at is None
    assert stored_count(challenge) == 1
    services.propose_idea(challenge, cast("author"), idea_data(title="Another"))
    db.session.commit()
    assert stored_count(challenge) == 2 == count_rows(Idea)


@pytest.mark.parametrize("overrides, message", [
    (dict(tag_ids=[999999]), "tags"),
    (dict(area="Atlantis"), "area"),
])
def test_propose_refuses_unknown_tags_and_areas(cast, make_challenge, overrides, message):
    challenge = make_challenge("open")
    with pytest.raises(services.IdeaError, match=message):
        services.propose_idea(challenge, cast("resident"), idea_data(**overrides))
    db.session.rollback()
    assert count_rows(Idea) == 0 and stored_count(challenge) == 0


def test_tags_of_another_challenge_are_unknown(cast, make_challenge):
    other = make_challenge("open", tags=("secret",))
    challenge = make_challenge("open")
    with pytest.raises(services.IdeaError):
        services.propose_idea(challenge, cast("resident"), idea_data(tag_ids=[other.tags[0].id]))


@pytest.mark.parametrize("state", ["draft", "not_yet_open", "closed_for_ideas", "reviewing", "decided", "archived"])
def test_propose_refused_unless_the_challenge_takes_ideas(cast, make_challenge, state):
    challenge = make_challenge(state)
    with pytest.raises(services.IdeaError):
        services.propose_idea(challenge, cast("resident"), idea_data())
    db.session.rollback()
    assert count_rows(Idea) == 0


def test_edit_sets_edited_at_and_rerenders(make_challenge, make_idea):
    idea = make_idea(make_challenge("open"), description="old", created_at=days_ago(2))
    before = utcnow()
    services.edit_idea(idea, idea_data(title="New title", description="new <b>bold</b> *em*"))
    db.session.commit()
    idea = db.session.get(Idea, idea.id)
    assert idea.title == "New title" and idea.description_source == "new <b>bold</b> *em*"
    assert "<em>em</em>" in idea.description_html and "<b>" not in idea.description_html
    assert before <= idea.edited_at <= utcnow() and idea.last_activity_at == idea.edited_at
    assert idea.created_at < before


def test_withdraw_keeps_the_idea_marked_withdrawn(make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    services.withdraw_idea(idea)
    db.session.commit()
    idea = db.session.get(Idea, idea.id)
    assert idea.is_withdrawn and idea.withdrawn_at <= utcnow()
    assert count_rows(Idea) == 1 and stored_count(challenge) == 1, "withdrawn ideas stay and are still counted"
    with pytest.raises(services.IdeaError):
        services.withdraw_idea(idea)


def test_respond_records_the_trail_and_the_first_response_once(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"), created_at=days_ago(4))
    champion, admin = cast("champion"), cast("admin")
    first = services.respond(idea, champion, "under_consideration", "We are looking at **costs**.")
    db.session.commit()
    first_at = db.session.get(Idea, idea.id).first_response_at
    assert first_at == first.created_at
    second = services.respond(idea, admin, "selected", "Selected for a pilot <script>x</script>")
    db.session.commit()
    idea = db.session.get(Idea, idea.id)
    assert idea.status == "selected" and idea.first_response_at == first_at
    trail = db.session.scalars(select(IdeaStatusChange).where(IdeaStatusChange.idea_id == idea.id)
                               .order_by(IdeaStatusChange.id)).all()
    assert [(c.from_status, c.to_status, c.changed_by_id) for c in trail] == [
        ("submitted", "under_consideration", champion.id), ("under_consideration", "selected", admin.id)]
    assert trail[0].message_source == "We are looking at **costs**."
    assert "<strong>costs</strong>" in trail[0].message_html
    assert_inert(second.message_html)
    assert idea.last_activity_at == second.created_at


def test_respond_needs_a_message_and_a_known_status(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    with pytest.raises(services.IdeaError):
        services.respond(idea, cast("champion"), "selected", "  ")
    with pytest.raises(ValueError):
        services.respond(idea, cast("champion"), "approved", "Yes")
    db.session.rollback()
    assert count_rows(IdeaStatusChange) == 0


def test_median_days_to_first_response(cast, make_challenge, make_idea):
    challenge = make_challenge("reviewing")
    ideas = [make_idea(challenge, title=f"Idea {n}", created_at=days_ago(n)) for n in (1, 3, 10)]
    waiting = make_idea(challenge, title="Unanswered", created_at=days_ago(20))
    assert waiting.first_response_at is None
    for expected_count, idea in enumerate(ideas, start=1):
        services.respond(idea, cast("champion"), "under_consideration", "Thanks, we are looking at it.")
        db.session.commit()
        assert db.session.get(Challenge, challenge.id).responded_count == expected_count
    assert db.session.get(Challenge, challenge.id).median_response_days == 3.0
    # A later response to an answered idea changes neither the median nor the count.
    services.respond(ideas[2], cast("champion"), "selected", "Selected.")
    db.session.commit()
    stored = db.session.get(Challenge, challenge.id)
    assert (stored.median_response_days, stored.responded_count) == (3.0, 3)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(cast, make_challenge, make_idea):
    challenge = make_challenge("open")
    for n in (1, 2):
        services.respond(make_idea(challenge, title=f"Idea {n}", created_at=days_ago(n)), cast("champion"), "shortlisted", "Shortlisted.")
        db.session.commit()
    assert db.session.get(Challenge, challenge.id).median_response_days == 1.5


def test_first_response_time_is_measured_from_posting(cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"), created_at=utcnow() - timedelta(hours=36))
    services.respond(idea, cast("champion"), "shortlisted", "Shortlisted.")
    db.session.commit()
    assert db.session.get(Challenge, idea.challenge_id).median_response_days == 1.5
