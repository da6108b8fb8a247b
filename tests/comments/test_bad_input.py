"""Bad input to the comment forms: 400, the GOV.UK error summary, the message next to the field,
and no row written (nor a counter moved, nor anyone notified). Fields a form does not show
(author, official mark, depth, counts) cannot be set through it."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows, reload
from comments.support import send
from core.support import error_summary, field_error
from genius.comments.models import Comment
from genius.extensions import db
from genius.notifications.models import Follow, Notification

CASES = [
    ("empty", {"body": ""}, "Enter your comment"),
    ("blank", {"body": "  \r\n\t "}, "Enter your comment"),
    ("missing", {}, "Enter your comment"),
    ("too long", {"body": "x" * 5001}, "Comment must be 5,000 characters or fewer"),
]


@pytest.mark.parametrize("name, data, message", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("where", ["idea", "challenge"])
def test_new_comment(as_role, make_challenge, make_idea, name, data, message, where):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    client, _ = as_role("resident")
    path = f"/ideas/{idea.id}/comments" if where == "idea" else f"/challenges/{challenge.id}/comments"
    response = send(client, path, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert error_summary(html) == {"#body": message}
    assert field_error(html, "body") == message
    assert "<title>Error: " in html
    assert count_rows(Comment) == 0 and count_rows(Notification) == 0 and count_rows(Follow) == 0
    assert reload(idea).comments_count == 0 and reload(challenge).comments_count == 0


@pytest.mark.parametrize("name, data, message", CASES, ids=[c[0] for c in CASES])
def test_reply(as_role, make_challenge, make_idea, make_comment, cast, name, data, message):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea, author=cast("staff"))
    client, _ = as_role("resident")
    response = send(client, f"/comments/{comment.id}/reply", {"body": "y" * 5001} if name == "too long" else data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert error_summary(html) == {"#body": message.replace("comment", "reply").replace("Comment", "Reply")}
    assert count_rows(Comment) == 1 and reload(idea).comments_count == 1


@pytest.mark.parametrize("name, data, message", CASES, ids=[c[0] for c in CASES])
def test_edit(as_role, make_challenge, make_idea, make_comment, name, data, message):
    challenge = make_challenge("open")
    client, me = as_role("resident")
    comment = make_comment(challenge, make_idea(challenge), author=me, body="Unchanged")
    response = send(client, f"/comments/{comment.id}/edit", data)
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)) == {"#body": message}
    stored = reload(comment)
    assert stored.body_source == "Unchanged" and stored.edited_at is None


def test_5000_characters_and_line_breaks_are_fine(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    client, _ = as_role("resident")
    assert send(client, f"/ideas/{idea.id}/comments", {"body": "x" * 5000}).status_code == 302
    # 5,003 characters as the browser sends them (CRLF line breaks), 3,753 as the character count shows them.
    assert send(client, f"/ideas/{idea.id}/comments", {"body": "ab\r\n" * 1250 + "end"}).status_code == 302
    assert count_rows(Comment) == 2


def test_the_honeypot(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    client, _ = as_role("resident")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert '<div hidden>' in page and 'name="website"' in page
    response = send(client, f"/ideas/{idea.id}/comments", {"body": "Buy pills", "website": "http://spam.example"})
    assert response.status_code == 400
    assert count_rows(Comment) == 0


def test_fields_the_form_does_not_show_are_ignored(as_role, make_challenge, make_idea, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    client, me = as_role("resident")
    send(client, f"/ideas/{idea.id}/comments", {"body": "Hello", "is_official": "y", "author_id": str(cast("admin").id),
                                                "depth": "2", "idea_id": "999", "challenge_id": "999", "parent_id": "1"})
    stored = only_comment()
    assert (stored.author_id, stored.is_official, stored.depth, stored.idea_id, stored.parent_id) == (me.id, False, 0, idea.id, None)


def only_comment() -> Comment:
    db.session.rollback()
    [comment] = db.session.scalars(db.select(Comment)).all()
    return comment
