"""Comments end to end, without JavaScript: post, reply, reply to a reply, the depth limit, edit
within and after 15 minutes, delete as a placeholder, permalinks to the right page of threads,
official responses, and the accessible markup each comment gets."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from challenges.factories import count_rows, main_of, reload
from comments.support import age, bulk_threads, send
from genius.comments.models import THREADS_PER_PAGE, Comment
from genius.extensions import db


def article(html: str, comment_id: int) -> str:
    """The <article> of one comment on a page."""
    match = re.search(rf'<article class="genius-comment" id="comment-{comment_id}"[^>]*>(.*?)</article>', html, re.S)
    assert match, f"no article for comment {comment_id}"
    return match.group(1)


def newest() -> Comment:
    db.session.rollback()
    return db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()


@pytest.fixture
def idea(make_challenge, make_idea, cast):
    return make_idea(make_challenge("open", title="Safer streets"), author=cast("author"), title="Bike racks at schools")


def test_post_reply_and_reply_to_reply(as_role, idea):
    resident, _ = as_role("resident")
    response = send(resident, f"/ideas/{idea.id}/comments", {"body": "Great idea, **really**."})
    top = newest()
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}#comment-{top.id}"
    page = resident.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Your comment has been posted." in page
    assert "Great idea, <strong>really</strong>." in article(page, top.id)
    assert "1 comment." in page

    author, _ = as_role("author")
    assert "Reply to Resident Person" in author.get(f"/comments/{top.id}/reply").get_data(as_text=True)
    response = send(author, f"/comments/{top.id}/reply", {"body": "Thank you!"})
    reply = newest()
    assert response.headers["Location"] == f"/ideas/{idea.id}#comment-{reply.id}"
    assert (reply.depth, reply.parent_id, reply.root_id) == (1, top.id, top.id)

    send(resident, f"/comments/{reply.id}/reply", {"body": "You are welcome."})
    deeper = newest()
    assert (deeper.depth, deeper.parent_id, deeper.root_id) == (2, reply.id, top.id)

    page = as_role("anonymous")[0].get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "3 comments." in page
    # Replies nest inside their thread's list item, each level in its own list, with "in reply to" text.
    thread = page[page.index(f'id="comment-{top.id}"'):]
    assert thread.index(f'id="comment-{reply.id}"') < thread.index(f'id="comment-{deeper.id}"') < thread.index("</li>\n      </ol>")
    assert "in reply to" in article(page, reply.id) and "in reply to" in article(page, deeper.id)
    assert "in reply to" not in article(page, top.id)
    assert page.count('genius-comments__replies') == 2
    assert reload(idea).comments_count == 3


def test_a_reply_to_the_deepest_level_joins_it(as_role, idea, make_comment, cast):
    challenge = idea.challenge
    top = make_comment(challenge, idea, author=cast("resident"))
    reply = make_comment(challenge, idea, author=cast("author"), reply_to=top)
    deepest = make_comment(challenge, idea, author=cast("staff"), reply_to=reply)
    client, _ = as_role("resident")
    page = client.get(f"/comments/{deepest.id}/reply").get_data(as_text=True)
    assert "Replies go two levels deep, so yours will join this conversation" in page
    assert f'href="/comments/{deepest.id}/reply"' in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    send(client, f"/comments/{deepest.id}/reply", {"body": "Me too"})
    joined = newest()
    assert (joined.depth, joined.parent_id, joined.root_id) == (2, reply.id, top.id)


def test_questions_on_a_challenge(as_role, make_challenge, cast):
    challenge = make_challenge("open", champion=cast("champion"))
    resident, _ = as_role("resident")
    page = resident.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Questions and comments" in page and "Ask Charlie Champion, the challenge champion" in page
    assert f'action="/challenges/{challenge.id}/comments"' in page
    response = send(resident, f"/challenges/{challenge.id}/comments", {"body": "When do you decide?"})
    question = newest()
    assert response.headers["Location"] == f"/challenges/{challenge.id}#comment-{question.id}"
    champion, _ = as_role("champion")
    send(champion, f"/comments/{question.id}/reply", {"body": "In **March**."})
    answer = newest()
    assert answer.is_official and answer.idea_id is None
    page = resident.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Official response from the council" in article(page, answer.id)
    assert 'class="govuk-tag govuk-tag--purple">Official response from the council' in page
    assert "Official response" not in article(page, question.id)
    assert reload(challenge).comments_count == 2


def test_staff_comments_on_ideas_are_marked_official(as_role, idea):
    staff, _ = as_role("staff")
    send(staff, f"/ideas/{idea.id}/comments", {"body": "We are looking at this."})
    official = newest()
    resident, _ = as_role("resident")
    send(resident, f"/ideas/{idea.id}/comments", {"body": "Thanks"})
    mine = newest()
    page = resident.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Official response from the council" in article(page, official.id)
    assert "Official response from the council" not in article(page, mine.id)


def test_edit_within_15_minutes_shows_edited(as_role, idea):
    author, _ = as_role("resident")
    send(author, f"/ideas/{idea.id}/comments", {"body": "Tpyo"})
    comment = newest()
    page = author.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/comments/{comment.id}/edit"' in page and "(edited)" not in page
    form = author.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    assert ">Tpyo</textarea>" in form
    age(comment, 14)
    response = send(author, f"/comments/{comment.id}/edit", {"body": "Typo"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#comment-{comment.id}")
    stored = reload(comment)
    assert stored.body_source == "Typo" and stored.edited_at is not None
    assert "(edited)" in article(author.get(f"/ideas/{idea.id}").get_data(as_text=True), comment.id)


def test_no_edit_after_15_minutes(as_role, idea):
    author, _ = as_role("resident")
    send(author, f"/ideas/{idea.id}/comments", {"body": "Original"})
    comment = newest()
    age(comment, 15.5)
    assert f"/comments/{comment.id}/edit" not in author.get(f"/ideas/{idea.id}").get_data(as_text=True)
    response = send(author, f"/comments/{comment.id}/edit", {"body": "Too late"})
    assert response.status_code == 302
    page = author.get(response.headers["Location"]).get_data(as_text=True)
    assert "You can only edit a comment in the 15 minutes after posting it." in page
    assert reload(comment).body_source == "Original" and reload(comment).edited_at is None


def test_delete_leaves_a_placeholder_that_keeps_the_thread(as_role, idea, make_comment, cast):
    challenge = idea.challenge
    resident, me = as_role("resident")
    top = make_comment(challenge, idea, author=me, body="Regrettable words")
    reply = make_comment(challenge, idea, author=cast("author"), reply_to=top, body="A fair answer")
    age(top, 60)
    page = resident.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/comments/{top.id}/delete"' in page and f'href="/comments/{reply.id}/delete"' not in page
    confirm = resident.get(f"/comments/{top.id}/delete").get_data(as_text=True)
    assert "Are you sure you want to delete your comment?" in confirm and "Regrettable words" in confirm
    assert count_rows(Comment) == 2, "the confirmation page changes nothing"
    response = send(resident, f"/comments/{top.id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}#comment-{top.id}"
    stored = reload(top)
    assert stored.is_deleted and stored.body_source == "" and stored.body_html == ""
    page = as_role("anonymous")[0].get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Regrettable words" not in page
    assert "This comment was deleted." in article(page, top.id)
    assert "A fair answer" in article(page, reply.id) and "in reply to a deleted comment" in article(page, reply.id)
    assert "1 comment." in page and reload(idea).comments_count == 1
    assert f'href="/comments/{top.id}/reply"' not in resident.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert resident.get(f"/comments/{top.id}/reply").status_code == 403


def test_get_never_changes_anything(as_role, idea, make_comment, cast):
    comment = make_comment(idea.challenge, idea, author=cast("resident"))
    client, _ = as_role("resident")
    for path in (f"/comments/{comment.id}/delete", f"/comments/{comment.id}/edit", f"/comments/{comment.id}/reply",
                 f"/ideas/{idea.id}/comments", f"/comments/{comment.id}"):
        client.get(path)
    assert count_rows(Comment) == 1 and not reload(comment).is_deleted


def test_every_change_needs_the_csrf_token(as_role, idea, make_comment, cast):
    comment = make_comment(idea.challenge, idea, author=cast("resident"))
    client, _ = as_role("resident")
    for path, data in [(f"/ideas/{idea.id}/comments", {"body": "x"}), (f"/comments/{comment.id}/reply", {"body": "x"}),
                       (f"/comments/{comment.id}/edit", {"body": "x"}), (f"/comments/{comment.id}/delete", {})]:
        assert client.post(path, data=data).status_code == 400, path
    assert count_rows(Comment) == 1 and reload(comment).body_source == "A thoughtful comment."


def test_permalink_goes_to_the_right_page_of_threads(as_role, idea, cast):
    roots = bulk_threads(idea.challenge, idea, [cast("resident"), cast("author")], threads=120, replies_per_thread=2)
    db.session.rollback()
    reply_in_thread_75 = db.session.scalar(select(Comment.id).where(Comment.root_id == roots[74], Comment.depth == 2))
    client, _ = as_role("anonymous")
    assert THREADS_PER_PAGE == 20
    cases = {roots[0]: 1, roots[19]: 1, roots[20]: 2, roots[74]: 4, reply_in_thread_75: 4, roots[119]: 6}
    for comment_id, page_number in cases.items():
        response = client.get(f"/comments/{comment_id}")
        suffix = f"?comments_page={page_number}" if page_number > 1 else ""
        assert response.headers["Location"] == f"/ideas/{idea.id}{suffix}#comment-{comment_id}", comment_id
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert f'id="comment-{comment_id}"' in page
    assert client.get("/comments/987654").status_code == 404


def test_pages_of_threads_keep_the_comments_anchor(as_role, make_challenge, make_idea, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    roots = bulk_threads(challenge, idea, [cast("resident")], threads=41)
    client, _ = as_role("anonymous")
    first = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert first.count('class="genius-comment"') == THREADS_PER_PAGE == 20
    assert "41 comments in 41 conversations, showing page 1 of 3." in first
    assert f'href="/ideas/{idea.id}?comments_page=2#comments"' in first
    assert 'aria-label="Pages of comments"' in first
    third = client.get(f"/ideas/{idea.id}?comments_page=3").get_data(as_text=True)
    assert third.count('class="genius-comment"') == 1 and f'id="comment-{roots[40]}"' in third
    assert "There are no comments on this page." in client.get(f"/ideas/{idea.id}?comments_page=9").get_data(as_text=True)
    assert client.get(f"/ideas/{idea.id}?comments_page=99999999999").status_code == 404
    # On a challenge, comment pages keep the list of ideas where it was (its own `page`).
    questions = bulk_threads(challenge, None, [cast("resident")], threads=21)
    page = client.get(f"/challenges/{challenge.id}?sort=newest&page=1").get_data(as_text=True)
    [href] = set(re.findall(rf'href="(/challenges/{challenge.id}\?[^"]*comments_page=2[^"]*)"', page))
    assert href.endswith("#comments") and "sort=newest" in href and "&amp;page=1" in href, href
    assert f'/comments/{questions[0]}' in page


def test_comment_markup(as_role, idea, make_comment, cast):
    comment = make_comment(idea.challenge, idea, author=cast("resident"))
    page = main_of(as_role("anonymous")[0].get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert '<section id="comments" aria-labelledby="comments-heading">' in page
    body = article(page, comment.id)
    assert f'<a class="govuk-link govuk-link--muted" href="/comments/{comment.id}"><time datetime="' in body
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', body)
    assert "<h" not in body, "comments are heading-less"
    assert "Sign in</a> or" in page and 'name="body"' not in page


def test_unconfirmed_people_are_told_to_confirm(as_role, idea):
    client, _ = as_role("unconfirmed")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Confirm your email address to comment." in page and 'name="body"' not in page
    response = send(client, f"/ideas/{idea.id}/comments", {"body": "Hello"})
    assert response.headers["Location"] == "/account" and count_rows(Comment) == 0


def test_an_anonymous_ideas_author_is_not_named_in_comments(as_role, make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge, anonymous=True, author=cast("author"))
    own = make_comment(challenge, idea, author=cast("author"), body="I posted this")
    other = make_comment(challenge, idea, author=cast("resident"), reply_to=own)
    for role, named in [("anonymous", False), ("resident", False), ("staff", False), ("moderator", True), ("author", True)]:
        page = main_of(as_role(role)[0].get(f"/ideas/{idea.id}").get_data(as_text=True))
        assert ("Avery Author" in page) is named, role
        assert ("The author of the idea" in article(page, own.id)) is not named, role
        assert (("in reply to The author of the idea" in article(page, other.id)) is not named), role
