"""can_delete_comment: only the comment's author, at any time (archived discussions too), while they
can still see it; never twice."""

from __future__ import annotations

import pytest

from challenges.factories import reload
from challenges.world import table, transient_user
from comments.support import age, send, set_status, transient_comment
from genius.comments.permissions import can_delete_comment

from .test_can_post_comment import NOBODY

AUTHOR_ONLY = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       Y       Y       Y       Y       Y       Y",
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
def test_can_delete_comment(role, state, audience, expected):
    assert can_delete_comment(transient_user(role), transient_comment(state, audience, minutes_old=600)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(AUTHOR_ONLY, "public"))
def test_on_a_challenge(role, state, audience, expected):
    assert can_delete_comment(transient_user(role), transient_comment(state, audience, on_idea=False)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NOBODY, "public"))
def test_never_twice(role, state, audience, expected):
    assert can_delete_comment(transient_user(role), transient_comment(state, audience, deleted=True)) is expected


@pytest.mark.parametrize("role, state, get_status, post_status, deleted", [
    ("anonymous", "open", 302, 302, False),
    ("author", "open", 200, 302, True),
    ("author", "archived", 200, 302, True),
    ("resident", "open", 403, 403, False),
    ("champion", "open", 403, 403, False),
    ("moderator", "open", 403, 403, False),
    ("admin", "open", 403, 403, False),
])
def test_delete_page(as_role, make_challenge, make_idea, make_comment, cast, role, state, get_status, post_status, deleted):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea, author=cast("author"), body="Mine")
    age(comment, 60 * 24)
    set_status(challenge, state)
    client, _ = as_role(role)
    assert client.get(f"/comments/{comment.id}/delete").status_code == get_status
    response = send(client, f"/comments/{comment.id}/delete", {})
    assert response.status_code == post_status
    assert reload(comment).is_deleted is deleted
    if deleted:
        assert client.get(f"/comments/{comment.id}/delete").status_code == 403, "never twice"
