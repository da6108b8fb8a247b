"""can_edit_comment: only the comment's author, within 15 minutes of posting, while they could still
post in that discussion (not once archived, never a deleted comment)."""

from __future__ import annotations

import pytest

from challenges.factories import reload
from challenges.world import table, transient_user
from comments.support import age, send, set_status, transient_comment
from genius.comments.permissions import can_edit_comment

from .test_can_post_comment import NOBODY

AUTHOR_ONLY = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       Y       Y       Y       Y       Y       N",
    "staff":       "N       N       N       N       N       N       N",
    "champion":    "N       N       N       N       N       N       N",
    "creator":     "N       N       N       N       N       N       N",
    "moderator":   "N       N       N       N       N       N       N",
    "admin":       "N       N       N       N       N       N       N",
}

CASES = (
    table(AUTHOR_ONLY, "public")
    + table(NOBODY, "staff")  # made staff-only after a resident commented
    + table(NOBODY, "staff_first_before")
    + table(AUTHOR_ONLY, "staff_first_after")
)


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_within_15_minutes(role, state, audience, expected):
    assert can_edit_comment(transient_user(role), transient_comment(state, audience, minutes_old=14.9)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(AUTHOR_ONLY, "public"))
def test_on_a_challenge(role, state, audience, expected):
    assert can_edit_comment(transient_user(role), transient_comment(state, audience, on_idea=False)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NOBODY, "public"))
def test_never_after_15_minutes(role, state, audience, expected):
    assert can_edit_comment(transient_user(role), transient_comment(state, audience, minutes_old=15)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NOBODY, "public"))
def test_never_once_deleted(role, state, audience, expected):
    assert can_edit_comment(transient_user(role), transient_comment(state, audience, deleted=True)) is expected


def test_a_staff_author_edits_on_a_draft():
    comment = transient_comment("draft", author="staff", on_idea=False)
    assert can_edit_comment(transient_user("staff"), comment) is True
    assert can_edit_comment(transient_user("admin"), comment) is False


@pytest.mark.parametrize("role, state, minutes, get_status, post_status, changed", [
    ("anonymous", "open", 1, 302, 302, False),
    ("author", "open", 1, 200, 302, True),
    ("author", "reviewing", 14, 200, 302, True),
    ("author", "open", 16, 302, 302, False),  # too late: back to the comment, with a message
    ("author", "archived", 1, 403, 403, False),
    ("resident", "open", 1, 403, 403, False),
    ("champion", "open", 1, 403, 403, False),
    ("moderator", "open", 1, 403, 403, False),
    ("admin", "open", 1, 403, 403, False),
])
def test_edit_page(as_role, make_challenge, make_idea, make_comment, cast, role, state, minutes, get_status,
                   post_status, changed):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea, author=cast("author"), body="Original")
    age(comment, minutes)
    set_status(challenge, state)
    client, _ = as_role(role)
    assert client.get(f"/comments/{comment.id}/edit").status_code == get_status
    response = send(client, f"/comments/{comment.id}/edit", {"body": "Changed"})
    assert response.status_code == post_status
    stored = reload(comment)
    assert (stored.body_source == "Changed") is changed
    assert (stored.edited_at is not None) is changed
