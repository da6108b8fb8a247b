"""Staff-only challenges (and drafts, and 'staff first' before their date) and their ideas are
invisible to everyone else everywhere: lists, counts, tags, pages, forms, dashboard, search."""

from __future__ import annotations

import pytest

from challenges.factories import card_titles, main_of

HIDDEN = [("open", "staff"), ("draft", "public"), ("open", "staff_first_before"), ("reviewing", "staff")]
OUTSIDERS = ["anonymous", "unconfirmed", "resident", "author"]
INSIDERS = ["staff", "champion", "moderator", "admin"]


@pytest.fixture
def internal(make_challenge, make_idea, cast):
    """A public challenge and a hidden one, each with an idea and its own tag and words."""
    def _internal(state: str, audience: str):
        public = make_challenge("open", title="Greener parks", tags=("parks",))
        make_idea(public, title="Wildflower verges", summary="Mow less", author=cast("resident"))
        hidden = make_challenge(state, audience, title="Internal restructuring of print rooms",
                                summary="Quartermaster logistics", tags=("confidential",))
        idea = make_idea(hidden, title="Merge the print rooms", summary="Quartermaster savings", tags=("confidential",),
                         author=cast("author"), created_at=None)
        return public, hidden, idea

    return _internal


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("state, audience", HIDDEN)
def test_invisible_to_non_staff_everywhere(as_role, app, internal, role, state, audience):
    public, hidden, idea = internal(state, audience)
    client, _ = as_role(role)
    for path in ("/challenges", "/challenges?status=open", "/challenges?status=reviewing", "/challenges?status=draft",
                 "/challenges?tag=confidential", "/", f"/challenges/{public.id}"):
        html = main_of(client.get(path).get_data(as_text=True))
        for secret in ("Internal restructuring", "Merge the print rooms", "Quartermaster", "confidential"):
            assert secret not in html, (path, secret)
    index = client.get("/challenges").get_data(as_text=True)
    assert card_titles(index) == ["Greener parks"] and "1 challenge." in index
    assert client.get("/challenges?tag=confidential").get_data(as_text=True).count("govuk-summary-card__title") == 0

    assert client.get(f"/challenges/{hidden.id}").status_code == 404
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    signed_in = role != "anonymous"
    for path in (f"/challenges/{hidden.id}/ideas/new", f"/challenges/{hidden.id}/edit", f"/challenges/{hidden.id}/status",
                 f"/ideas/{idea.id}/edit", f"/ideas/{idea.id}/withdraw", f"/ideas/{idea.id}/respond"):
        assert client.get(path).status_code == (404 if signed_in else 302), path
    assert client.get("/dashboard/responses").status_code == (403 if signed_in else 302)

    if "search.index" not in app.view_functions:
        pytest.skip("the search blueprint is not registered, so there is no /search to check")
    for q in ("Quartermaster", "print rooms", "confidential", "restructuring"):
        results = main_of(client.get(f"/search?q={q}").get_data(as_text=True))
        assert "Internal restructuring" not in results and "Merge the print rooms" not in results, q
    similar = client.get(f"/search/similar-ideas?challenge_id={hidden.id}&title=Merge+print+rooms")
    assert similar.status_code == 404
    from_public = client.get(f"/search/similar-ideas?challenge_id={public.id}&title=Merge+print+rooms")
    assert "print rooms" not in from_public.get_data(as_text=True)


@pytest.mark.parametrize("role", INSIDERS)
def test_staff_see_the_internal_challenge_everywhere(as_role, app, internal, role):
    public, hidden, idea = internal("open", "staff")
    client, _ = as_role(role)
    assert card_titles(client.get("/challenges").get_data(as_text=True)) == ["Greener parks", "Internal restructuring of print rooms"]
    assert "confidential" in client.get("/challenges").get_data(as_text=True)
    assert client.get(f"/challenges/{hidden.id}").status_code == 200
    assert client.get(f"/ideas/{idea.id}").status_code == 200
    if role == "champion":
        assert "Merge the print rooms" in client.get("/dashboard/responses").get_data(as_text=True)
    if "search.index" in app.view_functions:
        assert "Merge the print rooms" in client.get("/search?q=Quartermaster").get_data(as_text=True)


def test_staff_first_becomes_public_at_its_date(as_role, make_challenge, make_idea):
    challenge = make_challenge("open", "staff_first_after", title="Library opening hours")
    idea = make_idea(challenge, title="Evening opening")
    client, _ = as_role("resident")
    assert "Library opening hours" in client.get("/challenges").get_data(as_text=True)
    assert client.get(f"/ideas/{idea.id}").status_code == 200
