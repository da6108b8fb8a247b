"""Account pages end to end: register, confirm, sign in, profile, email, password, reset."""

from __future__ import annotations

from urllib.parse import urlsplit

from accounts.conftest import link_in, reload, user_count
from conftest import PASSWORD, post_form, sign_in
from core.support import error_summary, field_error
from core.test_passwords import UNICODE_PASSWORD, argon2_parameters
from genius.accounts.services import find_by_email
from genius.extensions import db


def register(client, email="sam@example.com", password=PASSWORD, name="Sam Smith", **extra):
    return post_form(client, "/register", {"display_name": name, "email": email, "password": password, **extra})


def test_the_whole_account_journey(client, new_client, outbox):
    # Register.
    assert client.get("/register").status_code == 200
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/check-your-email"
    assert "Check your email" in client.get(response.headers["Location"]).get_data(as_text=True)
    user = find_by_email("sam@example.com")
    assert user.role == "resident" and not user.is_confirmed
    assert outbox[-1]["To"] == "sam@example.com"

    # Confirm: the link opens a page with a button; only the button confirms.
    link = link_in(outbox[-1])
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm my email address" in page.get_data(as_text=True)
    assert not reload(user).is_confirmed
    response = post_form(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    assert reload(user).is_confirmed

    # Sign in.
    response = sign_in(client, "Sam@Example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "Sam Smith" in client.get("/account").get_data(as_text=True)

    # Edit the profile.
    response = post_form(client, "/account/profile", {
        "display_name": "Samira Smith", "organisation": "Acomb Allotments", "bio": "Grows leeks.",
    })
    assert response.status_code == 302
    account = client.get("/account").get_data(as_text=True)
    assert "Samira Smith" in account and "Acomb Allotments" in account and "Grows leeks." in account

    # Change the email: nothing changes until the link sent to the new address is used.
    response = post_form(client, "/account/email", {"new_email": "samira@example.org", "current_password": PASSWORD})
    assert response.status_code == 302
    assert reload(user).email == "sam@example.com"
    new_address, old_address = outbox[-2], outbox[-1]
    assert new_address["To"] == "samira@example.org" and old_address["To"] == "sam@example.com"
    assert "samira@example.org" in old_address.get_content()
    response = post_form(client, link_in(new_address))
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    assert reload(user).email == "samira@example.org"
    assert client.get("/account").status_code == 302  # signed out everywhere
    assert sign_in(client, "samira@example.org").status_code == 302

    # Change the password.
    new_password = "leeks grow best in raised beds"
    response = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": new_password})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert sign_in(new_client(), "samira@example.org", PASSWORD).status_code == 400
    assert sign_in(new_client(), "samira@example.org", new_password).status_code == 302

    # Forget it and reset it.
    other = new_client()
    assert post_form(other, "/forgot-password", {"email": "samira@example.org"}).status_code == 200
    assert outbox[-1]["To"] == "samira@example.org"
    reset_link = link_in(outbox[-1])
    assert other.get(reset_link).status_code == 200
    response = post_form(other, reset_link, {"password": "onions need a long summer"})
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    assert sign_in(other, "samira@example.org", "onions need a long summer").status_code == 302
    assert client.get("/account").status_code == 302  # the reset ended the other session


def test_common_password_is_refused_with_a_message(client):
    response = register(client, password="password123")
    assert response.status_code == 400
    assert "too common" in field_error(response.get_data(as_text=True), "password")
    assert user_count() == 0


def test_password_of_9_characters_is_refused(client):
    response = register(client, password="x7#kLm2$q")
    assert response.status_code == 400
    assert "at least 10 characters" in field_error(response.get_data(as_text=True), "password")
    assert user_count() == 0


def test_password_of_257_characters_is_refused_and_256_accepted(client):
    response = register(client, password="pq" * 128 + "r")
    assert response.status_code == 400
    assert "256 characters or fewer" in field_error(response.get_data(as_text=True), "password")
    assert user_count() == 0
    response = register(client, password="pq" * 128)
    assert response.status_code == 302
    assert user_count() == 1


def test_unicode_password_registers_signs_in_and_is_hashed_with_argon2id(client):
    assert register(client, password=UNICODE_PASSWORD).status_code == 302
    stored = find_by_email("sam@example.com").password_hash
    assert stored.startswith("$argon2id$")
    params = argon2_parameters(stored)
    assert params["m"] >= 19456 and params["t"] >= 2 and params["p"] >= 1
    assert UNICODE_PASSWORD not in stored
    assert sign_in(client, "sam@example.com", UNICODE_PASSWORD[:-1]).status_code == 400
    assert sign_in(client, "sam@example.com", UNICODE_PASSWORD).status_code == 302


def test_a_password_is_used_exactly_as_typed(client, new_client):
    spaced = "  spaces around my passphrase  "
    assert register(client, password=spaced).status_code == 302
    assert sign_in(client, "sam@example.com", spaced.strip()).status_code == 400
    assert sign_in(new_client(), "sam@example.com", spaced).status_code == 302


def test_bad_registration_shows_messages_by_the_fields_and_writes_nothing(client):
    response = register(client, name="", email="not-an-email", password="short")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "display_name") == "Enter your name"
    assert field_error(html, "email").startswith("Enter an email address in the correct format")
    assert "at least 10 characters" in field_error(html, "password")
    assert set(error_summary(html)) == {"#display_name", "#email", "#password"}
    assert "<title>Error: " in html
    assert user_count() == 0


def test_the_password_is_never_echoed_back(client):
    html = register(client, email="not-an-email", password="a secret never shown").get_data(as_text=True)
    assert "a secret never shown" not in html


def test_honeypot_filled_in_is_refused(client):
    response = register(client, website="http://spam.example")
    assert response.status_code == 400
    assert user_count() == 0


def test_role_cannot_be_set_by_a_form_field(client):
    response = register(client, role="admin", role_granted_by="admin", session_version="99")
    assert response.status_code == 302
    user = find_by_email("sam@example.com")
    assert user.role == "resident" and user.role_granted_by is None and user.session_version == 1

    sign_in(client, "sam@example.com")
    response = post_form(client, "/account/profile", {
        "display_name": "Sam", "organisation": "", "bio": "", "role": "admin",
        "email": "takeover@example.com", "email_confirmed_at": "2020-01-01",
    })
    assert response.status_code == 302
    user = reload(user)
    assert user.role == "resident"
    assert user.email == "sam@example.com"
    assert not user.is_confirmed
    assert "Administrator" not in client.get("/account").get_data(as_text=True)
    assert client.get("/admin/people").status_code == 403


def test_bad_profile_input_changes_nothing(signed_in):
    client, user = signed_in(name="Original Name")
    response = post_form(client, "/account/profile", {"display_name": "", "organisation": "o" * 121, "bio": "b" * 501})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "display_name") == "Enter your name"
    assert "120 characters or fewer" in field_error(html, "organisation")
    assert "500 characters or fewer" in field_error(html, "bio")
    assert reload(user).display_name == "Original Name"


