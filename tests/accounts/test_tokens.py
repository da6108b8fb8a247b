"""SECURITY.md 5: email-link tokens are signed, single use and expire."""

from __future__ import annotations

import json

from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode

from accounts.conftest import link_in, reload
from conftest import PASSWORD, post_form, sign_in
from genius.accounts import tokens
from genius.accounts.services import find_by_email
from genius.extensions import db

NEW_PASSWORD = "a brand new long passphrase"
HOUR = 3600
THREE_DAYS = 3 * 24 * 3600


def ask_for_reset(client, outbox, email: str) -> str:
    response = post_form(client, "/forgot-password", {"email": email})
    assert response.status_code == 200
    return link_in(outbox[-1])


def register(client, outbox, email: str = "newcomer@example.com") -> str:
    response = post_form(client, "/register", {"display_name": "New Comer", "email": email, "password": PASSWORD})
    assert response.status_code == 302
    return link_in(outbox[-1])


# Password reset


def test_reset_link_works_within_the_hour(client, make_user, outbox, token_clock):
    user = make_user()
    token_clock(-(HOUR - 60))
    link = ask_for_reset(client, outbox, user.email)
    token_clock(0)
    assert client.get(link).status_code == 200


def test_reset_link_expires_after_an_hour(client, make_user, outbox, token_clock):
    user = make_user()
    token_clock(-(HOUR + 1))
    link = ask_for_reset(client, outbox, user.email)
    token_clock(0)
    response = client.get(link)
    assert response.status_code == 400
    assert "This link has expired" in response.get_data(as_text=True)
    response = post_form(client, link, {"password": NEW_PASSWORD}, token_from="/forgot-password")
    assert response.status_code == 400
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 400
    assert sign_in(client, user.email, PASSWORD).status_code == 302


def test_reset_link_works_once(client, make_user, outbox):
    user = make_user()
    link = ask_for_reset(client, outbox, user.email)
    response = post_form(client, link, {"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")

    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    response = post_form(client, link, {"password": "yet another long passphrase"}, token_from="/forgot-password")
    assert response.status_code == 400
    assert sign_in(client, user.email, "yet another long passphrase").status_code == 400
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302


def test_an_older_reset_link_dies_when_a_newer_one_is_used(client, make_user, outbox):
    user = make_user()
    first = ask_for_reset(client, outbox, user.email)
    second = ask_for_reset(client, outbox, user.email)
    assert post_form(client, second, {"password": NEW_PASSWORD}).status_code == 302
    assert client.get(first).status_code == 400


def test_tampered_reset_link_is_refused(client, make_user, outbox):
    user, other = make_user(), make_user()
    link = ask_for_reset(client, outbox, user.email)
    prefix, token = link.rsplit("/", 1)
    payload, timestamp, signature = token.split(".")
    # One character in the middle of the signature (the last one may only carry padding bits).
    middle = len(signature) // 2
    flipped = signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1:]
    # Or the payload pointed at another account, keeping the signature.
    data = json.loads(base64_decode(payload))
    other_payload = base64_encode(json.dumps({**data, "u": other.id}, separators=(",", ":"))).decode()
    for tampered in (f"{payload}.{timestamp}.{flipped}", f"{other_payload}.{timestamp}.{signature}"):
        response = client.get(f"{prefix}/{tampered}")
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)
    assert client.get(link).status_code == 200


def test_reset_token_signed_with_another_key_is_refused(app, client, make_user):
    user = make_user()
    with app.test_request_context():
        real = tokens.make_token(user, "reset-password")
        payload = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="genius.reset-password").loads(real)
    forged = URLSafeTimedSerializer("not-our-secret-key-" * 3, salt="genius.reset-password").dumps(payload)
    assert client.get(f"/reset-password/{forged}").status_code == 400
    assert client.get(f"/reset-password/{real}").status_code == 200


def test_a_token_for_one_purpose_does_not_work_for_another(client, outbox):
    confirm_link = register(client, outbox)
    token = confirm_link.rsplit("/", 1)[1]
    assert client.get(f"/reset-password/{token}").status_code == 400
    assert client.get(f"/account/email/confirm/{token}").status_code == 400


# Email confirmation


def test_confirmation_link_works_once(client, outbox):
    link = register(client, outbox)
    assert client.get(link).status_code == 200
    assert post_form(client, link).status_code == 302
    again = post_form(client, link, token_from="/sign-in")
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)


def test_confirmation_link_expires_after_three_days(app, client, outbox, token_clock):
    token_clock(-(THREE_DAYS + 1))
    link = register(client, outbox)
    token_clock(0)
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert post_form(client, link, token_from="/sign-in").status_code == 400
    db.session.rollback()
    assert find_by_email("newcomer@example.com").is_confirmed is False


def test_confirmation_link_within_three_days_works(client, outbox, token_clock):
    token_clock(-(THREE_DAYS - 60))
    link = register(client, outbox)
    token_clock(0)
    assert post_form(client, link, token_from="/sign-in").status_code == 302


# Change of email


def test_email_change_link_expires_after_an_hour(app, client, signed_in, token_clock):
    client, user = signed_in()
    token_clock(-(HOUR + 1))
    with app.test_request_context():
        token = tokens.make_token(user, "change-email", e="late@example.com")
    token_clock(0)
    response = post_form(client, f"/account/email/confirm/{token}", token_from="/account")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert reload(user).email != "late@example.com"


def test_email_change_link_works_once(client, signed_in, outbox):
    client, user = signed_in()
    post_form(client, "/account/email", {"new_email": "moved@example.com", "current_password": PASSWORD})
    assert outbox[-2]["To"] == "moved@example.com"
    link = link_in(outbox[-2])
    assert post_form(client, link).status_code == 302
    assert reload(user).email == "moved@example.com"
    assert post_form(client, link, token_from="/sign-in").status_code == 400
