"""can_view_comment: whoever may see the idea or challenge reads its discussion; staff-only
discussions exist only for staff (a 404 for everyone else, on every comment route)."""

from __future__ import annotations

import pytest

from challenges.world import table, transient_user
from comments.support import set_status, transient_comment
from genius.comments.permissions import can_view_comment

EVERYONE_BUT_DRAFTS = {
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
    table(EVERYONE_BUT_DRAFTS, "public")
    + table(STAFF_ONLY, "staff")
    + table(STAFF_ONLY, "staff_first_before")
    + table(EVERYONE_BUT_DRAFTS, "staff_first_after")
)


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_on_an_idea(role, state, audience, expected):
    assert can_view_comment(transient_user(role), transient_comment(state, audience)) is expected


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_on_a_challenge(role, state, audience, expected):
    assert can_view_comment(transient_user(role), transient_comment(state, audience, on_idea=False)) is expected


def test_no_comment():
    assert can_view_comment(transient_user("admin"), None) is False


@pytest.mark.parametrize("role, state, audience, status", [
    ("anonymous", "open", "public", 302),
    ("anonymous", "archived", "public", 302),
    ("anonymous", "open", "staff", 404),
    ("resident", "open", "staff", 404),
    ("author", "open", "staff_first_before", 404),
    ("resident", "draft", "public", 404),
    ("staff", "open", "staff", 302),
    ("staff", "draft", "public", 302),
])
def test_permalink(as_role, make_challenge, make_idea, make_comment, cast, role, state, audience, status):
    challenge = make_challenge("open", audience)
    comment = make_comment(challenge, make_idea(challenge), author=cast("champion"))
    set_status(challenge, state)
    client, _ = as_role(role)
    response = client.get(f"/comments/{comment.id}")
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"] == f"/ideas/{comment.idea_id}#comment-{comment.id}"
