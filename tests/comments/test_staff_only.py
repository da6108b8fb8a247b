"""Comments in staff-only challenges (and drafts, and 'staff first' before their date) are
invisible to everyone else: every comment route answers 404, and their words appear nowhere."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows, main_of
from comments.support import send
from genius.comments.models import Comment

HIDDEN = [("open", "staff"), ("draft", "public"), ("open", "staff_first_before"), ("decided", "staff")]
OUTSIDERS = ["anonymous", "unconfirmed", "resident", "author"]
INSIDERS = ["staff", "champion", "moderator", "admin"]


@pytest.fixture
def internal(make_challenge, make_idea, make_comment, cast):
    def _internal(state: str, audience: str):
        public = make_challenge("open", title="Greener parks")
        hidden = make_challenge("open", audience, title="Internal restructuring of print rooms")
        idea = make_idea(hidden, title="Merge the print rooms", author=cast("staff"))
        on_idea = make_comment(hidden, idea, author=cast("champion"), body="Quartermaster savings are large")
        reply = make_comment(hidden, idea, author=cast("staff"), body="Quartermaster agrees", reply_to=on_idea)
        question = make_comment(hidden, None, author=cast("staff"), body="Quartermaster question")
        hidden.status = state
        from genius.extensions import db

        db.session.commit()
        return public, hidden, idea, [on_idea, reply, question]

    return _internal


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("state, audience", HIDDEN)
def test_invisible_to_non_staff(as_role, internal, role, state, audience):
    public, hidden, idea, comments = internal(state, audience)
    client, _ = as_role(role)
    for comment in comments:
        for path in (f"/comments/{comment.id}", f"/comments/{comment.id}/reply", f"/comments/{comment.id}/edit",
                     f"/comments/{comment.id}/delete"):
            status = client.get(path).status_code
            assert status == (404 if role != "anonymous" or path == f"/comments/{comment.id}" else 302), (path, status)
    for path in (f"/ideas/{idea.id}/comments", f"/challenges/{hidden.id}/comments"):
        assert client.get(path).status_code == (404 if role != "anonymous" else 302)
    if role != "anonymous":
        for comment in comments:
            assert send(client, f"/comments/{comment.id}/reply", {"body": "Peek"}).status_code == 404
            assert send(client, f"/comments/{comment.id}/delete").status_code == 404
        assert send(client, f"/ideas/{idea.id}/comments", {"body": "Peek"}).status_code == 404
        assert send(client, f"/challenges/{hidden.id}/comments", {"body": "Peek"}).status_code == 404
    assert count_rows(Comment) == 3
    for path in ("/", "/challenges", f"/challenges/{public.id}", "/search?q=Quartermaster"):
        html = main_of(client.get(path).get_data(as_text=True))
        for words in ("Quartermaster savings", "Quartermaster agrees", "Quartermaster question", "Merge the print rooms"):
            assert words not in html, (path, words)


@pytest.mark.parametrize("role", INSIDERS)
def test_staff_read_and_join_the_discussion(as_role, internal, role):
    public, hidden, idea, comments = internal("open", "staff")
    client, _ = as_role(role)
    assert client.get(f"/comments/{comments[1].id}").headers["Location"] == f"/ideas/{idea.id}#comment-{comments[1].id}"
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Quartermaster savings are large" in page and "Quartermaster agrees" in page
    assert "Quartermaster question" in client.get(f"/challenges/{hidden.id}").get_data(as_text=True)
    assert send(client, f"/comments/{comments[0].id}/reply", {"body": "Agreed"}).status_code == 302
    assert count_rows(Comment) == 4
