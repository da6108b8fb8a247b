"""Comment services: threads two levels deep, Markdown made safe once, official marks, the
15-minute edit window, deletion as a placeholder, and the stored counters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from challenges.factories import reload
from comments.support import bulk_threads
from genius.challenges.models import Challenge
from genius.comments import queries, services
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea


def test_a_comment_on_an_idea(make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea, body="Great idea, **really**.")
    assert (comment.challenge_id, comment.idea_id, comment.parent_id, comment.root_id, comment.depth) == (
        challenge.id, idea.id, None, None, 0)
    assert comment.body_source == "Great idea, **really**."
    assert comment.body_html == '<p class="govuk-body">Great idea, <strong>really</strong>.</p>\n'
    assert comment.is_official is False and comment.edited_at is None and comment.deleted_at is None
    assert reload(idea).comments_count == 1
    assert reload(challenge).comments_count == 0, "the challenge counts only comments on itself"


def test_a_question_on_a_challenge(make_challenge, make_comment):
    challenge = make_challenge("open")
    comment = make_comment(challenge, None, body="When will you decide?")
    assert comment.idea_id is None and comment.challenge_id == challenge.id
    assert reload(challenge).comments_count == 1


def test_replies_go_two_levels_deep_then_join_the_deepest_level(make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    top = make_comment(challenge, idea, author=cast("resident"))
    reply = make_comment(challenge, idea, author=cast("author"), reply_to=top)
    deeper = make_comment(challenge, idea, author=cast("staff"), reply_to=reply)
    deepest = make_comment(challenge, idea, author=cast("resident"), reply_to=deeper)
    assert (reply.depth, reply.parent_id, reply.root_id) == (1, top.id, top.id)
    assert (deeper.depth, deeper.parent_id, deeper.root_id) == (2, reply.id, top.id)
    # A reply to a reply to a reply: stored at depth 2, under the same parent as the comment it answers.
    assert (deepest.depth, deepest.parent_id, deepest.root_id) == (2, reply.id, top.id)
    assert reload(idea).comments_count == 4


def test_a_reply_must_stay_in_its_discussion(make_challenge, make_idea, make_comment):
    challenge = make_challenge("open")
    one, other = make_idea(challenge, title="One"), make_idea(challenge, title="Other")
    comment = make_comment(challenge, one)
    with pytest.raises(services.CommentError, match="same discussion"):
        services.post_comment(comment.author, challenge, other, "Sneaky", reply_to=comment)
    with pytest.raises(services.CommentError, match="same discussion"):
        services.post_comment(comment.author, challenge, None, "Sneaky", reply_to=comment)


def test_an_idea_of_another_challenge_is_refused(make_challenge, make_idea, cast):
    idea = make_idea(make_challenge("open", title="First"))
    with pytest.raises(services.CommentError):
        services.post_comment(cast("resident"), make_challenge("open", title="Second"), idea, "Hello")


def test_staff_comments_are_official(make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    for role, official in [("resident", False), ("staff", True), ("champion", True), ("moderator", True), ("admin", True)]:
        assert make_comment(challenge, idea, author=cast(role)).is_official is official, role


def test_official_is_decided_when_posting(make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    resident = cast("resident")
    comment = make_comment(challenge, idea, author=resident)
    resident.role = "staff"
    db.session.commit()
    assert reload(comment).is_official is False


@pytest.mark.parametrize("body, message", [
    ("", "Enter your comment"),
    (" \n\t ", "Enter your comment"),
    ("x" * 5001, "Comment must be 5,000 characters or fewer"),
])
def test_bad_bodies_are_refused(make_challenge, make_idea, cast, body, message):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    with pytest.raises(services.CommentError, match=message):
        services.post_comment(cast("resident"), challenge, idea, body)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
    assert reload(idea).comments_count == 0


def test_longest_body_and_line_breaks(make_challenge, make_idea, make_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    assert len(make_comment(challenge, idea, body="x" * 5000).body_source) == 5000
    # CRLF counts as one character, as the browser's character count shows it.
    crlf = "ab\r\n" * 1250 + "end"  # 5,003 characters as sent, 3,753 once each line break is one
    assert make_comment(challenge, idea, body=crlf).body_source.count("\r") == 0


@pytest.mark.parametrize("state, staff, allowed", [
    ("draft", False, False), ("draft", True, True), ("open", False, True), ("not_yet_open", False, True),
    ("closed_for_ideas", False, True), ("reviewing", False, True), ("decided", False, True),
    ("archived", False, False), ("archived", True, False),
])
def test_which_challenge_states_take_comments(make_challenge, cast, state, staff, allowed):
    challenge = make_challenge(state)
    author = cast("staff" if staff else "resident")
    if allowed:
        assert services.post_comment(author, challenge, None, "Hello").id
    else:
        with pytest.raises(services.CommentError, match="closed"):
            services.post_comment(author, challenge, None, "Hello")


def test_a_withdrawn_idea_takes_no_comments(make_challenge, make_idea, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge, withdrawn=True)
    with pytest.raises(services.CommentError, match="closed"):
        services.post_comment(cast("resident"), challenge, idea, "Hello")


def test_edit_within_15_minutes(make_challenge, make_idea, make_comment):
    challenge = make_challenge("open")
    comment = make_comment(challenge, make_idea(challenge), body="First")
    services.edit_comment(comment, "Second *thoughts*", now=comment.created_at + timedelta(minutes=14, seconds=59))
    db.session.commit()
    stored = reload(comment)
    assert stored.body_source == "Second *thoughts*" and "<em>thoughts</em>" in stored.body_html
    assert stored.edited_at is not None
    with pytest.raises(services.CommentError, match="15 minutes"):
        services.edit_comment(stored, "Third", now=stored.created_at + timedelta(minutes=15))
    with pytest.raises(services.CommentError, match="Enter your comment"):
        services.edit_comment(stored, "  ", now=stored.created_at)


def test_delete_leaves_a_placeholder_and_uncounts(make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    top = make_comment(challenge, idea, body="Delete me")
    reply = make_comment(challenge, idea, reply_to=top, author=cast("author"))
    question = make_comment(challenge, None)
    assert reload(idea).comments_count == 2
    services.delete_comment(top)
    services.delete_comment(question)
    db.session.commit()
    stored = reload(top)
    assert stored.is_deleted and stored.body_source == "" and stored.body_html == ""
    assert reload(reply).parent_id == top.id, "replies keep their thread"
    assert reload(idea).comments_count == 1
    assert reload(challenge).comments_count == 0
    with pytest.raises(services.CommentError, match="already"):
        services.delete_comment(stored)
    with pytest.raises(services.CommentError, match="deleted"):
        services.edit_comment(stored, "Back", now=stored.created_at)
    with pytest.raises(services.CommentError, match="deleted"):
        services.post_comment(cast("resident"), challenge, idea, "Reply", reply_to=stored)


def test_stored_counts_equal_the_live_counts(make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    comments = [make_comment(challenge, idea, author=cast(r)) for r in ("resident", "author", "staff")]
    comments.append(make_comment(challenge, idea, reply_to=comments[0]))
    comments.append(make_comment(challenge, None))
    services.delete_comment(comments[1])
    db.session.commit()
    assert reload(idea).comments_count == db.session.scalar(queries.live_count(challenge, idea)) == 3
    assert reload(challenge).comments_count == db.session.scalar(queries.live_count(challenge, None)) == 1


def test_recount_repairs_and_reports(make_challenge, make_idea, make_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    make_comment(challenge, idea)
    make_comment(challenge, None)
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(comments_count=7))
    db.session.execute(update(Challenge).where(Challenge.id == challenge.id).values(comments_count=0))
    db.session.commit()
    fixes = services.recount_comments()
    db.session.commit()
    assert {(f.kind, f.id, f.stored, f.actual) for f in fixes} == {("idea", idea.id, 7, 1), ("challenge", challenge.id, 0, 1)}
    assert reload(idea).comments_count == 1 and reload(challenge).comments_count == 1
    assert services.recount_comments() == []


def test_a_comment_counts_as_activity_on_the_idea(make_challenge, make_idea, make_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge, created_at=utcnow() - timedelta(days=5))
    before = reload(idea).last_activity_at
    make_comment(challenge, idea)
    assert reload(idea).last_activity_at > before


def test_threads_and_replies_queries(make_challenge, make_idea, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    roots = bulk_threads(challenge, idea, [cast("resident"), cast("author")], threads=3, replies_per_thread=3)
    page = db.session.scalars(queries.threads(challenge, idea)).all()
    assert [c.id for c in page] == roots
    replies = db.session.scalars(queries.replies(roots)).unique().all()
    assert len(replies) == 9 and {r.root_id for r in replies} == set(roots)
    assert {r.depth for r in replies} == {1, 2}
    assert reload(idea).comments_count == 12 == db.session.scalar(queries.live_count(challenge, idea))


def test_a_drifted_counter_never_goes_below_zero(make_challenge, make_idea, make_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea)
    question = make_comment(challenge, None)
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(comments_count=0))
    db.session.execute(update(Challenge).where(Challenge.id == challenge.id).values(comments_count=0))
    db.session.commit()
    services.delete_comment(comment)
    services.delete_comment(question)
    db.session.commit()
    assert reload(idea).comments_count == 0 and reload(challenge).comments_count == 0
