"""The rows a comment creates in its own transaction: a comment on your idea tells you; a reply to
your comment tells you; never the person who wrote it; commenters follow what they discuss."""

from __future__ import annotations

from sqlalchemy import select

from comments.support import send
from genius.comments.models import Comment
from genius.extensions import db
from genius.notifications.models import Follow, Notification
from genius.notifications.services import save_settings


def rows() -> set[tuple[int, str, int | None]]:
    db.session.rollback()
    return {(n.user_id, n.kind, n.comment_id) for n in db.session.scalars(select(Notification))}


def newest() -> Comment:
    db.session.rollback()
    return db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()


def test_a_comment_tells_the_ideas_author(as_role, make_challenge, make_idea, cast):
    idea = make_idea(make_challenge("open"), author=cast("author"))
    client, resident = as_role("resident")
    send(client, f"/ideas/{idea.id}/comments", {"body": "Nice **one**"})
    comment = newest()
    assert rows() == {(cast("author").id, "comment_on_your_idea", comment.id)}
    note = db.session.scalar(select(Notification))
    assert note.idea_id == idea.id and note.actor_id == resident.id and note.message == "Nice **one**"
    assert note.title == "New comment on your idea ‘Bike racks at schools’"
    follows = {(f.user_id, f.target_kind, f.target_id) for f in db.session.scalars(select(Follow))}
    assert follows == {(resident.id, "idea", idea.id)}


def test_commenting_on_your_own_idea_tells_nobody(as_role, make_challenge, make_idea, cast):
    idea = make_idea(make_challenge("open"), author=cast("author"))
    client, _ = as_role("author")
    send(client, f"/ideas/{idea.id}/comments", {"body": "More detail"})
    assert rows() == set()


def test_a_reply_tells_the_parents_author_and_the_ideas_author(as_role, make_challenge, make_idea, make_comment, cast):
    idea = make_idea(make_challenge("open"), author=cast("author"))
    top = make_comment(idea.challenge, idea, author=cast("resident"))
    before = rows()
    client, _ = as_role("staff")
    send(client, f"/comments/{top.id}/reply", {"body": "Answer"})
    reply = newest()
    assert rows() - before == {(cast("resident").id, "reply_to_your_comment", reply.id),
                               (cast("author").id, "comment_on_your_idea", reply.id)}


def test_a_reply_to_the_ideas_author_tells_them_once(as_role, make_challenge, make_idea, make_comment, cast):
    idea = make_idea(make_challenge("open"), author=cast("author"))
    top = make_comment(idea.challenge, idea, author=cast("author"))
    client, _ = as_role("resident")
    send(client, f"/comments/{top.id}/reply", {"body": "Answer"})
    assert rows() == {(cast("author").id, "reply_to_your_comment", newest().id)}


def test_replying_to_yourself_tells_only_the_ideas_author(as_role, make_challenge, make_idea, make_comment, cast):
    idea = make_idea(make_challenge("open"), author=cast("author"))
    client, me = as_role("resident")
    top = make_comment(idea.challenge, idea, author=me)
    before = rows()
    send(client, f"/comments/{top.id}/reply", {"body": "Also"})
    assert rows() - before == {(cast("author").id, "comment_on_your_idea", newest().id)}


def test_a_reply_at_the_deepest_level_tells_the_person_replied_to(as_role, make_challenge, make_idea, make_comment, cast):
    idea = make_idea(make_challenge("open"), author=cast("author"))
    top = make_comment(idea.challenge, idea, author=cast("author"))
    reply = make_comment(idea.challenge, idea, author=cast("staff"), reply_to=top)
    deepest = make_comment(idea.challenge, idea, author=cast("moderator"), reply_to=reply)
    before = rows()
    client, _ = as_role("resident")
    send(client, f"/comments/{deepest.id}/reply", {"body": "Agreed"})
    joined = newest()
    assert joined.parent_id == reply.id
    assert rows() - before == {(cast("moderator").id, "reply_to_your_comment", joined.id),
                               (cast("author").id, "comment_on_your_idea", joined.id)}


def test_a_question_on_a_challenge_follows_it_and_a_reply_tells_the_asker(as_role, make_challenge, cast):
    challenge = make_challenge("open")
    client, resident = as_role("resident")
    send(client, f"/challenges/{challenge.id}/comments", {"body": "When?"})
    question = newest()
    assert rows() == set()
    assert db.session.scalar(select(Follow.target_kind).where(Follow.user_id == resident.id)) == "challenge"
    champion, _ = as_role("champion")
    send(champion, f"/comments/{question.id}/reply", {"body": "Soon"})
    assert rows() == {(resident.id, "reply_to_your_comment", newest().id)}


def test_auto_follow_can_be_switched_off(as_role, make_challenge, make_idea, cast):
    idea = make_idea(make_challenge("open"))
    client, resident = as_role("resident")
    save_settings(resident.id, follow_what_i_comment_on=False)
    db.session.commit()
    send(client, f"/ideas/{idea.id}/comments", {"body": "Hello"})
    db.session.rollback()
    assert db.session.scalars(select(Follow)).all() == []


def test_refused_comments_tell_nobody(as_role, make_challenge, make_idea, cast):
    idea = make_idea(make_challenge("archived"), author=cast("author"))
    client, _ = as_role("resident")
    assert send(client, f"/ideas/{idea.id}/comments", {"body": "Hello"}).status_code == 403
    assert send(client, f"/ideas/{idea.id}/comments", {"body": ""}).status_code == 403
    assert rows() == set() and db.session.scalars(select(Follow)).all() == []
