"""Challenge services: create and update (Markdown rendered and sanitised once, source kept),
the lifecycle with its record of who moved it and when, and the closing moment without a scheduler."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from challenges.factories import assert_inert, count_rows
from genius.challenges import services
from genius.challenges.models import Challenge, ChallengeStatusChange, ChallengeTag
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import services as idea_services
from genius.ideas.models import Idea, idea_tags

BACKGROUND = "## Context\n\n**Bold** text with <script>alert(1)</script> and [a link](https://example.org) and [x](javascript:alert(1))"


def data(champion, **overrides) -> services.ChallengeData:
    values = dict(title="  Cleaner air  ", summary="Fewer fumes near schools", background=BACKGROUND,
                  champion_id=champion.id, opens_on=date(2030, 7, 1), closes_on=date(2030, 7, 31),
                  tags=["transport", "Schools"], next_steps="A panel meets in *August*.", prize_note="£5,000")
    values.update(overrides)
    return services.ChallengeData(**values)


def test_create_renders_and_sanitises_markdown_once_and_keeps_the_source(cast):
    champion, creator = cast("champion"), cast("creator")
    challenge = services.create_challenge(data(champion), creator)
    db.session.commit()
    stored = db.session.get(Challenge, challenge.id)
    assert stored.title == "Cleaner air"
    assert stored.background_source == BACKGROUND
    assert '<h2 class="govuk-heading-m">Context</h2>' in stored.background_html
    assert "<strong>Bold</strong>" in stored.background_html
    assert 'href="https://example.org"' in stored.background_html and 'rel="nofollow ugc noopener"' in stored.background_html
    assert_inert(stored.background_html)
    assert "&lt;script&gt;" in stored.background_html, "raw HTML is shown as text"
    assert stored.next_steps_html.strip() == '<p class="govuk-body">A panel meets in <em>August</em>.</p>'
    assert stored.status == "draft" and stored.ideas_count == 0
    assert stored.tag_names == ["Schools", "transport"]


def test_dates_are_whole_local_days_stored_in_utc(cast):
    challenge = services.create_challenge(data(cast("champion")), cast("creator"))
    # 1 July 2030 starts at midnight in London (BST, UTC+1); 31 July ends at the next midnight.
    assert challenge.opens_at == datetime(2030, 6, 30, 23, 0, tzinfo=timezone.utc)
    assert challenge.closes_at == datetime(2030, 7, 31, 23, 0, tzinfo=timezone.utc)
    winter = services.create_challenge(data(cast("champion"), opens_on=date(2030, 1, 6), closes_on=date(2030, 1, 6)),
                                       cast("creator"))
    assert (winter.opens_at, winter.closes_at) == (datetime(2030, 1, 6, tzinfo=timezone.utc),
                                                   datetime(2030, 1, 7, tzinfo=timezone.utc))


def test_creation_is_recorded_with_who_and_when(cast):
    before = utcnow()
    challenge = services.create_challenge(data(cast("champion")), cast("creator"))
    db.session.commit()
    [change] = db.session.scalars(select(ChallengeStatusChange).where(ChallengeStatusChange.challenge_id == challenge.id))
    assert (change.from_status, change.to_status, change.changed_by_id) == (None, "draft", cast("creator").id)
    assert before <= change.created_at <= utcnow()


@pytest.mark.parametrize("role", ["resident", "unconfirmed", "author"])
def test_champion_must_be_staff(cast, role):
    with pytest.raises(services.ChallengeError, match="member of staff"):
        services.create_challenge(data(cast(role)), cast("creator"))
    db.session.rollback()
    assert count_rows(Challenge) == 0


def test_unknown_champion_is_refused(cast):
    with pytest.raises(services.ChallengeError):
        services.create_challenge(data(cast("champion"), champion_id=987654), cast("creator"))


def test_update_rerenders_keeps_source_and_renames_or_drops_tags(cast, make_challenge, make_idea):
    challenge = make_challenge(tags=("transport", "schools"))
    idea = make_idea(challenge, tags=("transport", "schools"))
    services.update_challenge(challenge, data(cast("champion"), background="New *text*", tags=["Transport", "health"]))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Challenge, challenge.id)
    assert stored.background_source == "New *text*"
    assert stored.background_html.strip() == '<p class="govuk-body">New <em>text</em></p>'
    assert stored.tag_names == ["Transport", "health"]
    idea_tag_names = db.session.scalars(
        select(ChallengeTag.name).join(idea_tags, idea_tags.c.tag_id == ChallengeTag.id).where(idea_tags.c.idea_id == idea.id)
    ).all()
    assert idea_tag_names == ["Transport"], "a renamed tag stays on ideas; a dropped one leaves them"


STATUSES = ("draft", "open", "reviewing", "decided", "archived")
ALLOWED = {("draft", "open"), ("open", "reviewing"), ("reviewing", "open"), ("reviewing", "decided"),
           ("decided", "archived")}


@pytest.mark.parametrize("old, new", [(a, b) for a in STATUSES for b in STATUSES])
def test_lifecycle_transitions(cast, make_challenge, old, new):
    challenge = make_challenge(old if old != "open" else "open")
    by = cast("champion")
    if (old, new) in ALLOWED:
        change = services.change_status(challenge, new, by, outcome="Two ideas go to a pilot.")
        db.session.commit()
        assert db.session.get(Challenge, challenge.id).status == new
        assert (change.from_status, change.to_status, change.changed_by_id) == (old, new, by.id)
    else:
        with pytest.raises(services.ChallengeError):
            services.change_status(challenge, new, by, outcome="x")
        db.session.rollback()
        assert db.session.get(Challenge, challenge.id).status == old
        assert count_rows(ChallengeStatusChange) == 1  # only the creation


def test_the_whole_lifecycle_is_recorded_with_who_and_when(cast, make_challenge):
    challenge = make_challenge("draft")
    start = utcnow()
    for status, who in [("open", "champion"), ("reviewing", "creator"), ("decided", "admin"), ("archived", "champion")]:
        services.change_status(challenge, status, cast(who), outcome="We chose two ideas.")
        db.session.commit()
    trail = db.session.scalars(select(ChallengeStatusChange).where(ChallengeStatusChange.challenge_id == challenge.id)
                               .order_by(ChallengeStatusChange.id)).all()
    assert [(c.from_status, c.to_status, c.changed_by.display_name) for c in trail[1:]] == [
        ("draft", "open", "Charlie Champion"), ("open", "reviewing", "Casey Creator"),
        ("reviewing", "decided", "Admin Person"), ("decided", "archived", "Charlie Champion"),
    ]
    assert all(start <= c.created_at <= utcnow() for c in trail[1:])


@pytest.mark.parametrize("outcome", ["", "   \n "])
def test_deciding_needs_an_outcome(cast, make_challenge, outcome):
    challenge = make_challenge("reviewing")
    with pytest.raises(services.ChallengeError, match="outcome"):
        services.change_status(challenge, "decided", cast("champion"), outcome=outcome)
    db.session.rollback()
    assert db.session.get(Challenge, challenge.id).status == "reviewing"


def test_outcome_is_sanitised_markdown_with_its_source(cast, make_challenge):
    challenge = make_challenge("reviewing")
    services.change_status(challenge, "decided", cast("champion"), outcome="**Selected**: <img src=x onerror=alert(1)>")
    assert challenge.outcome_source == "**Selected**: <img src=x onerror=alert(1)>"
    assert "<strong>Selected</strong>" in challenge.outcome_html
    assert_inert(challenge.outcome_html)


def test_closing_moment_stops_new_ideas_without_a_scheduler(cast, make_challenge):
    challenge = make_challenge("open")
    challenge.closes_at = utcnow() + timedelta(minutes=1)
    db.session.commit()
    idea_services.propose_idea(challenge, cast("resident"), idea_services.IdeaData("Before", "Just in time"))
    db.session.commit()
    challenge.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert challenge.status == "open" and not challenge.accepts_ideas()
    assert challenge.phase() == "closed for ideas"
    with pytest.raises(idea_services.IdeaError):
        idea_services.propose_idea(challenge, cast("resident"), idea_services.IdeaData("After", "Too late"))
    db.session.rollback()
    assert count_rows(Idea) == 1
    assert db.session.get(Challenge, challenge.id).ideas_count == 1


def test_opening_moment_starts_ideas(make_challenge):
    challenge = make_challenge("not_yet_open")
    assert not challenge.accepts_ideas() and challenge.phase() == "opening soon"
    challenge.opens_at = utcnow() - timedelta(seconds=1)
    assert challenge.accepts_ideas() and challenge.phase() == "open"
