"""can_change_challenge_status: the champion, the member of staff who posted it, or an admin;
never once archived (nothing follows archived). Other staff and moderators may edit, not move it."""

from __future__ import annotations

import pytest

from challenges.factories import reload
from challenges.world import table, transient_challenge, transient_user
from conftest import post_form
from genius.challenges.permissions import can_change_challenge_status

# Columns: the challenge states (soon = open before its opening date; closed = open after its closing date). Every audience alike.
EXPECTED = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       N       N       N       N       N       N",
    "staff":       "N       N       N       N       N       N       N",
    "champion":    "Y       Y       Y       Y       Y       Y       N",
    "creator":     "Y       Y       Y       Y       Y       Y       N",
    "moderator":   "N       N       N       N       N       N       N",
    "admin":       "Y       Y       Y       Y       Y       Y       N",
}

CASES = table(EXPECTED, "public") + table(EXPECTED, "staff") + table(EXPECTED, "staff_first_after")


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_can_change_challenge_status(role, state, audience, expected):
    assert can_change_challenge_status(transient_user(role), transient_challenge(state, audience)) is expected


def test_no_challenge_cannot_change():
    assert can_change_challenge_status(transient_user("admin"), None) is False


@pytest.mark.parametrize("role, state, audience, status", [
    ("anonymous", "draft", "public", 302),
    ("resident", "open", "public", 403),
    ("resident", "draft", "public", 404),
    ("author", "open", "staff", 404),
    ("staff", "draft", "public", 403),
    ("moderator", "reviewing", "public", 403),
    ("champion", "draft", "public", 200),
    ("creator", "open", "staff", 200),
    ("admin", "decided", "public", 200),
    ("champion", "archived", "public", 403),
])
def test_status_page(as_role, make_challenge, role, state, audience, status):
    challenge = make_challenge(state, audience)
    client, _ = as_role(role)
    response = client.get(f"/challenges/{challenge.id}/status")
    assert response.status_code == status
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert ("Change status" in page) is (status == 200)


@pytest.mark.parametrize("role", ["resident", "staff", "moderator"])
def test_forbidden_status_post_changes_nothing(as_role, make_challenge, role):
    # A resident sees the open public challenge (403); staff and moderators see the draft (403 too).
    challenge = make_challenge("open") if role == "resident" else make_challenge("draft", "staff")
    client, _ = as_role(role)
    before = challenge.status
    response = post_form(client, f"/challenges/{challenge.id}/status", {"status": "reviewing" if before == "open" else "open"},
                         token_from="/challenges")
    assert response.status_code == 403
    assert reload(challenge).status == before
