"""can_view_challenge: drafts and staff-only challenges exist only for staff; "staff first" ones
become public at their public_from moment. Invisible challenges answer 404, never 403."""

from __future__ import annotations

import pytest

from challenges.world import STATES, table, transient_challenge, transient_user
from genius.challenges.permissions import can_view_challenge

# Columns: the challenge states (soon = open before its opening date; closed = open after its closing date).
PUBLIC = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       Y       Y       Y       Y       Y       Y",
    "unconfirmed": "N       Y       Y       Y       Y       Y       Y",
    "resident":    "N       Y       Y       Y       Y       Y       Y",
    "author":      "N       Y       Y       Y       Y       Y       Y",
    "staff":       "Y       Y       Y       Y       Y       Y       Y",
    "champion":    "Y       Y       Y       Y       Y       Y       Y",
    "creator":     "Y       Y       Y       Y       Y       Y       Y",
    "moderator":   "Y       Y       Y       Y       Y       Y       Y",
    "admin":       "Y       Y       Y       Y       Y       Y       Y",
}

# Staff-only, and 'staff first' before its public date.
STAFF_ONLY = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       N       N       N       N       N       N",
    "staff":       "Y       Y       Y       Y       Y       Y       Y",
    "champion":    "Y       Y       Y       Y       Y       Y       Y",
    "creator":     "Y       Y       Y       Y       Y       Y       Y",
    "moderator":   "Y       Y       Y       Y       Y       Y       Y",
    "admin":       "Y       Y       Y       Y       Y       Y       Y",
}

CASES = (
    table(PUBLIC, "public")
    + table(STAFF_ONLY, "staff")
    + table(STAFF_ONLY, "staff_first_before")
    + table(PUBLIC, "staff_first_after")
)


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_can_view_challenge(role, state, audience, expected):
    assert can_view_challenge(transient_user(role), transient_challenge(state, audience)) is expected


def test_no_challenge_is_not_visible():
    assert can_view_challenge(transient_user("admin"), None) is False


@pytest.mark.parametrize("role, state, audience, status", [
    ("anonymous", "open", "public", 200),
    ("anonymous", "archived", "public", 200),
    ("anonymous", "draft", "public", 404),
    ("anonymous", "open", "staff", 404),
    ("unconfirmed", "reviewing", "public", 200),
    ("resident", "draft", "public", 404),
    ("resident", "open", "staff", 404),
    ("resident", "open", "staff_first_before", 404),
    ("resident", "open", "staff_first_after", 200),
    ("author", "decided", "staff", 404),
    ("staff", "draft", "staff", 200),
    ("staff", "open", "staff_first_before", 200),
    ("moderator", "draft", "public", 200),
    ("admin", "archived", "staff", 200),
])
def test_challenge_page(as_role, make_challenge, role, state, audience, status):
    challenge = make_challenge(state, audience, title="Quieter streets")
    client, _ = as_role(role)
    response = client.get(f"/challenges/{challenge.id}")
    assert response.status_code == status
    listed = "Quieter streets" in client.get("/challenges").get_data(as_text=True)
    assert listed is (status == 200), "the index lists exactly the challenges the reader may open"


def test_unknown_challenge_is_404(as_role):
    client, _ = as_role("admin")
    assert client.get("/challenges/999999").status_code == 404


def test_states_cover_the_lifecycle():
    assert {transient_challenge(s).status for s in STATES} == {"draft", "open", "reviewing", "decided", "archived"}
