"""can_see_author: a named idea shows its author to everyone who can see it; an anonymous one
only to moderators, admins and the author. Elsewhere the name never appears."""

from __future__ import annotations

import pytest

from challenges.factories import main_of
from challenges.world import ROLES, table, transient_idea, transient_user
from genius.ideas.permissions import can_see_author

# Columns: the challenge states (soon = open before its opening date; closed = open after its closing date). An idea posted without the name.
ANONYMOUS_IDEA = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "Y       Y       Y       Y       Y       Y       Y",
    "staff":       "N       N       N       N       N       N       N",
    "champion":    "N       N       N       N       N       N       N",
    "creator":     "N       N       N       N       N       N       N",
    "moderator":   "Y       Y       Y       Y       Y       Y       Y",
    "admin":       "Y       Y       Y       Y       Y       Y       Y",
}

# An idea posted with the name.
NAMED_IDEA = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "Y       Y       Y       Y       Y       Y       Y",
    "unconfirmed": "Y       Y       Y       Y       Y       Y       Y",
    "resident":    "Y       Y       Y       Y       Y       Y       Y",
    "author":      "Y       Y       Y       Y       Y       Y       Y",
    "staff":       "Y       Y       Y       Y       Y       Y       Y",
    "champion":    "Y       Y       Y       Y       Y       Y       Y",
    "creator":     "Y       Y       Y       Y       Y       Y       Y",
    "moderator":   "Y       Y       Y       Y       Y       Y       Y",
    "admin":       "Y       Y       Y       Y       Y       Y       Y",
}

@pytest.mark.parametrize("role, state, audience, expected", table(ANONYMOUS_IDEA, "public") + table(ANONYMOUS_IDEA, "staff"))
def test_anonymous_idea(role, state, audience, expected):
    assert can_see_author(transient_user(role), transient_idea(state, audience, anonymous=True)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NAMED_IDEA, "public"))
def test_named_idea(role, state, audience, expected):
    assert can_see_author(transient_user(role), transient_idea(state, audience)) is expected


@pytest.mark.parametrize("role", ROLES)
def test_anonymous_author_name_on_pages(as_role, make_challenge, make_idea, role):
    challenge = make_challenge("open", title="Parks")
    idea = make_idea(challenge, anonymous=True, title="Night-time park lighting")
    client, _ = as_role(role)
    idea_page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    challenge_page = main_of(client.get(f"/challenges/{challenge.id}").get_data(as_text=True))
    sees = role in ("author", "moderator", "admin")
    assert ("Avery Author" in idea_page) is sees
    assert "Avery Author" not in challenge_page, "the list shows 'Anonymous' to everyone"
    assert "Anonymous" in challenge_page
    if not sees:
        assert "Anonymous" in idea_page


def test_withdrawn_anonymous_idea_still_hides_the_name(as_role, make_challenge, make_idea):
    idea = make_idea(make_challenge("reviewing"), anonymous=True, withdrawn=True)
    client, _ = as_role("champion")
    assert "Avery Author" not in main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
