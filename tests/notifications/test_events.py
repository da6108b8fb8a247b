"""Each event tells the right people (never the person who acted), with its message,
and people follow what they post, support or comment on unless they switched it off."""

from __future__ import annotations

import pytest

from genius.challenges import services as challenge_services
from genius.extensions import db
from genius.ideas import services as idea_services
from genius.notifications import events
from genius.notifications.models import NotificationKind
from genius.notifications.services import follow, follower_ids, unfollow

from .conftest import all_notifications, follows_of, is_following, notifications_of, set_frequency


def _follow(user, kind, target_id):
    follow(user.id, kind, target_id)
    db.session.commit()


def _post_idea(challenge, author, title="Bike racks at schools", summary="Secure racks at every school.", **data):
    challenge = db.session.merge(challenge)
    idea = idea_services.propose_idea(challenge, author, idea_services.IdeaData(title=title, summary=summary, **data))
    db.session.commit()
    return idea


# A new idea in a challenge you follow

def test_a_new_idea_tells_the_challenges_followers_but_not_its_author(make_challenge, make_user, cast):
    challenge = make_challenge("open")
    follower, bystander, author = make_user(), make_user(), cast("author")
    _follow(follower, "challenge", challenge.id)
    _follow(author, "challenge", challenge.id)  # following does not make you hear about your own idea

    idea = _post_idea(challenge, author)

    [n] = notifications_of(follower)
    assert n.kind == NotificationKind.NEW_IDEA_IN_CHALLENGE.value
    assert n.title == "New idea in ‘Safer streets’: Bike racks at schools"
    assert n.message == "Secure racks at every school."
    assert (n.challenge_id, n.idea_id, n.comment_id, n.actor_id) == (challenge.id, idea.id, None, author.id)
    assert n.read_at is None and n.email_state == "pending" and n.email_attempts == 0
    assert notifications_of(author) == []
    assert notifications_of(bystander) == []
    # The creator and the champion follow a challenge made through the service; the factory's did not.
    assert {x.user_id for x in all_notifications()} == {follower.id}


def test_a_staff_only_challenges_new_ideas_reach_staff_followers_only(make_challenge, make_user, cast):
    challenge = make_challenge("open", audience="staff")
    resident, staff = make_user(), make_user(role="staff")
    # A resident who followed it while it was public (it became staff-only later).
    _follow(resident, "challenge", challenge.id)
    _follow(staff, "challenge", challenge.id)

    _post_idea(challenge, cast("champion"), title="Internal idea")

    assert notifications_of(resident) == []
    [n] = notifications_of(staff)
    assert n.title.endswith("Internal idea")


def test_a_staff_first_challenge_reaches_residents_only_once_public(make_challenge, make_user, cast):
    before = make_challenge("open", audience="staff_first_before", title="Not yet public")
    after = make_challenge("open", audience="staff_first_after", title="Public now")
    resident = make_user()
    for challenge in (before, after):
        _follow(resident, "challenge", challenge.id)
        _post_idea(challenge, cast("staff"))

    assert [n.challenge_id for n in notifications_of(resident)] == [after.id]


def test_the_author_follows_their_new_idea_unless_switched_off(make_challenge, make_user):
    challenge = make_challenge("open")
    keen, quiet = make_user(), make_user()
    set_frequency(quiet, "daily", follow_what_i_post=False)

    keen_idea = _post_idea(challenge, keen, title="Keen idea")
    quiet_idea = _post_idea(challenge, quiet, title="Quiet idea")

    assert ("idea", keen_idea.id) in follows_of(keen)
    assert follows_of(quiet) == set()
    assert not is_following(quiet.id, "idea", quiet_idea.id)


# A status change or official response on an idea you follow

@pytest.mark.parametrize("new_status, title", [
    ("shortlisted", "‘Bike racks at schools’ is now: Shortlisted"),
    ("submitted", "Official response to ‘Bike racks at schools’"),
])
def test_an_official_response_tells_the_ideas_followers_with_its_message(make_challenge, make_idea, make_user, cast,
                                                                         new_status, title):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    follower, champion = make_user(), cast("champion")
    for person in (cast("author"), follower, champion):
        _follow(person, "idea", idea.id)

    idea = db.session.merge(idea)
    idea_services.respond(idea, champion, new_status, "We will **pilot** this at three schools.")
    db.session.commit()

    for person in (cast("author"), follower):
        [n] = notifications_of(person)
        assert n.kind == NotificationKind.IDEA_STATUS_CHANGED.value
        assert n.title == title
        assert n.message == "We will **pilot** this at three schools."
        assert (n.idea_id, n.challenge_id, n.actor_id) == (idea.id, challenge.id, champion.id)
    assert notifications_of(champion) == []  # the responder


