"""Held and hidden content appears nowhere for the public: pages, lists, search, stored counts,
notifications. The author sees their own held item with a notice; moderators and the challenge's
champion see everything; the Python checks and the SQL clauses agree."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from challenges.factories import reload
from challenges.world import _IDS, transient_challenge, transient_user
from genius.challenges.models import Challenge
from genius.comments import queries as comment_queries
from genius.comments.models import Comment
from genius.comments.permissions import can_view_comment
from genius.extensions import db
from genius.ideas import queries as idea_queries
from genius.ideas.models import Idea
from genius.ideas.permissions import can_view_idea
from genius.maintenance import recount
from genius.moderation import counters, services
from genius.notifications import services as notification_services
from genius.notifications.models import FollowTarget
from moderation.support import notifications_of

SECRET = "Zanzibarquokka"  # a word that appears only in the moderated content


def _public_pages(client, challenge, idea=None):
    pages = [f"/challenges/{challenge.id}", "/challenges", f"/search?q={SECRET}"]
    if idea is not None:
        pages.append(f"/ideas/{idea.id}")
    return {path: client.get(path) for path in pages}


@pytest.mark.parametrize("state", ["held", "hidden"])
def test_moderated_idea_appears_nowhere_for_the_public(state, make_challenge, make_idea, make_comment, cast, as_role,
                                                       held_idea):
    challenge = make_challenge()
    follower = cast("resident")
    notification_services.follow(follower.id, FollowTarget.CHALLENGE, challenge.id)
    db.session.commit()
    if state == "held":
        idea = held_idea(challenge, title=f"Plan {SECRET}", summary=f"Summary {SECRET}")
    else:
        idea = make_idea(challenge, title=f"Plan {SECRET}", summary=f"Summary {SECRET}")
        make_comment(challenge, idea, author=cast("staff"), body="A reply")
        services.hide(reload(idea), cast("moderator"), "spam", "Advertising")
        db.session.commit()

    for role in ("anonymous", "resident", "staff"):
        client, _ = as_role(role)
        for path, response in _public_pages(client, challenge, idea).items():
            html = response.get_data(as_text=True)
            if path.startswith("/search"):  # the page repeats the words searched for, and finds nothing
                assert f"/ideas/{idea.id}" not in html, (role, path)
            else:
                assert SECRET not in html, (role, path)
            if path.startswith("/ideas/"):
                assert response.status_code == 404, (role, path)

    # Stored counters count only public ideas, and `genius recount` agrees with what the services keep.
    assert reload(challenge).ideas_count == 0
    assert recount(apply=False).changes == []
    # No notification shows it to anyone but its author: the challenge's follower sees nothing of it.
    client, _ = as_role("resident")
    assert SECRET not in client.get("/notifications").get_data(as_text=True)
    for n in notifications_of(follower.id):
        assert SECRET not in n.title + n.message

    # The author sees it, with a notice; so do moderators and the champion.
    for role in ("author", "moderator", "admin", "champion"):
        client, _ = as_role(role)
        html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert SECRET in html, role
        assert ("Waiting for a moderator" if state == "held" else "A moderator hid this idea") in html


def test_held_idea_notice_tells_the_author_the_expected_wait(held_idea, as_role):
    idea = held_idea()
    client, _ = as_role("author")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Waiting for a moderator" in html
    assert "Moderators usually look at new contributions within 2 working days." in html


def test_hidden_comment_appears_nowhere_for_the_public(make_challenge, make_idea, make_comment, cast, as_role):
    challenge = make_challenge()
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea, body=f"Call me on {SECRET}")
    question = make_comment(challenge, None, body=f"Question {SECRET}")
    for target in (comment, question):
        services.hide(db.session.get(Comment, target.id), cast("moderator"), "personal_information")
    db.session.commit()
    assert reload(idea).comments_count == 0
    assert reload(challenge).comments_count == 0
    assert recount(apply=False).changes == []
    for role in ("anonymous", "staff", "author"):
        client, _ = as_role(role)
        for path in (f"/ideas/{idea.id}", f"/challenges/{challenge.id}"):
            assert SECRET not in client.get(path).get_data(as_text=True), (role, path)
        assert client.get(f"/comments/{comment.id}").status_code == 404
    # The idea's author was told about the comment when it was posted; the notification no longer shows it.
    client, _ = as_role("author")
    assert SECRET not in client.get("/notifications").get_data(as_text=True)
    client, _ = as_role("moderator")
    assert SECRET in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_events_of_held_content_fire_only_on_approval(make_challenge, held_idea, cast):
    challenge = make_challenge()
    follower = cast("resident")
    notification_services.follow(follower.id, FollowTarget.CHALLENGE, challenge.id)
    db.session.commit()
    idea = held_idea(challenge, title=f"Plan {SECRET}")
    assert notifications_of(follower.id, "new_idea_in_challenge") == []
    services.approve(reload(idea), cast("moderator"))
    db.session.commit()
    assert [n.idea_id for n in notifications_of(follower.id, "new_idea_in_challenge")] == [idea.id]
    assert reload(challenge).ideas_count == 1
    assert recount(apply=False).changes == []


# -- Python checks and SQL clauses agree, for every role --------------------------------------------

ROLES = ("anonymous", "unconfirmed", "resident", "author", "staff", "champion", "moderator", "admin")
SEES_MODERATED = {"author", "champion", "moderator", "admin"}


@pytest.mark.parametrize("state", ["visible", "held", "hidden"])
@pytest.mark.parametrize("role", ROLES)
def test_can_view_idea_rule(role, state):
    challenge = transient_challenge("open")
    idea = Idea(id=1, challenge=challenge, challenge_id=1, author_id=_IDS["author"], title="t", summary="s",
                moderation_state=state, status="submitted")
    user = transient_user(role)
    expected = state == "visible" or role in SEES_MODERATED
    assert can_view_idea(user, idea) is expected


@pytest.mark.parametrize("role", ["anonymous", "resident", "author", "staff", "champion", "moderator"])
def test_sql_clauses_agree_with_the_python_checks(role, make_challenge, make_idea, make_comment, cast, held_idea):
    challenge = make_challenge()
    ideas = {"visible": make_idea(challenge, title="Visible"), "held": held_idea(challenge, title="Held")}
    hidden = make_idea(challenge, title="Hidden")
    services.hide(reload(hidden), cast("moderator"), "spam")
    ideas["hidden"] = hidden
    comments = {}
    for state in ("visible", "held", "hidden"):
        comments[state] = make_comment(challenge, ideas["visible"], author=cast("author"), body=f"Comment {state}")
        if state != "visible":
            target = db.session.get(Comment, comments[state].id)
            if state == "held":
                counters.count_change(target, "visible", "held")
                services.hold(target, "premoderation")
            else:
                services.hide(target, cast("moderator"), "spam")
    db.session.commit()
    user = cast(role) if role != "anonymous" else transient_user("anonymous")
    db.session.expire_all()
    seen_ideas = set(db.session.scalars(select(Idea.id).where(idea_queries.visible_idea_clause(user))))
    seen_comments = set(db.session.scalars(select(Comment.id).where(comment_queries.visible_comment_clause(user))))
    for idea in ideas.values():
        loaded = db.session.get(Idea, idea.id)
        assert (loaded.id in seen_ideas) is can_view_idea(user, loaded), (role, loaded.moderation_state)
    for comment in comments.values():
        loaded = db.session.get(Comment, comment.id)
        assert (loaded.id in seen_comments) is can_view_comment(user, loaded), (role, loaded.moderation_state)
    expected_ideas = {"visible"} | ({"held", "hidden"} if role in SEES_MODERATED else set())
    assert {s for s, i in ideas.items() if i.id in seen_ideas} == expected_ideas
    assert db.session.get(Challenge, challenge.id).ideas_count == 1


def test_no_email_shows_content_hidden_after_its_notification(make_challenge, make_idea, make_comment, cast, runner,
                                                              app):
    """A notification made before the content was hidden is skipped by the email sender, never sent."""
    from genius.core.mail import outbox
    from genius.notifications.services import save_settings

    challenge = make_challenge()
    idea = make_idea(challenge)
    author = cast("author")
    save_settings(author.id, email_frequency="immediately")
    db.session.commit()
    comment = make_comment(challenge, idea, body=f"Call me on {SECRET}")  # tells the idea's author
    assert [n.comment_id for n in notifications_of(author.id, "comment_on_your_idea")] == [comment.id]
    services.hide(db.session.get(Comment, comment.id), cast("moderator"), "personal_information")
    db.session.commit()
    sent = outbox()
    sent.clear()
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    assert all(SECRET not in str(message) for message in sent)
    db.session.rollback()
    assert {n.email_state for n in notifications_of(author.id, "comment_on_your_idea")} == {"skipped"}
