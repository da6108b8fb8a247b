"""can_propose_idea: a signed-in person with a confirmed email, who can see the challenge,
while it is open and between its opening and closing moments."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows
from challenges.world import table, transient_challenge, transient_user
from conftest import post_form
from genius.challenges.permissions import can_propose_idea
from genius.ideas.models import Idea

# Columns: the challenge states (soon = open before its opening date; closed = open after its closing date). Public challenges.
EVERYONE_SIGNED_IN = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       Y       N       N       N       N       N",
    "author":      "N       Y       N       N       N       N       N",
    "staff":       "N       Y       N       N       N       N       N",
    "champion":    "N       Y       N       N       N       N       N",
    "creator":     "N       Y       N       N       N       N       N",
    "moderator":   "N       Y       N       N       N       N       N",
    "admin":       "N       Y       N       N       N       N       N",
}

# Staff-only, and 'staff first' before its public date.
STAFF_ONLY = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       N       N       N       N       N       N",
    "staff":       "N       Y       N       N       N       N       N",
    "champion":    "N       Y       N       N       N       N       N",
    "creator":     "N       Y       N       N       N       N       N",
    "moderator":   "N       Y       N       N       N       N       N",
    "admin":       "N       Y       N       N       N       N       N",
}

CASES = (
    table(EVERYONE_SIGNED_IN, "public")
    + table(STAFF_ONLY, "staff")
    + table(STAFF_ONLY, "staff_first_before")
    + table(EVERYONE_SIGNED_IN, "staff_first_after")
)


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_can_propose_idea(role, state, audience, expected):
    assert can_propose_idea(transient_user(role), transient_challenge(state, audience)) is expected


@pytest.mark.parametrize("role, state, audience, status, goes_to", [
    ("anonymous", "open", "public", 302, "/sign-in"),
    ("unconfirmed", "open", "public", 302, "/account"),
    ("resident", "open", "public", 200, None),
    ("resident", "not_yet_open", "public", 302, "/challenges/"),
    ("resident", "closed_for_ideas", "public", 302, "/challenges/"),
    ("resident", "reviewing", "public", 302, "/challenges/"),
    ("resident", "open", "staff", 404, None),
    ("resident", "draft", "public", 404, None),
    ("staff", "open", "staff", 200, None),
    ("champion", "decided", "public", 302, "/challenges/"),
])
def test_propose_page(as_role, make_challenge, role, state, audience, status, goes_to):
    challenge = make_challenge(state, audience)
    client, _ = as_role(role)
    response = client.get(f"/challenges/{challenge.id}/ideas/new")
    assert response.status_code == status
    if goes_to:
        assert response.headers["Location"].startswith(goes_to)
    page = client.get(f"/challenges/{challenge.id}")
    if page.status_code == 200:
        assert ("Propose an idea" in page.get_data(as_text=True)) is (status == 200)


@pytest.mark.parametrize("role, state", [("unconfirmed", "open"), ("resident", "reviewing"), ("resident", "closed_for_ideas")])
def test_refused_proposal_writes_nothing(as_role, make_challenge, role, state):
    challenge = make_challenge(state)
    client, _ = as_role(role)
    response = post_form(client, f"/challenges/{challenge.id}/ideas/new",
                         {"title": "Sneaky idea", "summary": "Posted anyway"}, token_from="/challenges")
    assert response.status_code == 302
    assert count_rows(Idea) == 0
