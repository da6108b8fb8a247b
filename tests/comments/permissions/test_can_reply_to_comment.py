"""can_reply_to_comment: as for posting in that discussion, to a comment that is not deleted."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows
from challenges.world import table, transient_user
from comments.support import send, set_status, transient_comment
from genius.comments.models import Comment
from genius.comments.permissions import can_reply_to_comment

from .test_can_post_comment import NOBODY, PUBLIC, STAFF_ONLY

CASES = (
    table(PUBLIC, "public")
    + table(STAFF_ONLY, "staff")
    + table(STAFF_ONLY, "staff_first_before")
    + table(PUBLIC, "staff_first_after")
)


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_on_an_idea(role, state, audience, expected):
    assert can_reply_to_comment(transient_user(role), transient_comment(state, audience)) is expected


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_on_a_challenge(role, state, audience, expected):
    assert can_reply_to_comment(transient_user(role), transient_comment(state, audience, on_idea=False)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NOBODY, "public"))
def test_never_to_a_deleted_comment(role, state, audience, expected):
    assert can_reply_to_comment(transient_user(role), transient_comment(state, audience, deleted=True)) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NOBODY, "public"))
def test_never_on_a_withdrawn_idea(role, state, audience, expected):
    assert can_reply_to_comment(transient_user(role), transient_comment(state, audience, withdrawn=True)) is expected


def test_no_comment():
    assert can_reply_to_comment(transient_user("resident"), None) is False


@pytest.mark.parametrize("role, state, audience, get_status, post_status", [
    ("anonymous", "open", "public", 302, 302),
    ("unconfirmed", "open", "public", 302, 302),
    ("resident", "open", "public", 200, 302),
    ("author", "decided", "public", 200, 302),
    ("resident", "archived", "public", 403, 403),
    ("resident", "open", "staff", 404, 404),
    ("staff", "open", "staff", 200, 302),
])
def test_reply_page(as_role, make_challenge, make_idea, make_comment, cast, role, state, audience, get_status, post_status):
    challenge = make_challenge("open", audience)
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea, author=cast("champion"))
    set_status(challenge, state)
    client, _ = as_role(role)
    assert client.get(f"/comments/{comment.id}/reply").status_code == get_status
    response = send(client, f"/comments/{comment.id}/reply", {"body": "A reply"})
    assert response.status_code == post_status
    assert count_rows(Comment) == (2 if get_status == 200 else 1)
