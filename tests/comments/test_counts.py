"""Stored counters stay equal to the live counts through posting, replying, editing and deleting,
on ideas and on challenges (whose counter holds only comments on the challenge itself)."""

from __future__ import annotations

from sqlalchemy import select

from challenges.factories import reload
from comments.support import age, send
from genius.comments import queries
from genius.comments.models import Comment
from genius.extensions import db


def newest() -> Comment:
    db.session.rollback()
    return db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()


def live(challenge, idea) -> int:
    db.session.rollback()
    return db.session.scalar(queries.live_count(challenge, idea))


def test_counts_follow_every_change(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    other = make_idea(challenge, title="Another idea")
    resident, _ = as_role("resident")
    author, _ = as_role("author")
    expected = {"idea": 0, "other": 0, "challenge": 0}

    def check():
        assert reload(idea).comments_count == live(challenge, idea) == expected["idea"]
        assert reload(other).comments_count == live(challenge, other) == expected["other"]
        assert reload(challenge).comments_count == live(challenge, None) == expected["challenge"]

    send(resident, f"/ideas/{idea.id}/comments", {"body": "One"})
    first = newest()
    expected["idea"] += 1
    check()
    send(author, f"/comments/{first.id}/reply", {"body": "Two"})
    reply = newest()
    expected["idea"] += 1
    check()
    send(resident, f"/challenges/{challenge.id}/comments", {"body": "Question"})
    question = newest()
    expected["challenge"] += 1
    check()
    send(resident, f"/ideas/{other.id}/comments", {"body": "Elsewhere"})
    expected["other"] += 1
    check()
    send(resident, f"/comments/{first.id}/edit", {"body": "One, edited"})
    check()
    send(resident, f"/comments/{first.id}/delete")
    expected["idea"] -= 1
    check()
    send(resident, f"/comments/{first.id}/delete")  # a second time: refused, nothing moves
    check()
    age(reply, 120)
    send(author, f"/comments/{reply.id}/delete")
    expected["idea"] -= 1
    check()
    send(resident, f"/comments/{question.id}/delete")
    expected["challenge"] -= 1
    check()
    page = resident.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "0 comments." in page and page.count("This comment was deleted.") == 2
