"""SECURITY.md 6 and 7: sessions change at sign-in, end everywhere, time out; cookies are locked down."""

from __future__ import annotations

import time

from conftest import PASSWORD, post_form, sign_in
from core.support import field_error
from genius.extensions import db

COOKIE = "genius_session"


def session_cookie(client) -> str | None:
    cookie = client.get_cookie(COOKIE)
    return cookie.value if cookie else None


def copy_session(source, target) -> None:
    """What an attacker who stole the cookie would do."""
    target.set_cookie(COOKIE, session_cookie(source))


def is_signed_in(client) -> bool:
    response = client.get("/account")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/sign-in")
        return False
    assert response.status_code == 200
    return True


def set_cookie_headers(response) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "=")]


# The session changes at sign-in and ends everywhere.


def test_the_session_cookie_changes_at_sign_in_and_nothing_carries_over(client, make_user):
    user = make_user()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
    before = session_cookie(client)
    assert sign_in(client, user.email).status_code == 302
    assert session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_version}"


def test_a_cookie_saved_before_sign_out_is_refused_after_it(signed_in, new_client):
    client, _ = signed_in()
    stolen = new_client()
    copy_session(client, stolen)
    assert is_signed_in(stolen)
    assert post_form(client, "/sign-out", token_from="/account").status_code == 302
    assert not is_signed_in(client)
    assert not is_signed_in(stolen)


def test_sign_out_is_post_only(signed_in):
    client, _ = signed_in()
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert "This page cannot be used that way" in response.get_data(as_text=True)
    assert is_signed_in(client)


def test_sign_out_without_the_csrf_token_is_refused(signed_in):
    client, _ = signed_in()
    response = client.post("/sign-out")
    assert response.status_code == 400
    assert is_signed_in(client)


def test_a_password_change_ends_other_sessions_but_keeps_this_one(signed_in, new_client):
    client, user = signed_in()
    other_device = new_client()
    assert sign_in(other_device, user.email).status_code == 302
    stolen = new_client()
    copy_session(client, stolen)
    response = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": "a fresh long passphrase"})
    assert response.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(other_device)
    assert not is_signed_in(stolen)


def test_a_deleted_account_is_signed_out_at_once(signed_in):
    from genius.core.models import utcnow

    client, user = signed_in()
    user.deleted_at = utcnow()
    db.session.commit()
    assert not is_signed_in(client)


# Re-authentication before changing email or password.


def test_changing_the_password_needs_the_current_one(signed_in, outbox):
    client, user = signed_in()
    old_hash = user.password_hash
    response = post_form(client, "/account/password", {"current_password": "not my password", "new_password": "a fresh long passphrase"})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "current_password") == "Your current password is not correct"
    db.session.rollback()
    assert user.password_hash == old_hash and user.session_version == 1
    assert is_signed_in(client)


def test_changing_the_email_needs_the_current_password(signed_in, outbox):
    client, user = signed_in()
    response = post_form(client, "/account/email", {"new_email": "elsewhere@example.com", "current_password": "not my password"})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "current_password") == "Your current password is not correct"
    assert outbox == []
    db.session.rollback()
    assert user.email != "elsewhere@example.com"


# Idle timeout and absolute lifetime (defaults: 60 minutes idle, 12 hours in all).


def age_session(client, *, idle: int = 0, since_sign_in: int = 0) -> None:
    now = int(time.time())
    with client.session_transaction() as session:
        session["seen_at"] = now - idle
        session["signed_in_at"] = now - since_sign_in


def test_a_session_used_within_the_hour_stays_and_is_refreshed(signed_in):
    client, _ = signed_in()
    age_session(client, idle=59 * 60, since_sign_in=11 * 3600)
    assert is_signed_in(client)
    with client.session_transaction() as session:
        assert int(time.time()) - session["seen_at"] < 5


def test_an_idle_session_ends(signed_in):
    client, _ = signed_in()
    age_session(client, idle=61 * 60, since_sign_in=61 * 60)
    assert not is_signed_in(client)
    assert "signed out because you had not used the site" in client.get("/sign-in").get_data(as_text=True)


def test_a_session_ends_after_its_absolute_lifetime_even_if_busy(signed_in):
    client, _ = signed_in()
    age_session(client, idle=0, since_sign_in=12 * 3600 + 1)
    assert not is_signed_in(client)


def test_a_session_without_timestamps_is_not_trusted(signed_in):
    client, _ = signed_in()
    with client.session_transaction() as session:
        del session["seen_at"]
        del session["signed_in_at"]
    assert not is_signed_in(client)


# Cookie flags.


def test_session_cookie_is_httponly_and_samesite_lax_and_not_secure_locally(client):
    headers = set_cookie_headers(client.get("/sign-in"))
    assert headers, "the sign-in page sets a session cookie (CSRF)"
    for header in headers:
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
        assert "Secure" not in header


def test_development_cookies_are_not_secure(other_app):
    dev = other_app(GENIUS_ENV="development")
    headers = set_cookie_headers(dev.test_client().get("/sign-in"))
    assert headers and all("Secure" not in h and "HttpOnly" in h and "SameSite=Lax" in h for h in headers)


def test_production_cookies_are_secure_httponly_and_lax(other_app, make_user):
    prod = other_app(GENIUS_ENV="production", SECRET_KEY="p" * 48)
    browser = prod.test_client()
    url = "https://genius.example.gov.uk/sign-in"
    headers = set_cookie_headers(browser.get(url))
    user = make_user()
    # Over HTTPS, Flask-WTF also wants a same-site Referer, as browsers send.
    response = post_form(browser, url, {"email": user.email, "password": PASSWORD}, headers={"Referer": url})
    assert response.status_code == 302
    headers += set_cookie_headers(response)
    assert len(headers) == 2
    for header in headers:
        assert "; Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_a_busy_session_is_signed_again_once_a_minute_not_on_every_page(signed_in):
    """SESSION_REFRESH_EACH_REQUEST is off: a page within the minute sends no new cookie; once "seen_at"
    is a minute old the session changes, and the cookie (with a new expiry) is sent again."""
    client, _ = signed_in()
    client.get("/account")
    assert set_cookie_headers(client.get("/account")) == []
    age_session(client, idle=61, since_sign_in=61)
    headers = set_cookie_headers(client.get("/account"))
    assert len(headers) == 1 and "Expires=" in headers[0]
    assert is_signed_in(client)
