"""Idea pages end to end: propose (with similar-idea suggestions), the author or 'Anonymous',
edit ('Edited'), withdraw, and official responses in a dated timeline."""

from __future__ import annotations

import re

from sqlalchemy import select

from challenges.factories import count_rows, days_ago, main_of, reload, submit
from genius.challenges.models import Challenge
from genius.core.templating import format_date
from genius.extensions import db
from genius.ideas.models import Idea

def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no {name} field"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def test_resident_sees_similar_ideas_then_posts_anyway(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    existing = make_idea(challenge, title="Bike racks at every school", summary="Secure hoops by the gates")
    make_idea(challenge, title="Bike racks somewhere", withdrawn=True)
    client, resident = as_role("resident")
    form = {"title": "More bike racks by the shops", "summary": "Racks near the high street"}
    first = submit(client, f"/challenges/{challenge.id}/ideas/new", form)
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Similar ideas" in html and f'href="/ideas/{existing.id}"' in html and "Secure hoops by the gates" in html
    assert "Bike racks somewhere" not in html, "withdrawn ideas cannot be supported, so they are not suggested"
    assert count_rows(Idea) == 2
    assert hidden_value(html, "checked_similar") == form["title"]
    assert 'value="More bike racks by the shops"' in html, "what the person typed is kept"

    second = submit(client, f"/challenges/{challenge.id}/ideas/new", {**form, "checked_similar": form["title"]})
    assert second.status_code == 302
    idea = db.session.scalar(select(Idea).where(Idea.title == form["title"]))
    assert second.headers["Location"] == f"/ideas/{idea.id}"
    assert idea.author_id == resident.id and idea.status == "submitted"
    assert reload(challenge).ideas_count == 3


def test_changing_the_title_checks_again(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    make_idea(challenge, title="Street trees for shade")
    client, _ = as_role("resident")
    response = submit(client, f"/challenges/{challenge.id}/ideas/new",
                      {"title": "Shade trees on main roads", "summary": "x", "checked_similar": "Something else"})
    assert response.status_code == 200 and "Similar ideas" in response.get_data(as_text=True)
    assert count_rows(Idea) == 1


def test_no_lookalike_posts_at_once_with_tags_area_and_anonymity(as_role, cast, make_challenge, make_idea):
    challenge = make_challenge("open", tags=("transport", "schools"))
    make_idea(challenge, title="Street trees for shade", author=cast("resident"))
    transport = next(t for t in challenge.tags if t.name == "transport")
    client, _ = as_role("author")
    response = submit(client, f"/challenges/{challenge.id}/ideas/new",
                      [("title", "Walking buses"), ("summary", "Parents take turns"), ("description", "A *rota*."),
                       ("tags", str(transport.id)), ("area", "Heworth"), ("anonymous", "y")])
    assert response.status_code == 302, response.get_data(as_text=True)
    idea = db.session.scalar(select(Idea).where(Idea.title == "Walking buses"))
    assert (idea.area, idea.anonymous, [t.name for t in idea.tags]) == ("Heworth", True, ["transport"])
    own = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "Avery Author</a> (posted anonymously)" in own and "A <em>rota</em>." in own
    for role in ("anonymous", "resident", "staff", "champion"):
        other, _ = as_role(role)
        for path in (f"/ideas/{idea.id}", f"/challenges/{challenge.id}", "/challenges"):
            assert "Avery Author" not in main_of(other.get(path).get_data(as_text=True)), (role, path)
        assert "Anonymous" in main_of(other.get(f"/ideas/{idea.id}").get_data(as_text=True))
    for role in ("moderator", "admin"):
        other, _ = as_role(role)
        assert "Avery Author" in main_of(other.get(f"/ideas/{idea.id}").get_data(as_text=True))


def test_named_idea_shows_its_author_everywhere(client, make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    assert "Avery Author" in main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "Avery Author" in main_of(client.get(f"/challenges/{challenge.id}").get_data(as_text=True))


def test_author_edits_and_the_page_says_edited(as_role, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"), description="Old words")
    client, _ = as_role("author")
    assert "Edited" not in main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    form = client.get(f"/ideas/{idea.id}/edit").get_data(as_text=True)
    assert "Old words" in form and 'value="Bike racks at schools"' in form
    response = submit(client, f"/ideas/{idea.id}/edit", {"title": "Bike racks at every school", "summary": "Updated",
                                                         "description": "New words"})
    assert response.status_code == 302
    page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "Edited" in page and "Bike racks at every school" in page and "New words" in page
    assert reload(idea).edited_at is not None


def test_author_withdraws_and_the_idea_stays_marked(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    client, _ = as_role("author")
    assert "Are you sure" in client.get(f"/ideas/{idea.id}/withdraw").get_data(as_text=True)
    response = submit(client, f"/ideas/{idea.id}/withdraw", {})
    assert response.status_code == 302
    page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "withdrew this idea" in page and "Withdrawn" in page
    assert "Withdraw your idea" not in page and "Edit your idea" not in page
    assert reload(idea).is_withdrawn and count_rows(Idea) == 1
    listing = client.get(f"/challenges/{challenge.id}?status=withdrawn").get_data(as_text=True)
    assert "Bike racks at schools" in listing and "Withdrawn (1)" in listing


def test_official_responses_form_a_dated_timeline(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge, created_at=days_ago(3))
    client, champion = as_role("champion")
    form = client.get(f"/ideas/{idea.id}/respond").get_data(as_text=True)
    assert 'value="submitted" checked' in form
    assert submit(client, f"/ideas/{idea.id}/respond",
                  {"status": "under_consideration", "message": "We are costing **this**."}).status_code == 302
    assert submit(client, f"/ideas/{idea.id}/respond",
                  {"status": "under_consideration", "message": "Costs are in: a panel meets on Friday."}).status_code == 302
    reader, _ = as_role("anonymous")
    page = main_of(reader.get(f"/ideas/{idea.id}").get_data(as_text=True))
    timeline = page.split('id="status-trail"', 1)[1]
    assert timeline.index("Costs are in") < timeline.index("We are costing"), "newest first"
    assert "Status changed to Under consideration" in timeline and "Official response: Under consideration" in timeline
    assert "We are costing <strong>this</strong>." in timeline
    stored = reload(idea)
    with client.application.app_context():
        expected_date = format_date(stored.first_response_at, with_time=True)
    assert f"{expected_date}, by Charlie Champion" in timeline
    challenge_page = reader.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "3.0 days (1 answered)" in challenge_page
    assert "Under consideration (1)" in challenge_page
    db.session.rollback()
    assert db.session.get(Challenge, challenge.id).median_response_days == 3.0
    dashboard = client.get("/dashboard/responses").get_data(as_text=True)
    assert "Bike racks at schools" not in main_of(dashboard)


def test_respond_form_refuses_an_empty_message_and_unknown_status(as_role, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    client, _ = as_role("champion")
    empty = submit(client, f"/ideas/{idea.id}/respond", {"status": "selected", "message": "  "})
    assert empty.status_code == 400 and "Enter the official response" in empty.get_data(as_text=True)
    bogus = submit(client, f"/ideas/{idea.id}/respond", {"status": "approved", "message": "Yes"})
    assert bogus.status_code == 400
    assert reload(idea).status == "submitted" and reload(idea).first_response_at is None
