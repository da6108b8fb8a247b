"""The queue: held and reported items oldest first, with age, reports and author history; approve,
hide (the author is told why), restore, dismiss reports, edit with a note, bulk actions; a person view
that hides all their content in one action. A champion moderates inside their challenge only."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from challenges.factories import days_ago, reload, submit
from genius.comments.models import Comment
from genius.extensions import db
from genius.ideas.models import Idea
from genius.maintenance import recount
from genius.moderation.models import Report
from moderation.support import log_actions, notifications_of


def test_the_queue_lists_held_and_reported_items_oldest_first(make_challenge, make_idea, held_idea, reported_idea,
                                                              make_comment, as_role, cast):
    challenge = make_challenge()
    newer = held_idea(challenge, title="Newer held idea", created_at=days_ago(1))
    older = reported_idea(2, challenge, title="Older reported idea")
    db.session.execute(Report.__table__.update().values(created_at=days_ago(3)))
    db.session.commit()
    make_idea(challenge, title="An ordinary idea")
    client, _ = as_role("moderator")
    html = client.get("/moderation").get_data(as_text=True)
    assert html.index("Older reported idea") < html.index("Newer held idea")
    assert "An ordinary idea" not in html
    assert "3 days" in html and "1 day" in html
    assert f'value="idea:{older.id}"' in html and f'value="idea:{newer.id}"' in html
    assert "Items waiting" in html


def test_approve_hide_restore_and_dismiss(held_idea, reported_idea, as_role, cast):
    idea = held_idea()
    moderator, _ = as_role("moderator")
    item = f"/moderation/idea/{idea.id}"
    assert "Approve: make it public" in moderator.get(item).get_data(as_text=True)
    assert submit(moderator, f"{item}/approve", {"approve-note": "Fine"}, token_from=item).status_code == 302
    assert reload(idea).moderation_state == "visible"
    assert reload(idea.challenge).ideas_count == 1

    response = submit(moderator, f"{item}/hide", {"hide-reason": "off_topic", "hide-note": "About parking, not bikes"},
                      token_from=item)
    assert response.status_code == 302
    stored = reload(idea)
    assert (stored.moderation_state, stored.hidden_reason, stored.hidden_note) == ("hidden", "off_topic",
                                                                                  "About parking, not bikes")
    told = notifications_of(cast("author").id, "moderation_outcome")
    assert "hid your idea" in told[-1].title and "Off-topic for this challenge" in told[-1].message
    assert "About parking, not bikes" in told[-1].message
    author, _ = as_role("author")
    assert "A moderator hid your idea" in author.get("/notifications").get_data(as_text=True)

    assert submit(moderator, f"{item}/restore", {"restore-note": ""}, token_from=item).status_code == 302
    assert reload(idea).moderation_state == "visible"
    assert log_actions("idea", idea.id) == ["held", "approve", "hide", "restore"]
    assert recount(apply=False).changes == []

    reported = reported_idea(3)
    assert reload(reported).moderation_state == "hidden"
    item = f"/moderation/idea/{reported.id}"
    assert submit(moderator, f"{item}/dismiss", {"dismiss-note": "Not spam"}, token_from=item).status_code == 302
    assert reload(reported).moderation_state == "visible"
    db.session.rollback()
    assert set(db.session.scalars(select(Report.resolution).where(Report.target_id == reported.id))) == {"dismissed"}
    assert recount(apply=False).changes == []


@pytest.mark.parametrize("fields, message", [
    ({}, "Choose a reason"),
    ({"hide-reason": "reports"}, "Choose a reason from the list"),
    ({"hide-reason": "other"}, "Explain the reason, so the author knows why"),
    ({"hide-reason": "spam", "hide-note": "x" * 2001}, "The note must be 2,000 characters or fewer"),
])
def test_hiding_needs_a_reason(held_idea, as_role, fields, message):
    idea = held_idea()
    moderator, _ = as_role("moderator")
    item = f"/moderation/idea/{idea.id}"
    response = submit(moderator, f"{item}/hide", fields, token_from=item)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert reload(idea).moderation_state == "held"
    assert log_actions("idea", idea.id) == ["held"]


def test_approving_what_is_not_held_is_refused_clearly(make_challenge, make_idea, as_role):
    idea = make_idea(make_challenge())
    moderator, _ = as_role("moderator")
    item = f"/moderation/idea/{idea.id}"
    response = submit(moderator, f"{item}/approve", {}, token_from=item)
    assert response.status_code == 400
    assert "Only items waiting for a moderator can be approved" in response.get_data(as_text=True)


def test_edit_with_a_note(make_challenge, make_idea, make_comment, as_role, cast):
    challenge = make_challenge()
    idea = make_idea(challenge, summary="Call me on 07700 900123")
    comment = make_comment(challenge, idea, author=cast("author"), body="My number is 07700 900123")
    moderator, _ = as_role("moderator")
    response = submit(moderator, f"/moderation/idea/{idea.id}/edit",
                      {"title": idea.title, "summary": "Call me", "description": "", "note": "Removed a phone number"})
    assert response.status_code == 302
    assert reload(idea).summary == "Call me"
    response = submit(moderator, f"/moderation/comment/{comment.id}/edit", {"body": "My number is (removed)", "note": ""})
    assert response.status_code == 400
    assert "Enter a note saying what you changed and why" in response.get_data(as_text=True)
    response = submit(moderator, f"/moderation/comment/{comment.id}/edit",
                      {"body": "My number is (removed)", "note": "Removed a phone number"})
    assert response.status_code == 302
    assert reload(comment).body_source == "My number is (removed)"
    assert log_actions() == ["edit", "edit"]
    told = notifications_of(cast("author").id, "moderation_outcome")
    assert [n.message for n in told] == ["Removed a phone number"] * 2


def test_bulk_actions(held_idea, make_challenge, as_role):
    challenge = make_challenge()
    ideas = [held_idea(challenge, title=f"Held {n}") for n in range(3)]
    moderator, _ = as_role("moderator")
    from werkzeug.datastructures import MultiDict

    from conftest import csrf_token

    token = csrf_token(moderator, "/moderation")
    data = MultiDict([("csrf_token", token), ("items", f"idea:{ideas[0].id}"), ("items", f"idea:{ideas[1].id}"),
                      ("action", "hide"), ("reason", "spam"), ("note", "")])
    response = moderator.post("/moderation/bulk", data=data)
    assert response.status_code == 302
    assert [reload(i).moderation_state for i in ideas] == ["hidden", "hidden", "held"]
    # Approving a hidden item is not an approval: it is skipped, and the others are done.
    data = MultiDict([("csrf_token", token), ("items", f"idea:{ideas[0].id}"), ("items", f"idea:{ideas[2].id}"),
                      ("action", "approve"), ("reason", ""), ("note", "")])
    response = moderator.post("/moderation/bulk", data=data, follow_redirects=True)
    assert "Done for 1 item. 1 could not take this action" in response.get_data(as_text=True)
    assert [reload(i).moderation_state for i in ideas] == ["hidden", "hidden", "visible"]
    # Nothing selected, or hiding without a reason: a clear message, nothing done.
    response = moderator.post("/moderation/bulk", data=MultiDict([("csrf_token", token), ("action", "approve"),
                                                                  ("reason", "")]))
    assert response.status_code == 400 and "Select at least one item" in response.get_data(as_text=True)
    response = moderator.post("/moderation/bulk", data=MultiDict([("csrf_token", token), ("items", f"idea:{ideas[1].id}"),
                                                                  ("action", "hide"), ("reason", "")]))
    assert response.status_code == 400 and "Choose a reason for hiding" in response.get_data(as_text=True)
    assert recount(apply=False).changes == []


def test_a_champion_moderates_inside_their_challenge_only(make_challenge, held_idea, as_role, make_user):
    mine = held_idea(make_challenge(title="Mine"), title="In my challenge")
    other_champion = make_user(role="staff")
    theirs = held_idea(make_challenge(title="Theirs", champion=other_champion), title="In another challenge")
    champion, _ = as_role("champion")
    html = champion.get("/moderation").get_data(as_text=True)
    assert "In my challenge" in html and "In another challenge" not in html
    item = f"/moderation/idea/{theirs.id}"
    assert champion.get(item).status_code == 404  # a held idea outside their challenge is not even visible
    assert submit(champion, f"/moderation/idea/{mine.id}/approve", {}, token_from=f"/moderation/idea/{mine.id}").status_code == 302
    assert reload(mine).moderation_state == "visible"
    assert champion.get("/moderation/log").status_code == 403
    assert champion.get(f"/moderation/people/{mine.author_id}").status_code == 403


def test_hide_all_of_a_persons_content_in_one_action(make_challenge, make_idea, make_comment, as_role, cast):
    challenge = make_challenge()
    spammer = cast("resident")
    ideas = [make_idea(challenge, author=spammer, title=f"Buy now {n}") for n in range(2)]
    host = make_idea(challenge, title="A real idea")
    comments = [make_comment(challenge, host, author=spammer, body=f"Buy now {n}") for n in range(3)]
    moderator, _ = as_role("moderator")
    page = f"/moderation/people/{spammer.id}"
    assert "Hide all their content" in moderator.get(page).get_data(as_text=True)
    response = submit(moderator, f"{page}/hide_all", {"hide_all-reason": "spam"}, token_from=page)
    assert response.status_code == 302
    db.session.rollback()
    assert set(db.session.scalars(select(Idea.moderation_state).where(Idea.author_id == spammer.id))) == {"hidden"}
    assert set(db.session.scalars(select(Comment.moderation_state))) == {"hidden"}
    assert reload(challenge).ideas_count == 1 and reload(host).comments_count == 0
    assert len(log_actions()) == 5
    assert recount(apply=False).changes == []
    client, _ = as_role("anonymous")
    assert "Buy now" not in client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Buy now" not in client.get(f"/ideas/{host.id}").get_data(as_text=True)


def test_the_queue_page_costs_a_bounded_number_of_statements(make_challenge, held_idea, reported_idea, make_comment,
                                                             as_role, count_statements, cast):
    challenge = make_challenge()
    moderator, _ = as_role("moderator")

    def statements() -> int:
        with count_statements() as seen:
            assert moderator.get("/moderation").status_code == 200
        return len(seen)

    held_idea(challenge)
    small = statements()
    for n in range(15):
        held_idea(challenge, title=f"Held {n}")
        reported_idea(1, challenge, title=f"Reported {n}")
    assert statements() == small
    assert small <= 10
