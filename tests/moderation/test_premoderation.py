"""Pre-moderation: per challenge (ideas, comments) and by site settings (first N contributions of
new accounts; links from accounts younger than a week). Staff are never held."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from challenges.factories import date_pairs, reload, submit
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea
from genius.moderation import settings as site_settings
from genius.moderation.models import SiteSetting
from moderation.support import log_actions, notifications_of

IDEA = {"title": "Bike racks at schools", "summary": "Secure racks at every primary school."}


def _post_idea(client, challenge, **fields):
    return submit(client, f"/challenges/{challenge.id}/ideas/new", {**IDEA, **fields})


def _only_idea() -> Idea:
    db.session.rollback()
    return db.session.scalar(select(Idea))


def test_a_premoderated_challenge_holds_new_ideas(make_challenge, as_role, cast):
    challenge = make_challenge(premoderate_ideas=True)
    client, author = as_role("resident")
    response = _post_idea(client, challenge)
    assert response.status_code == 302
    idea = _only_idea()
    assert idea.moderation_state == "held" and idea.hidden_reason == "premoderation"
    assert reload(challenge).ideas_count == 0
    assert log_actions("idea", idea.id) == ["held"]
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "A moderator will check it before anyone else can see it" in page
    assert "Waiting for a moderator" in page
    # Staff are trusted: never held.
    staff, _ = as_role("staff")
    assert _post_idea(staff, challenge, title="Another plan entirely").status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(Idea).where(Idea.title == "Another plan entirely")).moderation_state == "visible"


def test_a_premoderated_challenge_holds_comments_and_tells_nobody_until_approved(make_challenge, make_idea, as_role,
                                                                                 cast):
    challenge = make_challenge(premoderate_comments=True)
    idea = make_idea(challenge)
    client, _ = as_role("resident")
    response = submit(client, f"/ideas/{idea.id}/comments", {"body": "I would use these every day."})
    assert response.status_code == 302
    db.session.rollback()
    comment = db.session.scalar(select(Comment))
    assert comment.moderation_state == "held"
    assert reload(idea).comments_count == 0
    assert notifications_of(cast("author").id, "comment_on_your_idea") == []
    moderator, _ = as_role("moderator")
    assert submit(moderator, f"/moderation/comment/{comment.id}/approve", {"approve-note": ""},
                  token_from=f"/moderation/comment/{comment.id}").status_code == 302
    assert reload(idea).comments_count == 1
    assert len(notifications_of(cast("author").id, "comment_on_your_idea")) == 1


def test_the_champion_sets_premoderation_on_the_challenge_form(make_challenge, as_role):
    challenge = make_challenge("draft")
    champion, _ = as_role("champion")
    form = champion.get(f"/challenges/{challenge.id}/edit").get_data(as_text=True)
    assert 'name="premoderate_ideas"' in form and 'name="premoderate_comments"' in form
    today = utcnow().date()
    pairs = [("title", challenge.title), ("summary", challenge.summary), ("background", "Background."),
             ("champion_id", str(challenge.champion_id)), ("audience", "public"),
             *date_pairs("opens_on", today), *date_pairs("closes_on", today + timedelta(days=30)),
             ("premoderate_ideas", "y")]
    response = submit(champion, f"/challenges/{challenge.id}/edit", pairs)
    assert response.status_code == 302, response.get_data(as_text=True)
    stored = reload(challenge)
    assert stored.premoderate_ideas is True and stored.premoderate_comments is False


def test_first_contributions_of_new_accounts_are_held(app, make_challenge, make_idea, as_role):
    challenge = make_challenge()
    idea = make_idea(challenge)
    site_settings.save(site_settings.ModerationSettings(hold_first_contributions=2))
    db.session.commit()
    client, _ = as_role("resident")
    for n in range(3):
        submit(client, f"/ideas/{idea.id}/comments", {"body": f"Comment number {n}"})
    db.session.rollback()
    states = list(db.session.scalars(select(Comment.moderation_state).order_by(Comment.id)))
    assert states == ["held", "held", "visible"]
    assert reload(idea).comments_count == 1


def test_links_from_young_accounts_are_held(app, make_challenge, make_idea, as_role, cast):
    challenge = make_challenge()
    idea = make_idea(challenge)
    client, resident = as_role("resident")
    submit(client, f"/ideas/{idea.id}/comments", {"body": "Cheap pills at https://spam.example"})
    submit(client, f"/ideas/{idea.id}/comments", {"body": "No link here"})
    db.session.rollback()
    assert list(db.session.scalars(select(Comment.hidden_reason).order_by(Comment.id))) == ["links", ""]
    # An account older than a week posts links freely.
    resident = db.session.get(type(resident), resident.id)
    resident.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    submit(client, f"/ideas/{idea.id}/comments", {"body": "See https://www.york.gov.uk/cycling"})
    db.session.rollback()
    assert db.session.scalars(select(Comment.moderation_state).order_by(Comment.id.desc())).first() == "visible"
    # The setting turns the rule off.
    site_settings.save(site_settings.ModerationSettings(hold_links_from_new_accounts=False))
    db.session.commit()
    newcomer, _ = as_role("author")
    submit(newcomer, f"/ideas/{idea.id}/comments", {"body": "Also https://example.org"})
    db.session.rollback()
    assert db.session.scalars(select(Comment.moderation_state).order_by(Comment.id.desc())).first() == "visible"


def test_admins_change_the_site_settings(as_role):
    admin, _ = as_role("admin")
    page = admin.get("/admin/settings")
    assert page.status_code == 200 and 'value="3"' in page.get_data(as_text=True)
    response = submit(admin, "/admin/settings", {"hold_first_contributions": "2", "reports_threshold": "5"})
    assert response.status_code == 302
    db.session.rollback()
    assert site_settings.current() == site_settings.ModerationSettings(2, False, 5)
    assert "settings" in log_actions()


@pytest.mark.parametrize("fields, message", [
    ({"hold_first_contributions": "-1", "reports_threshold": "3"}, "Enter a number from 0 to 20"),
    ({"hold_first_contributions": "two", "reports_threshold": "3"}, "Enter a whole number from 0 to 20"),
    ({"hold_first_contributions": "0", "reports_threshold": "0"}, "Enter a number from 1 to 50"),
    ({"hold_first_contributions": "0"}, "Enter a number from 1 to 50"),
])
def test_bad_settings_get_a_clear_message_and_change_nothing(as_role, fields, message):
    admin, _ = as_role("admin")
    response = submit(admin, "/admin/settings", fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(SiteSetting)) is None


@pytest.mark.parametrize("role", ["anonymous", "resident", "staff", "champion", "moderator"])
def test_only_admins_see_the_site_settings(as_role, role):
    client, _ = as_role(role)
    response = client.get("/admin/settings")
    assert response.status_code == (302 if role == "anonymous" else 403)
