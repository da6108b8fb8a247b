"""Anti-automation (SECURITY.md 15): comments, replies and edits share one budget per person and
one per address (COMMENT_LIMIT); over it, 429 and nothing written."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows
from comments.support import send
from conftest import sign_in
from genius.comments.models import Comment


@pytest.fixture
def limit_of_three(app):
    app.config["COMMENT_LIMIT"] = "3 per minute"


def test_the_default_limit(app):
    assert app.config["COMMENT_LIMIT"] == "20 per minute"


def test_per_person_whatever_the_address(limit_of_three, new_client, make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    person = cast("resident")
    other = make_comment(challenge, idea, author=cast("author"))
    paths = [f"/ideas/{idea.id}/comments", f"/challenges/{challenge.id}/comments", f"/comments/{other.id}/reply"]
    for n, path in enumerate(paths):
        client = new_client(f"10.3.0.{n}")
        sign_in(client, person.email)
        assert send(client, path, {"body": f"Comment {n}"}).status_code == 302, path
    client = new_client("10.3.0.99")
    sign_in(client, person.email)
    assert send(client, f"/ideas/{idea.id}/comments", {"body": "One too many"}).status_code == 429
    assert count_rows(Comment) == 4


def test_per_address_whatever_the_person(limit_of_three, new_client, make_challenge, make_idea, make_user):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    for n in range(3):
        client = new_client("10.4.0.1")
        sign_in(client, make_user().email)
        assert send(client, f"/ideas/{idea.id}/comments", {"body": f"Comment {n}"}).status_code == 302
    client = new_client("10.4.0.1")
    sign_in(client, make_user().email)
    assert send(client, f"/ideas/{idea.id}/comments", {"body": "From the same address"}).status_code == 429
    assert count_rows(Comment) == 3


def test_reading_is_not_limited(limit_of_three, as_role, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    client, _ = as_role("resident")
    for _ in range(10):
        assert client.get(f"/ideas/{idea.id}/comments").status_code == 200
