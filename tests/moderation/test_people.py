"""Suspensions and bans: from the person view (moderators and admins); sessions end at once; sign-in
is refused with the reason (and the end date); suspended and banned people cannot post, comment,
support or report; lifting lets them back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from challenges.factories import reload, submit
from conftest import sign_in
from genius.challenges.permissions import can_propose_idea, may_participate
from genius.comments.permissions import can_post_comment
from genius.core.dates import local_day
from genius.core.models import utcnow
from genius.extensions import db
from genius.moderation import people
from genius.moderation.permissions import can_report
from genius.supports.permissions import can_support_idea
from moderation.support import log_actions


def test_a_suspension_ends_sessions_and_refuses_sign_in_with_the_reason(make_challenge, make_idea, as_role, cast):
    idea = make_idea(make_challenge())
    person_client, person = as_role("resident")
    assert person_client.get("/account").status_code == 200
    moderator, _ = as_role("moderator")
    page = f"/moderation/people/{person.id}"
    response = submit(moderator, f"{page}/suspend", {"suspend-days": "7", "suspend-reason": "Repeated insults"},
                      token_from=page)
    assert response.status_code == 302
    # The old session stops working at once.
    assert person_client.get("/account").status_code == 302
    refused = sign_in(person_client, person.email)
    assert refused.status_code == 403
    html = refused.get_data(as_text=True)
    until = local_day(reload(person).suspended_until)
    assert "Your account is suspended until" in html and f"{until.day} {until:%B %Y}" in html
    assert "Repeated insults" in html
    # A wrong password says nothing about the suspension.
    wrong = sign_in(person_client, person.email, "not the password at all")
    assert "suspended" not in wrong.get_data(as_text=True)
    assert log_actions("person", person.id) == ["suspend"]

    # Lifted: they sign in again.
    assert submit(moderator, f"{page}/lift", {"lift-note": "Apologised"}, token_from=page).status_code == 302
    assert sign_in(person_client, person.email).status_code == 302


def test_a_ban_refuses_sign_in_with_the_reason(as_role):
    person_client, person = as_role("resident")
    moderator, _ = as_role("moderator")
    page = f"/moderation/people/{person.id}"
    assert submit(moderator, f"{page}/ban", {"ban-reason": "Spam account"}, token_from=page).status_code == 302
    refused = sign_in(person_client, person.email)
    assert refused.status_code == 403
    assert "Your account has been banned" in refused.get_data(as_text=True)
    assert "Spam account" in refused.get_data(as_text=True)


def test_a_suspension_ends_by_itself(as_role, cast):
    person = cast("resident")
    people.suspend(person, cast("moderator"), 1, "Cool off")
    db.session.commit()
    person = reload(person)
    person.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client, _ = as_role("resident")  # signs in: asserts a 302
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("fields, message", [
    ({"suspend-days": "", "suspend-reason": "x"}, "Enter the number of days, from 1 to 365"),
    ({"suspend-days": "0", "suspend-reason": "x"}, "Enter the number of days, from 1 to 365"),
    ({"suspend-days": "seven", "suspend-reason": "x"}, "Enter the number of days as a whole number"),
    ({"suspend-days": "7", "suspend-reason": " "}, "Enter the reason"),
])
def test_bad_suspensions_get_a_clear_message(as_role, cast, fields, message):
    person = cast("resident")
    moderator, _ = as_role("moderator")
    page = f"/moderation/people/{person.id}"
    response = submit(moderator, f"{page}/suspend", fields, token_from=page)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert reload(person).suspended_until is None


def test_moderators_cannot_be_suspended(as_role, cast):
    moderator, _ = as_role("moderator")
    admin = cast("admin")
    page = f"/moderation/people/{admin.id}"
    response = submit(moderator, f"{page}/ban", {"ban-reason": "x"}, token_from=page)
    assert response.status_code == 400
    assert "Moderators and admins cannot be banned" in response.get_data(as_text=True)
    assert reload(admin).banned_at is None


def test_suspended_and_banned_people_cannot_take_part(make_challenge, make_idea, cast):
    challenge = make_challenge()
    idea = make_idea(challenge)
    for restrict in ("suspend", "ban"):
        person = cast("resident")
        assert may_participate(person) and can_propose_idea(person, challenge) and can_post_comment(person, challenge, idea)
        assert can_support_idea(person, idea) and can_report(person, idea, "idea")
        if restrict == "suspend":
            people.suspend(person, cast("moderator"), 3, "Cool off")
        else:
            people.ban(person, cast("moderator"), "Spam")
        assert not may_participate(person)
        assert not can_propose_idea(person, challenge)
        assert not can_post_comment(person, challenge, idea)
        assert not can_support_idea(person, idea)
        assert not can_report(person, idea, "idea")
        people.lift_restrictions(person, cast("moderator"))
        db.session.commit()
