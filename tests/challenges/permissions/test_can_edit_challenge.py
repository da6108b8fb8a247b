"""can_edit_challenge: any member of staff, in every state but archived.

Non-staff never edit; where they cannot even see the challenge, the route says 404.
"""

from __future__ import annotations

import pytest

from challenges.factories import reload
from challenges.world import table, transient_challenge, transient_user
from conftest import post_form
from genius.challenges.permissions import can_edit_challenge

# Columns: the challenge states (soon = open before its opening date; closed = open after its closing date). Every audience alike: staff see them all.
EXPECTED = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       N       N       N       N       N       N",
    "staff":       "Y       Y       Y       Y       Y       Y       N",
    "champion":    "Y       Y       Y       Y       Y       Y       N",
    "creator":     "Y       Y       Y       Y       Y       Y       N",
    "moderator":   "Y       Y       Y       Y       Y       Y       N",
    "admin":       "Y       Y       Y       Y       Y       Y       N",
}

CASES = table(EXPECTED, "public") + table(EXPECTED, "staff") + table(EXPECTED, "staff_first_before")


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_can_edit_challenge(role, state, audience, expected):
    assert can_edit_challenge(transient_user(role), transient_challenge(state, audience)) is expected


def test_no_challenge_cannot_be_edited():
    assert can_edit_challenge(transient_user("admin"), None) is False


@pytest.mark.parametrize("role, state, audience, status", [
    ("anonymous", "open", "public", 302),
    ("resident", "open", "public", 403),
    ("author", "reviewing", "public", 403),
    ("unconfirmed", "open", "public", 403),
    ("resident", "draft", "public", 404),
    ("resident", "open", "staff", 404),
    ("staff", "open", "public", 200),
    ("staff", "draft", "staff", 200),
    ("champion", "decided", "public", 200),
    ("moderator", "reviewing", "public", 200),
    ("admin", "archived", "public", 403),
    ("champion", "archived", "public", 403),
])
def test_edit_page(as_role, make_challenge, role, state, audience, status):
    challenge = make_challenge(state, audience)
    client, _ = as_role(role)
    response = client.get(f"/challenges/{challenge.id}/edit")
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"].startswith("/sign-in")
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert ("Edit this challenge" in page) is (status == 200)


@pytest.mark.parametrize("role, status", [("resident", 403), ("champion", 403)])
def test_forbidden_edit_post_changes_nothing(as_role, make_challenge, role, status):
    state = "open" if role == "resident" else "archived"
    challenge = make_challenge(state, title="Original title")
    client, _ = as_role(role)
    response = post_form(client, f"/challenges/{challenge.id}/edit", {"title": "Changed"}, token_from="/challenges")
    assert response.status_code == status
    assert reload(challenge).title == "Original title"
