"""SECURITY.md 4: sign-in, registration and password reset answer the same for known and unknown emails."""

from __future__ import annotations

import re
import statistics
import time

from accounts.conftest import user_count
from conftest import PASSWORD, csrf_token, post_form, sign_in

KNOWN = "known@example.com"
UNKNOWN = "nobody@example.com"


def normalise(html: str, email: str) -> str:
    """The page with what differs per request (tokens, nonces) and the typed email taken out."""
    html = html.replace(email, "EMAIL")
    html = re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+"', r'\1TOKEN"', html)
    html = re.sub(r'value="[^"]{40,}"', 'value="TOKEN"', html)
    return re.sub(r'nonce="[^"]+"', 'nonce="NONCE"', html)


def same_answer(first, second, first_email: str, second_email: str) -> None:
    assert first.status_code == second.status_code
    assert first.headers.get("Location") == second.headers.get("Location")
    assert normalise(first.get_data(as_text=True), first_email) == normalise(second.get_data(as_text=True), second_email)


def test_registering_an_existing_email_looks_like_a_new_registration(client, new_client, make_user, outbox):
    make_user(email=KNOWN, name="Kim Known")
    before = user_count()
    fields = {"display_name": "Someone", "password": "an entirely new passphrase"}
    existing = post_form(client, "/register", {**fields, "email": KNOWN})
    fresh = post_form(new_client(), "/register", {**fields, "email": UNKNOWN})
    same_answer(existing, fresh, KNOWN, UNKNOWN)
    assert existing.status_code == 302
    same_answer(client.get(existing.headers["Location"]), new_client().get(fresh.headers["Location"]), KNOWN, UNKNOWN)

    assert user_count() == before + 1  # only the new one
    to_known = [m for m in outbox if m["To"] == KNOWN]
    assert len(to_known) == 1
    assert "already have one" in to_known[0].get_content()
    # The existing owner's password did not change.
    assert sign_in(new_client(), KNOWN, PASSWORD).status_code == 302


def test_registering_an_existing_email_in_other_case_is_the_same_account(client, make_user, outbox):
    make_user(email=KNOWN)
    before = user_count()
    response = post_form(client, "/register", {"display_name": "X", "email": "KNOWN@Example.COM", "password": "a brand new passphrase"})
    assert response.status_code == 302
    assert user_count() == before
    assert outbox[-1]["To"] == KNOWN


def test_wrong_password_and_unknown_email_get_identical_answers(client, new_client, make_user):
    make_user(email=KNOWN)
    wrong_password = sign_in(client, KNOWN, "not the right password")
    unknown_email = sign_in(new_client(), UNKNOWN, "not the right password")
    same_answer(wrong_password, unknown_email, KNOWN, UNKNOWN)
    assert wrong_password.status_code == 400
    assert "Enter a correct email address and password" in wrong_password.get_data(as_text=True)


def test_deleted_account_signs_in_like_an_unknown_email(client, new_client, make_user):
    from genius.core.models import utcnow
    from genius.extensions import db

    gone = make_user(email=KNOWN)
    gone.deleted_at = utcnow()
    db.session.commit()
    right_password = sign_in(client, KNOWN, PASSWORD)
    unknown_email = sign_in(new_client(), UNKNOWN, PASSWORD)
    same_answer(right_password, unknown_email, KNOWN, UNKNOWN)


def test_forgot_password_page_is_the_same_for_known_and_unknown_emails(client, new_client, make_user, outbox):
    make_user(email=KNOWN)
    known = post_form(client, "/forgot-password", {"email": KNOWN})
    unknown = post_form(new_client(), "/forgot-password", {"email": UNKNOWN})
    same_answer(known, unknown, KNOWN, UNKNOWN)
    assert known.status_code == 200
    assert [m["To"] for m in outbox] == [KNOWN]


def test_changing_to_an_email_in_use_answers_like_a_free_one(signed_in, new_client, make_user, outbox):
    make_user(email=KNOWN)
    client, user = signed_in()
    taken = post_form(client, "/account/email", {"new_email": KNOWN, "current_password": PASSWORD})
    free = post_form(client, "/account/email", {"new_email": UNKNOWN, "current_password": PASSWORD})
    assert taken.status_code == free.status_code == 302
    assert taken.headers["Location"] == free.headers["Location"]
    # Nothing is sent to the taken address: its owner is not pestered, and nothing leaks.
    assert KNOWN not in [m["To"] for m in outbox]


def test_registering_an_existing_email_takes_as_long_as_a_new_one(client, new_client, make_user):
    """Both answers hash the password (Argon2id, tens of milliseconds): no timing tell."""
    make_user(email=KNOWN)
    existing, fresh = [], []
    for n in range(4):
        for email, times in ((KNOWN, existing), (f"new{n}@example.com", fresh)):
            browser = new_client(f"10.9.{n}.{len(times) + len(email)}")
            data = {"csrf_token": csrf_token(browser, "/register"), "display_name": "X", "email": email,
                    "password": "a brand new passphrase"}
            start = time.perf_counter()
            assert browser.post("/register", data=data).status_code == 302
            times.append(time.perf_counter() - start)
    assert statistics.median(existing) > 0.5 * statistics.median(fresh), (existing, fresh)