def test_signed_in_people_are_sent_from_register_and_sign_in_to_their_account(signed_in):
    client, _ = signed_in()
    assert client.get("/register").headers["Location"] == "/account"
    assert client.get("/sign-in").headers["Location"] == "/account"


def test_sign_in_goes_back_to_a_local_page_but_never_off_site(client, new_client, make_user):
    user = make_user()
    response = post_form(client, "/sign-in?next=/account/profile", {"email": user.email, "password": PASSWORD},
                         token_from="/sign-in")
    assert response.headers["Location"] == "/account/profile"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"):
        response = post_form(new_client(), "/sign-in", {"email": user.email, "password": PASSWORD},
                             query_string={"next": target}, token_from="/sign-in")
        location = response.headers["Location"]
        # Either our account page, or a path on this site that browsers cannot read as another host.
        assert location.startswith("/") and not location.startswith("//"), target
        assert not urlsplit(location).netloc and "\\" not in location and "\t" not in location, target


def test_resend_confirmation_sends_a_fresh_link(signed_in, outbox):
    client, user = signed_in(confirmed=False)
    response = post_form(client, "/confirm-email/send-again", token_from="/account")
    assert response.status_code == 302
    assert outbox[-1]["To"] == user.email
    assert post_form(client, link_in(outbox[-1])).status_code == 302
    db.session.rollback()
    assert find_by_email(user.email).is_confirmed
