"""SECURITY.md 3 and 19: failed sign-ins are throttled per account and per address, never for good."""

from __future__ import annotations

import logging
import os
import time
import types
import uuid

import limits.storage.memory
import pytest
import redis

from conftest import PASSWORD, post_form, sign_in
from genius.extensions import limiter

WRONG = "not the password at all"
REDIS_URL = "redis://127.0.0.1:6379"


@pytest.fixture
def limits_clock(monkeypatch):
    """Move the in-memory limit storage's clock (the `limits` library's, not ours)."""

    def _shift(seconds: float) -> None:
        monkeypatch.setattr(limits.storage.memory, "time", types.SimpleNamespace(time=lambda: time.time() + seconds))

    return _shift


def test_sixth_failure_for_one_account_is_throttled_whatever_the_address(new_client, make_user):
    user = make_user(email="victim@example.com")
    for n, spelling in enumerate(["victim@example.com", "VICTIM@example.com", " victim@example.com",
                                  "Victim@Example.com", "victim@EXAMPLE.COM"]):
        assert sign_in(new_client(f"10.1.0.{n}"), spelling, WRONG).status_code == 400
    response = sign_in(new_client("10.1.0.99"), user.email, WRONG)
    assert response.status_code == 429
    # Throttled means throttled: even the right password waits for the window.
    assert sign_in(new_client("10.1.0.98"), user.email).status_code == 429


def test_sixth_failure_from_one_address_is_throttled_whatever_the_account(new_client, make_user):
    users = [make_user() for _ in range(6)]
    attacker = new_client("10.2.0.1")
    for user in users[:5]:
        assert sign_in(attacker, user.email, WRONG).status_code == 400
    assert sign_in(attacker, users[5].email, WRONG).status_code == 429
    assert sign_in(attacker, "nobody@example.com", WRONG).status_code == 429


def test_successful_sign_ins_are_not_counted(new_client, make_user):
    user = make_user()
    for _ in range(4):
        assert sign_in(new_client(), user.email, WRONG).status_code == 400
    for _ in range(3):
        assert sign_in(new_client(), user.email).status_code == 302
    assert sign_in(new_client(), user.email, WRONG).status_code == 400  # the 5th failure
    assert sign_in(new_client(), user.email, WRONG).status_code == 429  # the 6th


def test_form_errors_are_not_counted_as_failed_sign_ins(client, make_user):
    user = make_user()
    for _ in range(6):
        assert post_form(client, "/sign-in", {"email": "not an email", "password": "x"}).status_code == 400
    assert sign_in(client, user.email).status_code == 302


def test_the_limit_lifts_when_the_minute_is_over(new_client, make_user, limits_clock):
    victim = make_user()
    attacker = new_client("10.3.0.1")
    for _ in range(5):
        sign_in(attacker, victim.email, WRONG)
    assert sign_in(new_client("10.3.0.2"), victim.email).status_code == 429
    limits_clock(61)
    assert sign_in(new_client("10.3.0.2"), victim.email).status_code == 302


def test_no_one_else_is_locked_out_by_an_attack(new_client, make_user):
    victim, bystander = make_user(), make_user()
    attacker = new_client("10.4.0.1")
    for _ in range(8):
        sign_in(attacker, victim.email, WRONG)
    assert sign_in(new_client("10.4.0.2"), bystander.email).status_code == 302


def test_the_throttle_on_re_entering_a_password(signed_in):
    client, _ = signed_in()
    data = {"current_password": WRONG, "new_password": "a fresh long passphrase"}
    for _ in range(5):
        assert post_form(client, "/account/password", data).status_code == 400
    assert post_form(client, "/account/password", data).status_code == 429


def test_re_entering_a_password_is_limited_per_account_not_just_per_address(signed_in, new_client):
    """A stolen session used from many addresses must not get unlimited guesses at the password."""
    client, _ = signed_in()
    cookie = client.get_cookie("genius_session").value
    guesses = [("/account/password", {"current_password": WRONG, "new_password": "a fresh long passphrase"}),
               ("/account/email", {"current_password": WRONG, "new_email": "thief@example.com"})]
    for n in range(6):
        thief = new_client(f"10.8.0.{n}")
        thief.set_cookie("genius_session", cookie)
        path, data = guesses[n % 2]
        status = post_form(thief, path, data).status_code
        assert status == (400 if n < 5 else 429), (n, path)


def test_registration_is_limited_per_address(new_client):
    browser = new_client("10.5.0.1")
    for n in range(10):
        response = post_form(browser, "/register", {"display_name": "R", "email": f"r{n}@example.com", "password": PASSWORD})
        assert response.status_code == 302
    response = post_form(browser, "/register", {"display_name": "R", "email": "r10@example.com", "password": PASSWORD})
    assert response.status_code == 429


# Shared storage in Redis, and falling back to memory when Redis is down.


def redis_or_skip() -> redis.Redis:
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}, and CI needs it")
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    return server


@pytest.fixture
def fresh_key_prefix():
    # Flask-Limiter keeps the first app's key prefix on the shared Limiter object;
    # let the next app's RATELIMIT_KEY_PREFIX apply, and put things back after.
    saved = limiter._key_prefix
    limiter._key_prefix = ""
    yield f"genius-test-{uuid.uuid4().hex}"
    limiter._key_prefix = saved


def test_limits_live_in_redis(other_app, make_user, fresh_key_prefix):
    server = redis_or_skip()
    shared = other_app(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=fresh_key_prefix)
    user = make_user()
    try:
        for n in range(5):
            browser = shared.test_client()
            browser.environ_base["REMOTE_ADDR"] = f"10.6.0.{n}"
            assert sign_in(browser, user.email, WRONG).status_code == 400
        keys = [k.decode() for k in server.scan_iter(f"*{fresh_key_prefix}*")]
        assert any("sign-in-email" in k for k in keys), keys
        assert sum(int(server.get(k)) for k in keys if "sign-in-email" in k) == 5
        # Another process sharing the Redis would see the same count: this app does.
        last = shared.test_client()
        last.environ_base["REMOTE_ADDR"] = "10.6.0.99"
        assert sign_in(last, user.email, WRONG).status_code == 429
    finally:
        for key in server.scan_iter(f"*{fresh_key_prefix}*"):
            server.delete(key)


def test_the_site_keeps_serving_when_redis_is_down(other_app, make_user, caplog):
    cut_off = other_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")
    user = make_user()
    browser = cut_off.test_client()
    with caplog.at_level(logging.WARNING):
        assert browser.get("/sign-in").status_code == 200
        assert sign_in(browser, user.email).status_code == 302
        assert browser.get("/account").status_code == 200
    assert "falling back to in-memory storage" in caplog.text
    # And the limits still hold, per process.
    attacker = cut_off.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "10.7.0.1"
    for _ in range(5):
        assert sign_in(attacker, user.email, WRONG).status_code == 400
    assert sign_in(attacker, user.email, WRONG).status_code == 429
