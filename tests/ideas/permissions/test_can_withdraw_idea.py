"""can_withdraw_idea: only the author, while the challenge is open or reviewing, once, and only
where the author can still see the challenge."""

from __future__ import annotations

import pytest

from challenges.factories import reload
from challenges.world import table, transient_idea, transient_user
from conftest import post_form
from genius.ideas.permissions import can_withdraw_idea

# Columns: the challenge states (soon = open before its opening date; closed = open after its closing date). Where everyone can see the challenge.
AUTHOR_ONLY = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       Y       Y       Y       Y       N       N",
    "staff":       "N       N       N       N       N       N       N",
    "champion":    "N       N       N       N       N       N       N",
    "creator":     "N       N       N       N       N       N       N",
    "moderator":   "N       N       N       N       N       N       N",
    "admin":       "N       N       N       N       N       N       N",
}

# Where the author cannot see it, or the idea is already withdrawn.
NOBODY = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       N       N       N       N       N       N",
    "staff":       "N       N       N       N       N       N       N",
    "champion":    "N       N       N       N       N       N       N",
    "creator":     "N       N       N       N       N       N       N",
    "moderator":   "N       N       N       N       N       N       N",
    "admin":       "N       N       N       N       N       N       N",
}

CASES = (
    table(AUTHOR_ONLY, "public")
    + table(NOBODY, "staff")
    + table(NOBODY, "staff_first_before")
    + table(AUTHOR_ONLY, "staff_first_after")
)


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_can_withdraw_idea(role, state, audience, expected):
    assert can_withdraw_idea(transient_user(role), transient_idea(state, audience)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NOBODY, "public"))
def test_withdrawn_idea_cannot_be_withdrawn_again(role, state, audience, expected):
    assert can_withdraw_idea(transient_user(role), transient_idea(state, audience, withdrawn=True)) is expected


def test_no_idea_cannot_be_withdrawn():
    assert can_withdraw_idea(transient_user("author"), None) is False


@pytest.mark.parametrize("role, state, audience, withdrawn, status", [
    ("anonymous", "open", "public", False, 302),
    ("author", "open", "public", False, 200),
    ("author", "reviewing", "public", False, 200),
    ("author", "decided", "public", False, 403),
    ("author", "open", "public", True, 403),
    ("author", "open", "staff", False, 404),
    ("resident", "open", "public", False, 403),
    ("champion", "open", "public", False, 403),
    ("admin", "reviewing", "public", False, 403),
])
def test_withdraw_page(as_role, make_challenge, make_idea, role, state, audience, withdrawn, status):
    idea = make_idea(make_challenge(state, audience), withdrawn=withdrawn)
    client, _ = as_role(role)
    response = client.get(f"/ideas/{idea.id}/withdraw")
    assert response.status_code == status
    page = client.get(f"/ideas/{idea.id}")
    if page.status_code == 200:
        assert ("Withdraw your idea" in page.get_data(as_text=True)) is (status == 200)


@pytest.mark.parametrize("role, state", [("resident", "open"), ("champion", "open"), ("author", "decided")])
def test_forbidden_withdraw_post_changes_nothing(as_role, make_challenge, make_idea, role, state):
    idea = make_idea(make_challenge(state))
    client, _ = as_role(role)
    response = post_form(client, f"/ideas/{idea.id}/withdraw", {}, token_from="/challenges")
    assert response.status_code == 403
    assert reload(idea).withdrawn_at is None
