"""The stored comment count says what the public sees. Replies under a held or hidden comment disappear
with it from the page, so they leave the count too, and come back with it; a deleted comment stays as a
placeholder that keeps its replies. After every step the stored counter, the page, the live count
(comments.queries.counted) and `genius recount` agree."""

from __future__ import annotations

import re

import pytest

from challenges.factories import reload, submit
from genius.comments import queries as comment_queries
from genius.comments import services as comment_services
from genius.comments.models import Comment
from genius.extensions import db
from genius.maintenance import recount
from genius.moderation import people, services

ARTICLE = re.compile(r'<article class="genius-comment" id="comment-(\d+)" aria-label="([^"]*)"')


@pytest.fixture
def discussion(make_challenge, make_idea, make_comment, cast, new_client, request):
    """On an idea (or on the challenge itself): thread A with replies a1 (and a1's reply a2) and a1b; thread B.
    `check()` asserts the stored count equals what an anonymous reader sees, the live count and recount."""
    challenge = make_challenge()
    idea = make_idea(challenge) if request.param == "idea" else None
    people = [cast(role) for role in ("resident", "author", "staff")]
    made = {"A": make_comment(challenge, idea, author=people[0], body="Thread A")}
    made["a1"] = make_comment(challenge, idea, author=people[1], body="Reply a1", reply_to=made["A"])
    made["a2"] = make_comment(challenge, idea, author=people[0], body="Reply a2", reply_to=made["a1"])
    made["a1b"] = make_comment(challenge, idea, author=people[2], body="Reply a1b", reply_to=made["A"])
    made["B"] = make_comment(challenge, idea, author=people[1], body="Thread B")
    page = f"/ideas/{idea.id}" if idea is not None else f"/challenges/{challenge.id}"

    def shown() -> set[str]:
        """The comments an anonymous reader sees on the page (placeholders of deleted ones left out)."""
        ids = {comment.id: name for name, comment in made.items()}
        html = new_client().get(page).get_data(as_text=True)
        return {ids.get(int(i), i) for i, label in ARTICLE.findall(html) if label != "Deleted comment"}

    def check(expected: set[str]) -> None:
        assert shown() == expected
        db.session.rollback()
        target = reload(idea) if idea is not None else reload(challenge)
        assert target.comments_count == len(expected)
        assert db.session.scalar(comment_queries.live_count(challenge, idea)) == len(expected)
        assert recount(apply=False).changes == []
        html = new_client().get(page).get_data(as_text=True)
        assert f"{len(expected)} comment" in html

    class Discussion:
        pass

    d = Discussion()
    d.challenge, d.idea, d.made, d.check = challenge, idea, made, check
    d.get = lambda name: db.session.get(Comment, made[name].id)
    return d


EVERYONE = {"A", "a1", "a2", "a1b", "B"}
BOTH = pytest.mark.parametrize("discussion", ["idea", "challenge"], indirect=True)


@BOTH
def test_hiding_and_restoring_a_thread_through_the_moderation_pages(discussion, as_role):
    discussion.check(EVERYONE)
    moderator, _ = as_role("moderator")
    item = f"/moderation/comment/{discussion.made['A'].id}"
    assert submit(moderator, f"{item}/hide", {"hide-reason": "spam", "hide-note": ""}, token_from=item).status_code == 302
    discussion.check({"B"})
    assert submit(moderator, f"{item}/restore", {"restore-note": ""}, token_from=item).status_code == 302
    discussion.check(EVERYONE)


@BOTH
def test_hiding_a_reply_takes_its_replies_and_a_hidden_leaf_stays_out(discussion, cast):
    moderator = cast("moderator")
    services.hide(discussion.get("a2"), moderator, "spam")
    db.session.commit()
    discussion.check({"A", "a1", "a1b", "B"})
    services.hide(discussion.get("a1"), moderator, "abusive")
    db.session.commit()
    discussion.check({"A", "a1b", "B"})
    services.hide(discussion.get("A"), moderator, "spam")  # already without a1 and a2
    db.session.commit()
    discussion.check({"B"})
    services.restore(discussion.get("A"), moderator)
    db.session.commit()
    discussion.check({"A", "a1b", "B"})
    services.restore(discussion.get("a1"), moderator)
    db.session.commit()
    discussion.check({"A", "a1", "a1b", "B"})


@BOTH
def test_a_thread_hidden_by_reports_comes_back_when_they_are_dismissed(discussion, make_user, cast):
    thread = discussion.get("A")
    for _ in range(3):  # the default threshold
        services.report(thread, make_user(), "spam")
    db.session.commit()
    assert reload(thread).moderation_state == "hidden"
    discussion.check({"B"})
    services.dismiss_reports(discussion.get("A"), cast("moderator"))
    db.session.commit()
    discussion.check(EVERYONE)


@BOTH
def test_hiding_everything_a_person_wrote_counts_each_comment_once(discussion, cast):
    # The resident wrote thread A and the reply a2 under it.
    people.hide_all_content(cast("resident"), cast("moderator"), "spam")
    db.session.commit()
    discussion.check({"B"})


@BOTH
def test_a_reply_posted_or_deleted_under_a_hidden_thread_moves_no_count(discussion, cast):
    moderator = cast("moderator")
    services.hide(discussion.get("A"), moderator, "spam")
    db.session.commit()
    # A moderator can still see the thread and answer a visible reply in it.
    late = comment_services.post_comment(moderator, discussion.challenge, discussion.idea, "Noted",
                                         reply_to=discussion.get("a1b"))
    db.session.commit()
    discussion.check({"B"})
    comment_services.delete_comment(discussion.get("a1b"))
    db.session.commit()
    discussion.check({"B"})
    services.restore(discussion.get("A"), moderator)
    db.session.commit()
    discussion.made["late"] = late  # under the deleted a1b's placeholder
    discussion.check({"A", "a1", "a2", "B", "late"})


@BOTH
def test_a_deleted_thread_keeps_its_replies_until_it_is_hidden(discussion, cast):
    comment_services.delete_comment(discussion.get("A"))
    db.session.commit()
    discussion.check({"a1", "a2", "a1b", "B"})
    services.hide(discussion.get("A"), cast("moderator"), "spam")
    db.session.commit()
    discussion.check({"B"})
    services.restore(discussion.get("A"), cast("moderator"))
    db.session.commit()
    discussion.check({"a1", "a2", "a1b", "B"})


@pytest.mark.parametrize("discussion", ["idea"], indirect=True)
def test_replies_under_a_hidden_comment_do_not_open_by_their_own_address(discussion, cast, as_role):
    services.hide(discussion.get("A"), cast("moderator"), "spam", "Advertising")
    db.session.commit()
    for name in ("a1", "a2", "a1b"):
        path = f"/comments/{discussion.made[name].id}"
        for role in ("anonymous", "author", "resident"):
            client, _ = as_role(role)
            assert client.get(path).status_code == 404, (name, role)
            assert client.get(f"{path}/reply").status_code in (302, 404), (name, role)
        moderator, _ = as_role("moderator")
        assert moderator.get(path).status_code in (200, 302), name
    services.restore(discussion.get("A"), cast("moderator"))
    db.session.commit()
    client, _ = as_role("anonymous")
    assert client.get(f"/comments/{discussion.made['a1'].id}").status_code in (200, 302)
