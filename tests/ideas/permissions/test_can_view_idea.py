"""can_view_idea: an idea is visible exactly when its challenge is; withdrawn ideas stay visible.
Invisible ideas answer 404 (their existence is not disclosed)."""

from __future__ import annotations

import pytest

from challenges.world import table, transient_idea, transient_user
from genius.ideas.permissions import can_view_idea

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
def test_can_view_idea(role, state, audience, expected):
    assert can_view_idea(transient_user(role), transient_idea(state, audience)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(PUBLIC, "public") + table(STAFF_ONLY, "staff"))
def test_withdrawn_ideas_stay_as_visible_as_their_challenge(role, state, audience, expected):
    assert can_view_idea(transient_user(role), transient_idea(state, audience, withdrawn=True)) is expected


def test_no_idea_is_not_visible():
    assert can_view_idea(transient_user("admin"), None) is False


@pytest.mark.parametrize("role, state, audience, withdrawn, status", [
    ("anonymous", "open", "public", False, 200),
    ("anonymous", "open", "public", True, 200),
    ("anonymous", "open", "staff", False, 404),
    ("resident", "reviewing", "staff", False, 404),
    ("resident", "open", "staff_first_before", False, 404),
    ("resident", "open", "staff_first_after", False, 200),
    ("author", "open", "staff", False, 404),
    ("unconfirmed", "archived", "public", False, 200),
    ("staff", "open", "staff", False, 200),
    ("moderator", "decided", "staff", True, 200),
    ("admin", "archived", "staff", False, 200),
])
def test_idea_page(as_role, make_challenge, make_idea, role, state, audience, withdrawn, status):
    idea = make_idea(make_challenge(state, audience), withdrawn=withdrawn)
    client, _ = as_role(role)
    response = client.get(f"/ideas/{idea.id}")
    assert response.status_code == status
    if withdrawn and status == 200:
        assert "withdrew this idea" in response.get_data(as_text=True)


def test_unknown_idea_is_404(as_role):
    client, _ = as_role("admin")
    assert client.get("/ideas/999999").status_code == 404