def test_a_response_reaches_only_the_ideas_followers(make_challenge, make_idea, make_user, cast):
    challenge = make_challenge("open")
    idea, other_idea = make_idea(challenge), make_idea(challenge, title="Another idea")
    follows_other, follows_challenge = make_user(), make_user()
    _follow(follows_other, "idea", other_idea.id)
    _follow(follows_challenge, "challenge", challenge.id)

    idea_services.respond(db.session.merge(idea), cast("champion"), "selected", "Selected for funding.")
    db.session.commit()

    assert notifications_of(follows_other) == []
    assert notifications_of(follows_challenge) == []
    assert notifications_of(cast("author")) == []  # the factory's author does not follow


# A challenge opening, closing or deciding

def test_opening_closing_and_deciding_tell_the_challenges_followers(make_challenge, make_user, cast):
    challenge = make_challenge("draft")
    follower, champion = make_user(), cast("champion")
    _follow(follower, "challenge", challenge.id)
    _follow(champion, "challenge", challenge.id)

    for status, outcome in (("open", ""), ("reviewing", ""), ("decided", "We chose **two** ideas.")):
        challenge = db.session.merge(challenge)
        challenge_services.change_status(challenge, status, champion, outcome=outcome)
        db.session.commit()
    challenge_services.change_status(db.session.merge(challenge), "archived", champion)
    db.session.commit()

    kinds = [(n.kind, n.title, n.message) for n in reversed(notifications_of(follower))]
    assert kinds == [
        ("challenge_opened", "‘Safer streets’ is open for ideas", "How can we make streets safer?"),
        ("challenge_closed", "‘Safer streets’ has closed for new ideas", "How can we make streets safer?"),
        ("challenge_decided", "‘Safer streets’ has been decided", "We chose **two** ideas."),
    ]  # archiving tells nobody
    assert notifications_of(champion) == []  # the one who changed it


def test_a_draft_challenge_opening_as_staff_only_does_not_reach_residents(make_challenge, make_user, cast):
    challenge = make_challenge("draft", audience="staff")
    resident, staff = make_user(), make_user(role="staff")
    _follow(resident, "challenge", challenge.id)
    _follow(staff, "challenge", challenge.id)
    challenge_services.change_status(db.session.merge(challenge), "open", cast("champion"))
    db.session.commit()
    assert notifications_of(resident) == []
    assert [n.kind for n in notifications_of(staff)] == ["challenge_opened"]


# A comment on your idea; a reply to your comment

