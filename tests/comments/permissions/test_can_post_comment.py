"""can_post_comment: signed in, email confirmed, able to see the idea or challenge, while the
discussion is open: open (before, during and after its idea dates), reviewing, decided; never
archived; drafts for staff only; never on a withdrawn idea."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows
from challenges.world import table, transient_challenge, transient_idea, transient_user
from comments.support import send, set_status
from genius.comments.models import Comment
from genius.comments.permissions import can_post_comment

# Columns: the challenge states (soon = open before its opening date; closed = open after its closing date).
PUBLIC = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       Y       Y       Y       Y       Y       N",
    "author":      "N       Y       Y       Y       Y       Y       N",
    "staff":       "Y       Y       Y       Y       Y       Y       N",
    "champion":    "Y       Y       Y       Y       Y       Y       N",
    "creator":     "Y       Y       Y       Y       Y       Y       N",
    "moderator":   "Y       Y       Y       Y       Y       Y       N",
    "admin":       "Y       Y       Y       Y       Y       Y       N",
}

# Staff-only, and 'staff first' before its public date: invisible to everyone else.
STAFF_ONLY = {
    #               draft   open    soon    closed  review  decided archived
    "anonymous":   "N       N       N       N       N       N       N",
    "unconfirmed": "N       N       N       N       N       N       N",
    "resident":    "N       N       N       N       N       N       N",
    "author":      "N       N       N       N       N       N       N",
    "staff":       "Y       Y       Y       Y       Y       Y       N",
    "champion":    "Y       Y       Y       Y       Y       Y       N",
    "creator":     "Y       Y       Y       Y       Y       Y       N",
    "moderator":   "Y       Y       Y       Y       Y       Y       N",
    "admin":       "Y       Y       Y       Y       Y       Y       N",
}

NOBODY = {role: "N N N N N N N" for role in PUBLIC}

CASES = (
    table(PUBLIC, "public")
    + table(STAFF_ONLY, "staff")
    + table(STAFF_ONLY, "staff_first_before")
    + table(PUBLIC, "staff_first_after")
)


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_on_an_idea(role, state, audience, expected):
    assert can_post_comment(transient_user(role), transient_challenge(state, audience), transient_idea(state, audience)) is expected


@pytest.mark.parametrize("role, state, audience, expected", CASES)
def test_on_a_challenge(role, state, audience, expected):
    assert can_post_comment(transient_user(role), transient_challenge(state, audience), None) is expected


@pytest.mark.parametrize("role, state, audience, expected", table(NOBODY, "public"))
def test_never_on_a_withdrawn_idea(role, state, audience, expected):
    idea = transient_idea(state, audience, withdrawn=True)
    assert can_post_comment(transient_user(role), idea.challenge, idea) is expected


def test_nothing_to_comment_on():
    assert can_post_comment(transient_user("resident"), None) is False


@pytest.mark.parametrize("role, state, audience, status, goes_to", [
    ("anonymous", "open", "public", 302, "/sign-in"),
    ("unconfirmed", "open", "public", 302, "/account"),
    ("resident", "open", "public", 302, "/ideas/"),
    ("resident", "reviewing", "public", 302, "/ideas/"),
    ("resident", "decided", "public", 302, "/ideas/"),
    ("resident", "archived", "public", 403, None),
    ("resident", "open", "staff", 404, None),
    ("author", "open", "staff_first_before", 404, None),
    ("staff", "open", "staff", 302, "/ideas/"),
    ("admin", "archived", "public", 403, None),
])
def test_posting_on_an_idea(as_role, make_challenge, make_idea, role, state, audience, status, goes_to):
    challenge = make_challenge("open", audience)
    idea = make_idea(challenge)
    set_status(challenge, state)
    client, _ = as_role(role)
    response = send(client, f"/ideas/{idea.id}/comments", {"body": "Hello"})
    assert response.status_code == status
    if goes_to:
        assert response.headers["Location"].startswith(goes_to)
    assert count_rows(Comment) == (1 if goes_to == "/ideas/" else 0)
    page = client.get(f"/ideas/{idea.id}")
    if page.status_code == 200:
        assert ('name="body"' in page.get_data(as_text=True)) is (goes_to == "/ideas/")


@pytest.mark.parametrize("role, state, audience, status", [
    ("anonymous", "open", "public", 302),
    ("resident", "open", "public", 302),
    ("resident", "reviewing", "public", 302),
    ("resident", "draft", "public", 404),
    ("champion", "draft", "public", 302),
    ("resident", "archived", "public", 403),
    ("resident", "open", "staff", 404),
    ("moderator", "open", "staff", 302),
])
def test_asking_on_a_challenge(as_role, make_challenge, role, state, audience, status):
    challenge = make_challenge(state, audience)
    client, _ = as_role(role)
    response = send(client, f"/challenges/{challenge.id}/comments", {"body": "A question"})
    assert response.status_code == status
    written = status == 302 and role != "anonymous"
    assert count_rows(Comment) == (1 if written else 0)
    if written:
        assert response.headers["Location"].startswith(f"/challenges/{challenge.id}#comment-")


def test_the_archived_page_says_why(as_role, make_challenge, make_idea):
    challenge = make_challenge("archived")
    idea = make_idea(challenge)
    client, _ = as_role("resident")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "This challenge is archived, so its discussions are closed." in page and 'name="body"' not in page
