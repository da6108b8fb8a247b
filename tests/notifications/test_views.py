"""Follow and unfollow, the notifications page and its unread count, mark read,
email settings, and unsubscribe links (one-click, no session, no CSRF token)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, update

from challenges.factories import main_of
from conftest import post_form
from genius.core.models import utcnow
from genius.extensions import db
from genius.notifications.delivery import unsubscribe_token
from genius.notifications.models import Notification

from .conftest import add_notification, is_following, notifications_of, set_frequency, settings_row


def header_link(html: str) -> str:
    """The Notifications item of the header's navigation, as markup with its white space squeezed."""
    match = re.search(r'<a class="govuk-service-navigation__link" href="/notifications"[^>]*>(.*?)</a>', html, re.S)
    assert match, "no Notifications link in the header"
    inner = re.sub(r'</?strong[^>]*>', "", match.group(1))  # the current page's item is also wrapped in <strong>
    return " ".join(inner.split())


def _follow_url(action, kind, target_id):
    return f"/{action}/{kind}/{target_id}"


# Follow and unfollow

@pytest.mark.parametrize("kind", ["idea", "challenge"])
def test_follow_then_stop_following_from_the_page(as_role, make_challenge, make_idea, kind):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    target_id, page = (idea.id, f"/ideas/{idea.id}") if kind == "idea" else (challenge.id, f"/challenges/{challenge.id}")
    client, resident = as_role("resident")

    html = client.get(page).get_data(as_text=True)
    assert f'action="/follow/{kind}/{target_id}"' in html
    assert f"Follow this {kind}</button>" in html

    response = post_form(client, _follow_url("follow", kind, target_id), token_from=page)
    assert response.status_code == 302 and response.headers["Location"] == page
    assert is_following(resident.id, kind, target_id)
    html = client.get(page).get_data(as_text=True)
    assert f"You are following this {kind}. We will tell you" in html  # the flash
    assert f'action="/unfollow/{kind}/{target_id}"' in html
    assert f"Stop following this {kind}</button>" in html

    response = post_form(client, _follow_url("unfollow", kind, target_id), token_from=page)
    assert response.status_code == 302 and response.headers["Location"] == page
    db.session.rollback()
    assert not is_following(resident.id, kind, target_id)
    assert f"You have stopped following this {kind}." in client.get(page).get_data(as_text=True)


def test_following_twice_and_unfollowing_what_you_do_not_follow_are_harmless(as_role, make_challenge):
    challenge = make_challenge("open")
    client, resident = as_role("resident")
    page = f"/challenges/{challenge.id}"
    for _ in range(2):
        assert post_form(client, f"/follow/challenge/{challenge.id}", token_from=page).status_code == 302
    for _ in range(2):
        assert post_form(client, f"/unfollow/challenge/{challenge.id}", token_from=page).status_code == 302
    db.session.rollback()
    assert not is_following(resident.id, "challenge", challenge.id)


@pytest.mark.parametrize("path", [
    "/follow/challenge/{hidden}", "/follow/idea/{hidden_idea}", "/unfollow/challenge/{hidden}",
    "/follow/challenge/999999", "/follow/idea/999999", "/follow/user/{public}", "/follow/comment/1",
])
def test_following_what_you_may_not_see_is_not_found(as_role, make_challenge, make_idea, path):
    hidden = make_challenge("open", audience="staff")
    hidden_idea = make_idea(hidden)
    public = make_challenge("open")
    client, resident = as_role("resident")
    url = path.format(hidden=hidden.id, hidden_idea=hidden_idea.id, public=public.id)
    assert post_form(client, url, token_from="/challenges").status_code == 404
    assert notifications_of(resident) == []
    assert not is_following(resident.id, "challenge", hidden.id)


def test_staff_may_follow_a_staff_only_challenge(as_role, make_challenge):
    hidden = make_challenge("open", audience="staff")
    client, staff = as_role("staff")
    assert post_form(client, f"/follow/challenge/{hidden.id}", token_from="/challenges").status_code == 302
    assert is_following(staff.id, "challenge", hidden.id)


