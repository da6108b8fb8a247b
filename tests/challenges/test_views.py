"""Challenge pages end to end: the form (GOV.UK dates), the status form, the index order and
filters, the challenge page's sorts, filters and counts, the champion's dashboard."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from challenges.factories import card_titles, date_pairs, days_ago, main_of, reload, submit
from genius.challenges.models import Challenge, ChallengeStatusChange
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Support
from genius.ideas import trending

TODAY = date.today()


def challenge_form(champion, **overrides) -> list[tuple[str, str]]:
    fields = dict(title="Cleaner air near schools", summary="Fewer fumes at the school gate",
                  background="Traffic **idles** outside schools.", champion_id=str(champion.id),
                  owner_team="Public health", tags="transport, schools", audience="public",
                  next_steps="A panel meets in March.", prize_note="Up to £5,000 to pilot the idea")
    fields.update(overrides)
    opens = fields.pop("opens", TODAY - timedelta(days=1))
    closes = fields.pop("closes", TODAY + timedelta(days=30))
    return list(fields.items()) + date_pairs("opens_on", opens) + date_pairs("closes_on", closes)


def test_staff_create_a_challenge_through_the_form_and_open_it(as_role, cast):
    client, staff = as_role("creator")
    response = submit(client, "/challenges/new", challenge_form(cast("champion")))
    assert response.status_code == 302, response.get_data(as_text=True)
    challenge = db.session.scalar(select(Challenge))
    assert response.headers["Location"] == f"/challenges/{challenge.id}"
    assert (challenge.status, challenge.created_by_id, challenge.champion_id) == ("draft", staff.id, cast("champion").id)
    assert challenge.tag_names == ["schools", "transport"] and challenge.owner_team == "Public health"
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Cleaner air near schools" in page and "<strong>idles</strong>" in page and "Charlie Champion" in page
    assert "Up to £5,000 to pilot the idea" in page and "A panel meets in March." in page

    status_page = client.get(f"/challenges/{challenge.id}/status").get_data(as_text=True)
    assert 'value="open"' in status_page and 'value="decided"' not in status_page
    response = submit(client, f"/challenges/{challenge.id}/status", {"status": "open"})
    assert response.status_code == 302
    challenge = reload(challenge)
    assert challenge.status == "open" and challenge.accepts_ideas()
    history = client.get(f"/challenges/{challenge.id}/status").get_data(as_text=True)
    assert "Draft to Open" in history and "Casey Creator" in history
    anonymous_page = client.application.test_client().get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Closes in 30 days" in anonymous_page or "Closes in 31 days" in anonymous_page


def test_edit_form_shows_the_saved_values_and_saves_changes(as_role, make_challenge, cast):
    challenge = make_challenge("open", background="Keep *this* source", tags=("transport",))
    client, _ = as_role("staff")
    form = client.get(f"/challenges/{challenge.id}/edit").get_data(as_text=True)
    assert "Keep *this* source" in form and 'value="transport"' in form
    response = submit(client, f"/challenges/{challenge.id}/edit",
                      challenge_form(cast("champion"), title="Renamed", tags="transport, health"))
    assert response.status_code == 302
    assert reload(challenge).title == "Renamed" and reload(challenge).tag_names == ["health", "transport"]


def test_deciding_through_the_form_needs_an_outcome(as_role, make_challenge):
    challenge = make_challenge("reviewing")
    client, _ = as_role("champion")
    response = submit(client, f"/challenges/{challenge.id}/status", {"status": "decided", "outcome": ""})
    assert response.status_code == 400 and "Enter the outcome" in response.get_data(as_text=True)
    assert reload(challenge).status == "reviewing"
    response = submit(client, f"/challenges/{challenge.id}/status", {"status": "decided", "outcome": "Two *pilots*."})
    assert response.status_code == 302
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Outcome" in page and "Two <em>pilots</em>." in page


def test_index_order_open_closing_soonest_first_then_reviewing_decided_archived(client, make_challenge):
    now = utcnow()
    make_challenge("archived", title="Archived")
    make_challenge("decided", title="Decided")
    make_challenge("reviewing", title="Reviewing", closes_at=now - timedelta(days=3))
    make_challenge("closed_for_ideas", title="Closed for ideas", closes_at=now - timedelta(hours=1))
    make_challenge("open", title="Closes in 9 days", closes_at=now + timedelta(days=9))
    make_challenge("not_yet_open", title="Opening soon")
    make_challenge("open", title="Closes in 2 days", closes_at=now + timedelta(days=2))
    make_challenge("draft", title="Draft")
    assert card_titles(client.get("/challenges").get_data(as_text=True)) == [
        "Closes in 2 days", "Closes in 9 days", "Opening soon", "Closed for ideas", "Reviewing", "Decided", "Archived"]


@pytest.mark.parametrize("query, expected", [
    ("status=open", ["Open", "Opening soon"]),
    ("status=reviewing", ["Closed for ideas", "Reviewing"]),
    ("status=decided", ["Decided"]),
    ("status=archived", ["Archived"]),
    ("status=draft", ["Open", "Opening soon", "Closed for ideas", "Reviewing", "Decided", "Archived"]),
    ("status=nonsense", ["Open", "Opening soon", "Closed for ideas", "Reviewing", "Decided", "Archived"]),
    ("tag=health", ["Opening soon", "Decided"]),
    ("tag=health&status=decided", ["Decided"]),
    ("tag=nothing", []),
])
def test_index_filters(client, make_challenge, query, expected):
    make_challenge("open", title="Open", tags=("transport",))
    make_challenge("not_yet_open", title="Opening soon", tags=("health",))
    make_challenge("closed_for_ideas", title="Closed for ideas")
    make_challenge("reviewing", title="Reviewing", closes_at=utcnow() - timedelta(days=5))
    make_challenge("decided", title="Decided", tags=("health", "transport"))
    make_challenge("archived", title="Archived")
    make_challenge("draft", title="Draft", tags=("health",))
    page = client.get(f"/challenges?{query}").get_data(as_text=True)
    assert card_titles(page) == expected
    assert f"{len(expected)} challenge" in page


def test_staff_can_filter_drafts(as_role, make_challenge):
    make_challenge("draft", title="Draft")
    make_challenge("open", title="Open")
    client, _ = as_role("staff")
    assert card_titles(client.get("/challenges?status=draft").get_data(as_text=True)) == ["Draft"]


@pytest.fixture
def listed(make_challenge, make_idea, cast):
    """A challenge with four ideas whose order differs for every sort."""
    challenge = make_challenge("open", tags=("transport", "schools"))
    a = make_idea(challenge, title="A", created_at=days_ago(5), supports_count=10, comments_count=1,
                  last_activity_at=days_ago(4), tags=("transport",), area="Acomb", status="shortlisted")
    b = make_idea(challenge, title="B", created_at=days_ago(3), supports_count=2, comments_count=7,
                  last_activity_at=days_ago(1 / 24), tags=("schools",), area="Acomb")
    c = make_idea(challenge, title="C", created_at=days_ago(1), supports_count=5, comments_count=0,
                  last_activity_at=days_ago(2), tags=("transport", "schools"))
    d = make_idea(challenge, title="D", created_at=days_ago(4), comments_count=3, last_activity_at=days_ago(3),
                  withdrawn=True, area="Heworth")
    people = [cast(r) for r in ("resident", "unconfirmed", "staff", "moderator", "admin", "creator")]
    recent = {a: 1, b: 2, c: 3}
    old = {a: 3}
    for idea, n in recent.items():
        db.session.add_all(Support(idea_id=idea.id, user_id=p.id, created_at=days_ago(1 + i)) for i, p in enumerate(people[:n]))
    for idea, n in old.items():
        db.session.add_all(Support(idea_id=idea.id, user_id=p.id, created_at=days_ago(10 + i)) for i, p in enumerate(people[3:3 + n]))
    db.session.commit()
    trending.refresh()  # as the hourly `genius ideas refresh-trending` does
    db.session.commit()
    return challenge


@pytest.mark.parametrize("sort, expected", [
    ("newest", ["C", "B", "D", "A"]),
    ("", ["C", "B", "D", "A"]),
    ("most_supported", ["A", "C", "B", "D"]),
    ("most_discussed", ["B", "D", "A", "C"]),
    ("trending", ["C", "B", "A", "D"]),
    ("recently_updated", ["B", "C", "D", "A"]),
    ("bogus", ["C", "B", "D", "A"]),
])
def test_challenge_page_sorts(client, listed, sort, expected):
    page = client.get(f"/challenges/{listed.id}?sort={sort}")
    assert page.status_code == 200
    assert card_titles(page.get_data(as_text=True)) == expected


def test_challenge_page_filters_with_counts(client, listed):
    transport = next(t for t in listed.tags if t.name == "transport")
    base = f"/challenges/{listed.id}"
    assert card_titles(client.get(f"{base}?status=shortlisted").get_data(as_text=True)) == ["A"]
    assert card_titles(client.get(f"{base}?status=submitted").get_data(as_text=True)) == ["C", "B"]
    assert card_titles(client.get(f"{base}?status=withdrawn").get_data(as_text=True)) == ["D"]
    assert card_titles(client.get(f"{base}?tag={transport.id}").get_data(as_text=True)) == ["C", "A"]
    assert card_titles(client.get(f"{base}?area=Acomb").get_data(as_text=True)) == ["B", "A"]
    both = client.get(f"{base}?area=Acomb&tag={transport.id}&sort=most_supported").get_data(as_text=True)
    assert card_titles(both) == ["A"] and "1 idea match your filters" in both
    unknown = client.get(f"{base}?area=Atlantis&tag=999999&status=bogus").get_data(as_text=True)
    assert card_titles(unknown) == ["C", "B", "D", "A"], "unknown filter values are ignored"
    page = client.get(base).get_data(as_text=True)
    assert "4 ideas." in page
    for label in ("Submitted (2)", "Shortlisted (1)", "Withdrawn (1)", "Selected (0)",
                  "transport (2)", "schools (2)", "Acomb (2)", "Heworth (1)", "Micklegate (0)"):
        assert label in page, label


def test_challenge_page_is_paginated(client, make_challenge, make_idea):
    challenge = make_challenge("open")
    for n in range(23):
        make_idea(challenge, title=f"Idea {n:02d}", created_at=days_ago(30 - n))
    first = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    second = client.get(f"/challenges/{challenge.id}?page=2").get_data(as_text=True)
    assert len(card_titles(first)) == 20 and card_titles(second) == ["Idea 02", "Idea 01", "Idea 00"]
    assert "page 1 of 2" in first
    assert card_titles(client.get(f"/challenges/{challenge.id}?page=9").get_data(as_text=True)) == []


def test_median_response_time_is_shown(client, make_challenge):
    challenge = make_challenge("open", median_response_days=3.0, responded_count=3)
    assert "3.0 days (3 answered)" in client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    fresh = make_challenge("open")
    assert "No responses yet" in client.get(f"/challenges/{fresh.id}").get_data(as_text=True)


def test_dashboard_lists_unanswered_ideas_oldest_first_with_days_waiting(as_role, make_challenge, make_idea, cast):
    mine = make_challenge("open", title="Mine")
    theirs = make_challenge("open", title="Theirs", champion=cast("staff"))
    make_idea(mine, title="Newer", created_at=days_ago(2.5))
    make_idea(mine, title="Oldest", created_at=days_ago(9.5))
    make_idea(mine, title="Answered", created_at=days_ago(20), first_response_at=days_ago(1))
    make_idea(mine, title="Withdrawn", created_at=days_ago(15), withdrawn=True)
    make_idea(theirs, title="Not mine", created_at=days_ago(30))
    client, _ = as_role("champion")
    page = main_of(client.get("/dashboard/responses").get_data(as_text=True))
    rows = re.findall(r'href="/ideas/\d+/respond">(.*?)<span.*?numeric">(\d+)</td>', page, re.S)
    assert rows == [("Oldest", "9"), ("Newer", "2")]
    assert "2 ideas waiting" in page
    admin, _ = as_role("admin")
    everything = admin.get("/dashboard/responses?scope=all").get_data(as_text=True)
    assert re.findall(r'href="/ideas/\d+/respond">(.*?)<span', everything) == ["Not mine", "Oldest", "Newer"]


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("resident", 403), ("staff", 200)])
def test_dashboard_is_for_staff(as_role, role, status):
    client, _ = as_role(role)
    assert client.get("/dashboard/responses").status_code == status


def test_status_changes_are_recorded_through_the_form(as_role, make_challenge):
    challenge = make_challenge("open")
    client, champion = as_role("champion")
    assert submit(client, f"/challenges/{challenge.id}/status", {"status": "reviewing"}).status_code == 302
    db.session.rollback()
    last = db.session.scalars(select(ChallengeStatusChange).order_by(ChallengeStatusChange.id.desc())).first()
    assert (last.from_status, last.to_status, last.changed_by_id) == ("open", "reviewing", champion.id)


@pytest.mark.parametrize("path", ["/challenges/{id}?page=99999999999999999999", "/challenges?page=99999999999999999999",
                                  "/challenges/{id}?page=10001"])
def test_absurd_page_numbers_are_not_found_not_a_crash(client, make_challenge, path):
    challenge = make_challenge("open")
    assert client.get(path.format(id=challenge.id)).status_code == 404


@pytest.mark.parametrize("path", ["/challenges/{id}?page=-3", "/challenges/{id}?page=abc", "/challenges/{id}?page=0",
                                  "/challenges/{id}?tag=99999999999999999999999", "/challenges?tag=" + "x" * 500,
                                  "/challenges/{id}?area=" + "x" * 500])
def test_odd_query_values_still_show_the_page(client, make_challenge, path):
    challenge = make_challenge("open")
    assert client.get(path.format(id=challenge.id)).status_code == 200


def test_closing_a_second_ago_refuses_a_form_opened_before(as_role, make_challenge):
    challenge = make_challenge("open")
    client, _ = as_role("resident")
    form_page = client.get(f"/challenges/{challenge.id}/ideas/new")
    assert form_page.status_code == 200
    challenge.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = submit(client, f"/challenges/{challenge.id}/ideas/new", {"title": "Late idea", "summary": "Too late"},
                      token_from="/challenges")
    assert response.status_code == 302 and response.headers["Location"] == f"/challenges/{challenge.id}"
    assert reload(challenge).ideas_count == 0
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Closed for ideas" in page and "Propose an idea" not in page


@pytest.mark.parametrize("audience, public_from_set", [("staff_first", True), ("public", False), ("staff", False)])
def test_public_date_is_kept_only_for_staff_first(as_role, cast, audience, public_from_set):
    client, _ = as_role("creator")
    public_on = TODAY + timedelta(days=10)
    response = submit(client, "/challenges/new", challenge_form(cast("champion"), audience=audience) + date_pairs("public_on", public_on))
    assert response.status_code == 302
    challenge = db.session.scalar(select(Challenge))
    assert challenge.audience == audience
    if public_from_set:
        with client.application.app_context():
            from genius.core.dates import local_day

            assert local_day(challenge.public_from) == public_on
    else:
        assert challenge.public_from is None
