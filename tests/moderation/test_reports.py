"""Reports: ideas, comments and people; a reason from the list (and text for "other"); once per person
per item; confirmed people only; a honeypot; rate limits; hidden pending review after N reporters."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from challenges.factories import reload, submit
from genius.extensions import db
from genius.moderation import services
from genius.moderation import settings as site_settings
from genius.moderation.models import Report
from moderation.support import count, log_actions, notifications_of


def test_a_confirmed_person_reports_an_idea_once(make_challenge, make_idea, as_role):
    idea = make_idea(make_challenge())
    client, reporter = as_role("resident")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f"/report/idea/{idea.id}" in page
    response = submit(client, f"/report/idea/{idea.id}", {"reason": "spam", "text": "Selling things"})
    assert response.status_code == 302
    again = submit(client, f"/report/idea/{idea.id}", {"reason": "abusive"})
    assert again.status_code == 302
    db.session.rollback()
    [report] = db.session.scalars(select(Report)).all()
    assert (report.target_kind, report.target_id, report.reporter_id, report.reason, report.text) == \
        ("idea", idea.id, reporter.id, "spam", "Selling things")
    assert report.challenge_id == idea.challenge_id
    assert reload(idea).moderation_state == "visible"


def test_reports_of_a_comment_and_a_person(make_challenge, make_idea, make_comment, as_role, cast):
    challenge = make_challenge()
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea, author=cast("author"))
    client, _ = as_role("resident")
    assert f"/report/comment/{comment.id}" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert submit(client, f"/report/comment/{comment.id}", {"reason": "off_topic"}).status_code == 302
    person = cast("author")
    assert submit(client, f"/report/person/{person.id}", {"reason": "other", "text": "Posts the same spam everywhere"},
                  ).status_code == 302
    db.session.rollback()
    assert sorted(db.session.scalars(select(Report.target_kind))) == ["comment", "person"]


def test_enough_reporters_hide_an_item_pending_review(make_challenge, make_idea, make_user, cast):
    challenge = make_challenge()
    idea = make_idea(challenge)
    for n in range(3):
        services.report(reload(idea), make_user(), "abusive")
        db.session.commit()
        assert reload(idea).moderation_state == ("hidden" if n == 2 else "visible")
    stored = reload(idea)
    assert stored.hidden_reason == "reports"
    assert reload(challenge).ideas_count == 0
    assert log_actions("idea", idea.id) == ["hidden_by_reports"]
    [told] = notifications_of(cast("author").id, "moderation_outcome")
    assert "hidden until a moderator reviews it" in told.title


def test_the_threshold_is_a_site_setting(make_challenge, make_idea, make_user):
    site_settings.save(site_settings.ModerationSettings(reports_threshold=1))
    db.session.commit()
    idea = make_idea(make_challenge())
    services.report(reload(idea), make_user(), "spam")
    db.session.commit()
    assert reload(idea).moderation_state == "hidden"


@pytest.mark.parametrize("fields, message", [
    ({}, "Choose why you are reporting this"),
    ({"reason": "nonsense"}, "Choose why you are reporting this"),
    ({"reason": "other"}, "Tell us what is wrong"),
    ({"reason": "other", "text": "   "}, "Tell us what is wrong"),
    ({"reason": "spam", "text": "x" * 1001}, "Your explanation must be 1,000 characters or fewer"),
])
def test_bad_reports_get_a_clear_message_and_save_nothing(make_challenge, make_idea, as_role, fields, message):
    idea = make_idea(make_challenge())
    client, _ = as_role("resident")
    response = submit(client, f"/report/idea/{idea.id}", fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Report) == 0


def test_the_honeypot_refuses_bots(make_challenge, make_idea, as_role):
    idea = make_idea(make_challenge())
    client, _ = as_role("resident")
    response = submit(client, f"/report/idea/{idea.id}", {"reason": "spam", "website": "http://bot.example"})
    assert response.status_code == 400
    assert count(Report) == 0


def test_unconfirmed_people_cannot_report(make_challenge, make_idea, as_role):
    idea = make_idea(make_challenge())
    client, _ = as_role("unconfirmed")
    response = submit(client, f"/report/idea/{idea.id}", {"reason": "spam"}, token_from="/account")
    assert response.status_code == 302 and "/account" in response.headers["Location"]
    assert count(Report) == 0
    assert f"/report/idea/{idea.id}" not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_nobody_reports_their_own_content(make_challenge, make_idea, as_role):
    idea = make_idea(make_challenge())
    client, _ = as_role("author")
    assert f"/report/idea/{idea.id}" not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert submit(client, f"/report/idea/{idea.id}", {"reason": "spam"}, token_from=f"/ideas/{idea.id}").status_code == 403
    assert count(Report) == 0


def test_reports_are_rate_limited_per_person(app, make_challenge, make_idea, as_role, cast):
    app.config["REPORT_LIMIT"] = "2 per hour"
    challenge = make_challenge()
    ideas = [make_idea(challenge, title=f"Idea {n}") for n in range(3)]
    client, _ = as_role("resident")
    token_page = f"/ideas/{ideas[0].id}"
    codes = [submit(client, f"/report/idea/{idea.id}", {"reason": "spam"}, token_from=token_page).status_code
             for idea in ideas]
    assert codes == [302, 302, 429]
    assert count(Report) == 2
