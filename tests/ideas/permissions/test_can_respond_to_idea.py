"""can_respond_to_idea: the challenge's champion or an admin; on a staff-only challenge any
member of staff. Not on drafts or archived challenges, not on withdrawn ideas, never non-staff."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows
from challenges.world import table, transient_idea, transient_user
from conftest import post_form
from genius.ideas.models import IdeaStatusChange
from genius.ideas.permissions import can_respond_to_idea

# Columns: the challenge states (soon = open before its opening date; closed = open after its closing date). Public and 'staff first' challenges.
CHAMPION_OR_ADMIN = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       N       N       N       N       N       N",
    "staff":       "N       N       N       N       N       N       N",
    "champion":    "N       Y       Y       Y       Y       Y       N",
    "creator":     "N       N       N       N       N       N       N",
    "moderator":   "N       N       N       N       N       N       N",
    "admin":       "N       Y       Y       Y       Y       Y       N",
}

# Staff-only challenges: any member of staff answers.
ANY_STAFF = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       N       N       N       N       N       N",
    "staff":       "N       Y       Y       Y       Y       Y       N",
    "champion":    "N       Y       Y       Y       Y       Y       N",
    "creator":     "N       Y       Y       Y       Y       Y       N",
    "moderator":   "N       Y       Y       Y       Y       Y       N",
    "admin":       "N       Y       Y       Y       Y       Y       N",
}

# Withdrawn ideas.
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
    table(CHAMPION_OR_ADMIN, "public")
    + table(ANY_STAFF, "staff")
    + table(CHAMPION_OR_ADMIN, "staff_first_before")
    + table(CHAMPION_OR_ADMIN, "staff_first_after")
)


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_can_respond_to_idea(role, state, audience, expected):
    assert can_respond_to_idea(transient_user(role), transient_idea(state, audience)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NOBODY, "public") + table(NOBODY, "staff"))
def test_nobody_responds_to_a_withdrawn_idea(role, state, audience, expected):
    assert can_respond_to_idea(transient_user(role), transient_idea(state, audience, withdrawn=True)) is expected


def test_no_idea_cannot_be_answered():
    assert can_respond_to_idea(transient_user("admin"), None) is False


@pytest.mark.parametrize("role, state, audience, withdrawn, status", [
    ("anonymous", "open", "public", False, 302),
    ("author", "open", "public", False, 403),
    ("resident", "open", "public", False, 403),
    ("resident", "open", "staff", False, 404),
    ("staff", "open", "public", False, 403),
    ("moderator", "reviewing", "public", False, 403),
    ("staff", "open", "staff", False, 200),
    ("champion", "open", "public", False, 200),
    ("champion", "decided", "public", False, 200),
    ("champion", "archived", "public", False, 403),
    ("champion", "open", "public", True, 403),
    ("admin", "reviewing", "public", False, 200),
])
def test_respond_page(as_role, make_challenge, make_idea, role, state, audience, withdrawn, status):
    idea = make_idea(make_challenge(state, audience), withdrawn=withdrawn)
    client, _ = as_role(role)
    response = client.get(f"/ideas/{idea.id}/respond")
    assert response.status_code == status
    page = client.get(f"/ideas/{idea.id}")
    if page.status_code == 200:
        assert ("Give an official response" in page.get_data(as_text=True)) is (status == 200)


@pytest.mark.parametrize("role", ["author", "staff", "moderator"])
def test_forbidden_response_writes_nothing(as_role, make_challenge, make_idea, role):
    idea = make_idea(make_challenge("open"))
    client, _ = as_role(role)
    response = post_form(client, f"/ideas/{idea.id}/respond", {"status": "selected", "message": "Yes"},
                         token_from="/challenges")
    assert response.status_code == 403
    assert count_rows(IdeaStatusChange) == 0