def test_a_comment_tells_the_ideas_author_but_not_the_commenter(make_challenge, make_idea, make_user, cast, add_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    commenter, follower = make_user(), make_user()
    _follow(follower, "idea", idea.id)  # followers hear about responses, not about every comment

    comment = add_comment(commenter, challenge, idea, body="What about\n\nscooters   too?")

    [n] = notifications_of(cast("author"))
    assert n.kind == NotificationKind.COMMENT_ON_YOUR_IDEA.value
    assert n.title == "New comment on your idea ‘Bike racks at schools’"
    assert n.message == "What about scooters too?"
    assert (n.comment_id, n.idea_id, n.challenge_id, n.actor_id) == (comment.id, idea.id, challenge.id, commenter.id)
    assert notifications_of(commenter) == []
    assert notifications_of(follower) == []


def test_commenting_on_your_own_idea_tells_nobody(make_challenge, make_idea, cast, add_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    add_comment(cast("author"), challenge, idea)
    assert all_notifications() == []


def test_a_reply_tells_the_comments_author_and_the_ideas_author(make_challenge, make_idea, make_user, cast, add_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    first, replier = make_user(name="First Commenter"), make_user(name="Replier")
    comment = add_comment(first, challenge, idea, body="Great idea.")
    reply = add_comment(replier, challenge, idea, body="I agree.", reply_to=comment)

    [n] = notifications_of(first)
    assert n.kind == NotificationKind.REPLY_TO_YOUR_COMMENT.value
    assert n.title == "New reply to your comment on ‘Bike racks at schools’"
    assert (n.comment_id, n.message, n.actor_id) == (reply.id, "I agree.", replier.id)
    # The idea's author heard about both the comment and the reply.
    assert [(x.kind, x.comment_id) for x in notifications_of(cast("author"))] == [
        ("comment_on_your_idea", reply.id), ("comment_on_your_idea", comment.id)]
    assert notifications_of(replier) == []


def test_a_reply_to_the_authors_own_comment_is_one_notification(make_challenge, make_idea, make_user, cast, add_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    author, replier = cast("author"), make_user()
    comment = add_comment(author, challenge, idea, body="Any questions?")
    add_comment(replier, challenge, idea, body="Yes: where?", reply_to=comment)

    assert [n.kind for n in notifications_of(author)] == ["reply_to_your_comment"]


def test_replying_to_yourself_tells_only_the_ideas_author(make_challenge, make_idea, make_user, cast, add_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    someone = make_user()
    comment = add_comment(someone, challenge, idea)
    add_comment(someone, challenge, idea, body="And another thing.", reply_to=comment)
    assert notifications_of(someone) == []
    assert len(notifications_of(cast("author"))) == 2


def test_a_reply_to_a_question_on_a_challenge(make_challenge, make_user, cast, add_comment):
    challenge = make_challenge("open")
    asker = make_user()
    question = add_comment(asker, challenge, None, body="Does this include e-bikes?")
    answer = add_comment(cast("champion"), challenge, None, body="Yes, it does.", reply_to=question)

    [n] = notifications_of(asker)
    assert n.title == "New reply to your comment on the challenge ‘Safer streets’"
    assert (n.comment_id, n.idea_id) == (answer.id, None)
    assert ("challenge", challenge.id) in follows_of(asker)  # people follow what they comment on


def test_commenters_follow_the_idea_unless_switched_off(make_challenge, make_idea, make_user, add_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    keen, quiet = make_user(), make_user()
    set_frequency(quiet, "weekly", follow_what_i_comment_on=False)
    add_comment(keen, challenge, idea)
    add_comment(quiet, challenge, idea)
    assert follows_of(keen) == {("idea", idea.id)}
    assert follows_of(quiet) == set()
    assert sorted(follower_ids("idea", idea.id)) == [keen.id]


def test_comments_on_a_staff_only_challenge_never_reach_residents(make_challenge, make_idea, make_user, cast, add_comment):
    challenge = make_challenge("open", audience="staff")
    # A resident's idea from when the challenge was public, and their comment.
    resident = cast("author")
    idea = make_idea(challenge, author=resident)
    comment = add_comment(resident, challenge, idea, body="My own note.")
    add_comment(cast("staff"), challenge, idea, body="Internal: cost it.", reply_to=comment)
    assert notifications_of(resident) == []


# Supports

def test_supporters_follow_the_idea_unless_switched_off(make_challenge, make_idea, make_user):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    keen, quiet = make_user(), make_user()
    set_frequency(quiet, "never", follow_what_i_support=False)
    for person in (keen, quiet):
        events.idea_supported(db.session.merge(idea), person.id)
    db.session.commit()
    assert follows_of(keen) == {("idea", idea.id)}
    assert follows_of(quiet) == set()
    assert all_notifications() == []  # a support tells nobody


def test_supporting_through_the_supports_service_follows(make_challenge, make_idea, make_user):
    """On PostgreSQL the follow is made in the support's own statement: the same rules hold there."""
    supports = pytest.importorskip("genius.supports.services")
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    keen, quiet, already = make_user(), make_user(), make_user()
    set_frequency(quiet, "never", follow_what_i_support=False)
    follow(already.id, "idea", idea.id)
    db.session.commit()
    for person in (keen, quiet, already):
        assert supports.support_idea(person, db.session.merge(idea)) is True
        db.session.commit()
    assert follows_of(keen) == {("idea", idea.id)}
    assert follows_of(quiet) == set()
    assert follows_of(already) == {("idea", idea.id)}
    # Someone who stopped following is not made to follow again by a support that adds nothing.
    unfollow(keen.id, "idea", idea.id)
    db.session.commit()
    assert supports.support_idea(keen, db.session.merge(idea)) is False
    db.session.commit()
    assert follows_of(keen) == set()


def test_following_twice_is_one_follow(make_challenge, make_user):
    challenge = make_challenge("open")
    person = make_user()
    assert follow(person.id, "challenge", challenge.id) is True
    assert follow(person.id, "challenge", challenge.id) is False
    db.session.commit()
    assert follower_ids("challenge", challenge.id) == [person.id]


def test_a_comment_through_the_comments_service_tells_the_author(make_challenge, make_idea, make_user, cast):
    comments = pytest.importorskip("genius.comments.services")
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    commenter, replier = make_user(), make_user()
    first = comments.post_comment(commenter, db.session.merge(challenge), db.session.merge(idea), "Where exactly?")
    db.session.commit()
    reply = comments.post_comment(replier, db.session.merge(challenge), db.session.merge(idea), "By the gates.",
                                  reply_to=db.session.merge(first))
    db.session.commit()
    assert [(n.kind, n.comment_id) for n in notifications_of(cast("author"))] == [
        ("comment_on_your_idea", reply.id), ("comment_on_your_idea", first.id)]
    assert [(n.kind, n.comment_id) for n in notifications_of(commenter)] == [("reply_to_your_comment", reply.id)]
    assert follows_of(commenter) == follows_of(replier) == {("idea", idea.id)}


def test_a_support_tells_the_event_hook_once_on_either_database(make_challenge, make_idea, make_user, monkeypatch):
    """PostgreSQL makes the follow inside the support's statement, but the event still runs there (saying the
    follow is made), so anything else a support sets off happens on both databases."""
    supports = pytest.importorskip("genius.supports.services")
    heard = []
    original = events.idea_supported
    monkeypatch.setattr(events, "idea_supported",
                        lambda idea, supporter_id, follow_made=False: heard.append((idea.id, supporter_id))
                        or original(idea, supporter_id, follow_made))
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    person = make_user()
    assert supports.support_idea(person, db.session.merge(idea)) is True
    db.session.commit()
    assert supports.support_idea(person, db.session.merge(idea)) is False  # nothing added: nothing to tell
    db.session.commit()
    assert heard == [(idea.id, person.id)]
    assert follows_of(person) == {("idea", idea.id)}
