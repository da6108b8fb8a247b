"""Bad input to the idea forms: 400, the GOV.UK error summary, the message next to the field,
and nothing written. Fields a form does not show cannot be set through it."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows, reload, submit
from core.support import error_summary, field_error
from genius.challenges.models import Challenge
from genius.extensions import db
from genius.ideas.models import Idea, IdeaStatusChange
from genius.search.models import SearchDocument

CASES = [
    # (id, fields, field, message)
    ("empty title", dict(title=""), "title", "Enter a title for your idea"),
    ("blank title", dict(title="    "), "title", "Enter a title for your idea"),
    ("missing title", dict(title=None), "title", "Enter a title for your idea"),
    ("long title", dict(title="x" * 121), "title", "Title must be 120 characters or fewer"),
    ("empty summary", dict(summary=""), "summary", "Enter a summary of your idea"),
    ("blank summary", dict(summary="\n \t"), "summary", "Enter a summary of your idea"),
    ("long summary", dict(summary="x" * 301), "summary", "Summary must be 300 characters or fewer"),
    ("long description", dict(description="x" * 20001), "description", "Description must be 20,000 characters or fewer"),
    ("unknown tag", dict(tags="999999"), "tags", "Choose tags from the list for this challenge"),
    ("tag not a number", dict(tags="transport"), "tags", "Choose tags from the list for this challenge"),
    ("unknown area", dict(area="Atlantis"), "area", "Choose an area from the list"),
    ("honeypot filled", dict(website="http://spam.example"), "website", "Leave this field empty"),
]


def post_idea(client, challenge, **fields):
    values = {"title": "Walking buses", "summary": "Parents take turns", **fields}
    return submit(client, f"/challenges/{challenge.id}/ideas/new", {k: v for k, v in values.items() if v is not None})


@pytest.mark.parametrize("fields, field, message", [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_propose_form_refuses_bad_input(as_role, make_challenge, fields, field, message):
    challenge = make_challenge("open")
    client, _ = as_role("resident")
    before = count_rows(Idea), count_rows(SearchDocument)
    response = post_idea(client, challenge, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = error_summary(html)
    assert summary.get(f"#{field}") == message, summary
    if field != "website":  # the honeypot is hidden from people
        assert field_error(html, field) == message
    assert (count_rows(Idea), count_rows(SearchDocument)) == before
    assert reload(challenge).ideas_count == 0


def test_a_tag_of_another_challenge_is_refused(as_role, make_challenge):
    other = make_challenge("open", tags=("secret",))
    challenge = make_challenge("open")
    client, _ = as_role("resident")
    response = post_idea(client, challenge, tags=str(other.tags[0].id))
    assert response.status_code == 400
    assert count_rows(Idea) == 0


@pytest.mark.parametrize("fields, field, message", [pytest.param(*c[1:], id=c[0]) for c in CASES if c[2] != "website"])
def test_edit_form_refuses_bad_input_and_keeps_the_idea(as_role, make_challenge, make_idea, fields, field, message):
    idea = make_idea(make_challenge("open"), title="Original", summary="Original summary")
    client, _ = as_role("author")
    values = {"title": "Changed", "summary": "Changed", **fields}
    response = submit(client, f"/ideas/{idea.id}/edit", {k: v for k, v in values.items() if v is not None})
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)).get(f"#{field}") == message
    stored = reload(idea)
    assert (stored.title, stored.summary, stored.edited_at) == ("Original", "Original summary", None)


@pytest.mark.parametrize("fields, field, message", [
    (dict(status="approved", message="Yes"), "status", "Choose a status from the list"),
    (dict(message="Yes"), "status", "Choose a status"),
    (dict(status="selected", message=""), "message", "Enter the official response: what was decided and why"),
    (dict(status="selected", message="   "), "message", "Enter the official response: what was decided and why"),
    (dict(status="selected", message="x" * 5001), "message", "Official response must be 5,000 characters or fewer"),
])
def test_respond_form_refuses_bad_input(as_role, make_challenge, make_idea, fields, field, message):
    idea = make_idea(make_challenge("open"))
    client, _ = as_role("champion")
    response = submit(client, f"/ideas/{idea.id}/respond", fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_summary(html).get(f"#{field}") == message
    assert field_error(html, field) == message
    assert count_rows(IdeaStatusChange) == 0
    stored = reload(idea)
    assert (stored.status, stored.first_response_at) == ("submitted", None)
    assert db.session.get(Challenge, idea.challenge_id).responded_count == 0


def test_idea_form_cannot_set_fields_it_does_not_show(as_role, cast, make_challenge):
    challenge = make_challenge("open")
    elsewhere = make_challenge("open", title="Another challenge")
    client, resident = as_role("resident")
    extra = dict(status="selected", supports_count="99", comments_count="12", author_id=str(cast("admin").id),
                 challenge_id=str(elsewhere.id), withdrawn_at="2020-01-01", edited_at="2020-01-01",
                 first_response_at="2020-01-01", description_html="<script>alert(1)</script>", id="4242")
    response = post_idea(client, challenge, **extra)
    assert response.status_code == 302
    idea = db.session.scalar(db.select(Idea))
    assert idea.id != 4242
    assert (idea.status, idea.supports_count, idea.comments_count) == ("submitted", 0, 0)
    assert (idea.author_id, idea.challenge_id) == (resident.id, challenge.id)
    assert (idea.withdrawn_at, idea.edited_at, idea.first_response_at, idea.description_html) == (None, None, None, "")
    assert (reload(challenge).ideas_count, reload(elsewhere).ideas_count) == (1, 0)


def test_edit_form_cannot_set_fields_it_does_not_show(as_role, cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    client, author = as_role("author")
    response = submit(client, f"/ideas/{idea.id}/edit", {
        "title": "Edited", "summary": "Edited", "status": "implemented", "supports_count": "50",
        "author_id": str(cast("resident").id), "first_response_at": "2020-01-01"})
    assert response.status_code == 302
    stored = reload(idea)
    assert (stored.title, stored.status, stored.supports_count, stored.author_id, stored.first_response_at) == (
        "Edited", "submitted", 0, author.id, None)
