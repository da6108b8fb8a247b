"""XSS and template injection through every text field of the idea forms (propose, edit, official
response): the stored HTML is inert, every page that shows the text is inert, {{7*7}} shows as typed."""

from __future__ import annotations

import pytest

from challenges.factories import XSS_PAYLOADS as PAYLOADS
from challenges.factories import assert_inert, assert_page_inert, reload, submit
from genius.extensions import db
from genius.ideas.models import Idea, IdeaStatusChange


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_idea_text_field(as_role, make_challenge, make_idea, payload):
    challenge = make_challenge("open", title="Cleaner air")
    resident, _ = as_role("resident")
    fields = {"title": payload, "summary": payload, "description": payload}
    response = submit(resident, f"/challenges/{challenge.id}/ideas/new", fields)
    if response.status_code == 200:  # a lookalike was suggested first: post again
        assert_page_inert(response.get_data(as_text=True))
        response = submit(resident, f"/challenges/{challenge.id}/ideas/new", {**fields, "checked_similar": payload})
    assert response.status_code == 302, response.get_data(as_text=True)
    idea = db.session.scalar(db.select(Idea))
    assert (idea.title, idea.summary, idea.description_source) == (payload,) * 3
    assert_inert(idea.description_html)

    champion, _ = as_role("champion")
    assert submit(champion, f"/ideas/{idea.id}/respond", {"status": "shortlisted", "message": payload}).status_code == 302
    [change] = db.session.scalars(db.select(IdeaStatusChange)).all()
    assert change.message_source == payload
    assert_inert(change.message_html)

    # A second idea with the same words: the similar-ideas banner repeats the first one's title and summary.
    author, _ = as_role("author")
    similar = submit(author, f"/challenges/{challenge.id}/ideas/new", {"title": f"{payload} again alert script", "summary": "x"})
    assert_page_inert(similar.get_data(as_text=True))

    pages = [f"/ideas/{idea.id}", f"/challenges/{challenge.id}", f"/challenges/{challenge.id}?sort=trending",
             f"/search?q=alert", f"/search?q={payload}"]
    for client in (resident, champion, as_role("anonymous")[0]):
        for page in pages:
            assert_page_inert(client.get(page).get_data(as_text=True))
    assert_page_inert(resident.get(f"/ideas/{idea.id}/edit").get_data(as_text=True))
    assert_page_inert(champion.get(f"/ideas/{idea.id}/respond").get_data(as_text=True))
    if payload == "{{7*7}}":
        detail = resident.get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert '<h1 class="govuk-heading-xl">{{7*7}}</h1>' in detail and '<p class="govuk-body-l">{{7*7}}</p>' in detail
        assert detail.count("{{7*7}}") >= 5, "title (page and caption), summary, description, response"
        assert 'value="{{7*7}}"' in resident.get(f"/ideas/{idea.id}/edit").get_data(as_text=True)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_editing_with_payloads(as_role, make_challenge, make_idea, payload):
    idea = make_idea(make_challenge("open"))
    author, _ = as_role("author")
    response = submit(author, f"/ideas/{idea.id}/edit", {"title": payload, "summary": payload, "description": payload})
    assert response.status_code == 302
    stored = reload(idea)
    assert stored.title == payload and stored.edited_at is not None
    assert_inert(stored.description_html)
    assert_page_inert(author.get(f"/ideas/{idea.id}").get_data(as_text=True))
    refused = submit(author, f"/ideas/{idea.id}/edit", {"title": payload * 30, "summary": payload, "description": payload})
    assert refused.status_code == 400
    assert_page_inert(refused.get_data(as_text=True))