def test_people_not_signed_in_are_sent_to_sign_in_and_follow_nothing(client, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"))
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "/follow/idea/" not in html and "Follow this idea" not in html
    response = post_form(client, f"/follow/idea/{idea.id}", token_from="/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/sign-in?next=/ideas/{idea.id}")
    # ...and what they may not see stays not found.
    hidden = make_challenge("open", audience="staff")
    assert post_form(client, f"/follow/challenge/{hidden.id}", token_from="/sign-in").status_code == 404


def test_following_needs_a_post_with_a_csrf_token(as_role, make_challenge):
    challenge = make_challenge("open")
    client, resident = as_role("resident")
    assert client.get(f"/follow/challenge/{challenge.id}").status_code == 405
    assert client.post(f"/follow/challenge/{challenge.id}").status_code == 400
    assert not is_following(resident.id, "challenge", challenge.id)


# The unread count in the header

def test_the_header_shows_the_unread_count(as_role, make_challenge):
    challenge = make_challenge("open")
    client, resident = as_role("resident")
    html = client.get("/challenges").get_data(as_text=True)
    assert header_link(html) == "Notifications"  # no count when nothing is unread
    for minutes in (3, 2, 1):
        add_notification(resident, challenge=challenge, minutes_ago=minutes)
    add_notification(resident, challenge=challenge, read=True)
    html = client.get("/challenges").get_data(as_text=True)
    assert header_link(html) == 'Notifications (3<span class="govuk-visually-hidden"> unread</span>)'


def test_the_unread_count_costs_one_query_and_none_for_visitors(as_role, client, make_challenge, count_statements):
    challenge = make_challenge("open")
    signed_in, resident = as_role("resident")
    add_notification(resident, challenge=challenge)
    for browser, expected in ((signed_in, 1), (client, 0)):
        with count_statements() as statements:
            assert browser.get(f"/challenges/{challenge.id}").status_code == 200
        assert len([s for s in statements if "notifications" in s.lower()]) == expected, statements


def test_the_count_and_the_list_leave_out_challenges_the_reader_can_no_longer_see(as_role, make_challenge):
    public = make_challenge("open", title="Public one")
    hidden = make_challenge("open", audience="staff", title="Became internal")
    client, resident = as_role("resident")
    add_notification(resident, title="About the public one", challenge=public)
    add_notification(resident, title="About the internal one", challenge=hidden)
    add_notification(resident, title="About nothing in particular")
    html = client.get("/notifications").get_data(as_text=True)
    assert header_link(html).startswith("Notifications (2<span")
    assert "About the public one" in html and "About nothing in particular" in html
    assert "About the internal one" not in html


def test_the_count_reads_the_time_of_each_request(as_role, make_challenge):
    """The count's statement is built once; the time it compares with public_from is given per request."""
    soon = make_challenge("open", audience="staff_first_before", title="Public later")
    client, resident = as_role("resident")
    add_notification(resident, challenge=soon)
    assert header_link(client.get("/challenges").get_data(as_text=True)) == "Notifications"
    # Public from a moment after that request: a time kept from the first request would still hide it.
    soon.public_from = utcnow()
    db.session.commit()
    assert header_link(client.get("/challenges").get_data(as_text=True)).startswith("Notifications (1<span")
    staff_client, staff = as_role("staff")
    add_notification(staff, challenge=make_challenge("open", audience="staff", title="Internal"))
    assert header_link(staff_client.get("/challenges").get_data(as_text=True)).startswith("Notifications (1<span")


# The notifications page

def test_the_page_lists_newest_first_marks_new_ones_and_links_to_each_target(as_role, make_challenge, make_idea,
                                                                               add_comment, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    client, author = as_role("author")
    comment = add_comment(cast("resident"), challenge, idea, body="Lovely idea, **really**.")
    add_notification(author, title="About the idea", challenge=challenge, idea=idea, minutes_ago=5)
    add_notification(author, title="About the challenge", challenge=challenge, minutes_ago=10, read=True)

    html = main_of(client.get("/notifications").get_data(as_text=True))
    titles = re.findall(r'<a class="govuk-link" href="([^"]+)">([^<]+)</a>\s*</h2>', html)
    assert titles == [
        (f"/comments/{comment.id}", "New comment on your idea ‘Bike racks at schools’"),
        (f"/ideas/{idea.id}", "About the idea"),
        (f"/challenges/{challenge.id}", "About the challenge"),
    ]
    assert html.count(">New</strong>") == 2
    assert "Lovely idea, **really**." in html  # the excerpt, as plain text
    assert html.count(">Mark as read<span") == 2
    assert "Mark all as read" in html
    assert "You have 2 unread notifications." in html
    # The comment link leads to the comment on its idea's page.
    permalink = client.get(f"/comments/{comment.id}")
    assert permalink.status_code == 302 and f"/ideas/{idea.id}" in permalink.headers["Location"]


def test_the_page_is_for_signed_in_people_and_shows_only_their_own(client, as_role, make_challenge, make_user):
    assert client.get("/notifications").status_code == 302
    challenge = make_challenge("open")
    add_notification(make_user(), title="Someone else's news", challenge=challenge)
    browser, _resident = as_role("resident")
    html = browser.get("/notifications").get_data(as_text=True)
    assert "Someone else&#39;s news" not in html and "Someone else's news" not in html
    assert "Nothing yet." in html and "Mark all as read" not in html


def test_thirty_a_page(as_role, make_challenge):
    challenge = make_challenge("open")
    client, resident = as_role("resident")
    db.session.execute(insert(Notification), [
        {"user_id": resident.id, "kind": "new_idea_in_challenge", "title": f"Number {i}", "message": "",
         "challenge_id": challenge.id, "created_at": utcnow() - timedelta(minutes=100 - i),
         "email_state": "pending", "email_attempts": 0} for i in range(31)])
    db.session.commit()
    first = main_of(client.get("/notifications").get_data(as_text=True))
    second = main_of(client.get("/notifications?page=2").get_data(as_text=True))
    assert first.count('<li class="govuk-!-margin-bottom-6') == 30 and "Number 30" in first and "Number 0<" not in first
    assert second.count('<li class="govuk-!-margin-bottom-6') == 1 and "Number 0<" in second
    assert 'href="/notifications?page=2"' in first
    assert client.get("/notifications?page=abc").status_code == 200
    assert client.get("/notifications?page=99999999999").status_code == 404


def test_a_deleted_comments_excerpt_is_not_shown(as_role, make_challenge, make_idea, add_comment, cast):
    from genius.comments.models import Comment

    challenge = make_challenge("open")
    idea = make_idea(challenge)
    client, author = as_role("author")
    comment = add_comment(cast("resident"), challenge, idea, body="Something I regret saying.")
    db.session.execute(update(Comment).where(Comment.id == comment.id).values(deleted_at=utcnow()))
    db.session.commit()
    html = client.get("/notifications").get_data(as_text=True)
    assert "Something I regret saying." not in html
    assert "The comment was deleted by its author." in html


def test_mark_one_as_read(as_role, make_challenge):
    challenge = make_challenge("open")
    client, resident = as_role("resident")
    older = add_notification(resident, title="Older", challenge=challenge, minutes_ago=2)
    add_notification(resident, title="Newer", challenge=challenge, minutes_ago=1)
    response = post_form(client, f"/notifications/{older.id}/read", {"page": "1"}, token_from="/notifications")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    states = {n.title: n.read_at is not None for n in notifications_of(resident)}
    assert states == {"Older": True, "Newer": False}
    html = client.get("/notifications").get_data(as_text=True)
    assert "Marked as read: Older" in html
    assert header_link(html).startswith("Notifications (1<span")


def test_nobody_marks_someone_elses_notification(as_role, make_challenge, make_user):
    challenge = make_challenge("open")
    other = make_user()
    theirs = add_notification(other, challenge=challenge)
    client, _resident = as_role("resident")
    assert post_form(client, f"/notifications/{theirs.id}/read", token_from="/notifications").status_code == 404
    assert post_form(client, "/notifications/999999/read", token_from="/notifications").status_code == 404
    assert notifications_of(other)[0].read_at is None


def test_mark_all_as_read(as_role, make_challenge, make_user):
    challenge = make_challenge("open")
    client, resident = as_role("resident")
    other = make_user()
    for person in (resident, resident, other):
        add_notification(person, challenge=challenge)
    response = post_form(client, "/notifications/read", {"page": "2"}, token_from="/notifications")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications?page=2"
    assert all(n.read_at is not None for n in notifications_of(resident))
    assert notifications_of(other)[0].read_at is None
    html = client.get("/notifications").get_data(as_text=True)
    assert "All your notifications are marked as read." in html
    assert header_link(html) == "Notifications" and "Mark all as read</button>" not in html
    assert client.post("/notifications/read").status_code == 400  # no CSRF token


# Email settings

def test_settings_show_the_defaults_and_save_changes(as_role):
    client, resident = as_role("resident")
    account = client.get("/account").get_data(as_text=True)
    assert "Email notifications" in account and 'href="/account/notifications"' in account
    assert "A daily summary" in account

    html = client.get("/account/notifications").get_data(as_text=True)
    assert re.search(r'value="daily"\s+checked', html)
    assert len(re.findall(r'name="auto_follow"[^>]*value="(post|support|comment)"[^>]*checked', html)) == 3

    response = post_form(client, "/account/notifications",
                         {"email_frequency": "weekly", "auto_follow": ["post", "comment"]})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    saved = settings_row(resident)
    assert (saved.email_frequency, saved.follow_what_i_post, saved.follow_what_i_support,
            saved.follow_what_i_comment_on) == ("weekly", True, False, True)
    account = client.get("/account").get_data(as_text=True)
    assert "Your email settings have been saved." in account and "A weekly summary" in account

    assert post_form(client, "/account/notifications", {"email_frequency": "immediately"}).status_code == 302
    saved = settings_row(resident)
    assert (saved.email_frequency, saved.follow_what_i_post, saved.follow_what_i_support,
            saved.follow_what_i_comment_on) == ("immediately", False, False, False)


@pytest.mark.parametrize("data, message", [
    ({}, "Choose how often we should email you"),
    ({"email_frequency": "hourly"}, "Choose how often we should email you"),
    ({"email_frequency": "daily", "auto_follow": ["everything"]}, "Choose from the list"),
])
def test_bad_settings_are_refused_with_a_message(as_role, data, message):
    client, resident = as_role("resident")
    response = post_form(client, "/account/notifications", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert settings_row(resident) is None


def test_settings_need_a_sign_in(client):
    assert client.get("/account/notifications").status_code == 302


# Unsubscribe links

def test_an_unsubscribe_link_shows_a_button_and_changes_nothing_until_pressed(app, new_client, make_user):
    person = make_user()
    token = unsubscribe_token(person.id)
    browser = new_client()
    html = browser.get(f"/unsubscribe/{token}").get_data(as_text=True)
    assert "Stop emails</button>" in html
    assert settings_row(person) is None
    response = browser.post(f"/unsubscribe/{token}")  # the page's own form: no CSRF token needed
    assert response.status_code == 200
    assert "You will not get any more emails" in response.get_data(as_text=True)
    assert settings_row(person).email_frequency == "never"


def test_one_click_unsubscribe_from_a_mail_program(app, new_client, make_user):
    """RFC 8058: a POST with `List-Unsubscribe=One-Click`, no cookies, no CSRF token."""
    person = make_user()
    set_frequency(person, "immediately", follow_what_i_post=False)
    mail_program = new_client()
    response = mail_program.post(f"/unsubscribe/{unsubscribe_token(person.id)}", data="List-Unsubscribe=One-Click",
                                 content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "genius_session" not in response.headers.get("Set-Cookie", "")
    saved = settings_row(person)
    assert saved.email_frequency == "never"
    assert saved.follow_what_i_post is False  # nothing else changed


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "x" + t,
    lambda t: "not-a-token",
    lambda t: t.split(".")[0],
])
def test_a_tampered_unsubscribe_link_is_refused(app, new_client, make_user, mangle):
    person = make_user()
    bad = mangle(unsubscribe_token(person.id))
    browser = new_client()
    for response in (browser.get(f"/unsubscribe/{bad}"), browser.post(f"/unsubscribe/{bad}", data="List-Unsubscribe=One-Click",
                                                                        content_type="application/x-www-form-urlencoded")):
        assert response.status_code == 400
        assert "This unsubscribe link is not complete or has been changed" in response.get_data(as_text=True)
    assert settings_row(person) is None


def test_a_token_signed_with_another_key_or_for_something_else_is_refused(app, new_client, make_user):
    from itsdangerous import URLSafeSerializer

    person = make_user()
    browser = new_client()
    forged = URLSafeSerializer("another-secret-key-entirely-xxxxxxxxxxxx", salt="genius.unsubscribe").dumps({"u": person.id})
    other_purpose = URLSafeSerializer(app.config["SECRET_KEY"], salt="genius.something-else").dumps({"u": person.id})
    not_an_id = URLSafeSerializer(app.config["SECRET_KEY"], salt="genius.unsubscribe").dumps({"u": "1"})
    for token in (forged, other_purpose, not_an_id):
        assert browser.post(f"/unsubscribe/{token}").status_code == 400
    assert settings_row(person) is None


def test_a_deleted_accounts_link_is_refused(app, new_client, make_user):
    person = make_user()
    token = unsubscribe_token(person.id)
    person = db.session.merge(person)
    person.deleted_at = utcnow()
    db.session.commit()
    assert new_client().post(f"/unsubscribe/{token}").status_code == 400


@pytest.mark.parametrize("kind", ["idea", "challenge"])
def test_whether_the_reader_follows_comes_with_the_page_s_own_statement(kind, make_challenge, make_idea, as_role,
                                                                       count_statements):
    """No statement of its own: the challenge or idea is loaded with the reader's follow (issue 7)."""
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    target_id, page = (idea.id, f"/ideas/{idea.id}") if kind == "idea" else (challenge.id, f"/challenges/{challenge.id}")
    client, _ = as_role("resident")
    for following in (False, True):
        client.get(page)
        with count_statements() as statements:
            html = client.get(page).get_data(as_text=True)
        assert (f"Stop following this {kind}</button>" in html) is following
        loader = "FROM ideas JOIN challenges" if kind == "idea" else "FROM challenges"
        reading = [" ".join(s.split()) for s in statements if "follows" in s]
        assert len(reading) == 1 and loader in reading[0], reading  # in the statement that loads the page's row
        post_form(client, _follow_url("follow", kind, target_id), token_from=page)
