"""SECURITY.md 13 and 20: error pages in the layout with the right status, no tracebacks, security events logged."""

from __future__ import annotations

import logging
import re
import time

import pytest

from conftest import PASSWORD, post_form, sign_in
from genius.core.security import UTCFormatter, security_log

SECRET_DETAIL = "internal-detail-7c1e do not show"


def assert_error_page(response, status: int, title: str) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert f"<title>{title} – " in html
    assert f"Error code: {status}" in html
    # In the site layout.
    assert "Skip to main content" in html and "Accessibility statement" in html
    assert "Traceback" not in html and "Werkzeug" not in html
    return html


def test_400_csrf_token_missing(client):
    response = client.post("/sign-in", data={"email": "a@example.com", "password": PASSWORD})
    html = assert_error_page(response, 400, "There was a problem with your request")
    assert "The form you used has expired" in html


def test_400_csrf_token_forged(client, make_user):
    user = make_user()
    client.get("/sign-in")
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"})
    assert_error_page(response, 400, "There was a problem with your request")
    assert client.get("/account").status_code == 302


def test_403(signed_in):
    client, _ = signed_in("resident")
    assert_error_page(client.get("/admin/people"), 403, "You do not have permission to see this page")


def test_404(client):
    assert_error_page(client.get("/no/such/page"), 404, "Page not found")


def test_405(client):
    assert_error_page(client.get("/sign-out"), 405, "This page cannot be used that way")


def test_413_body_over_the_limit(app, client):
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/sign-in", data={"email": "a@example.com", "password": too_big})
    assert_error_page(response, 413, "What you sent is too large")


def test_429(client, make_user):
    user = make_user()
    for _ in range(5):
        assert sign_in(client, user.email, "wrong password here").status_code == 400
    response = sign_in(client, user.email, "wrong password here")
    assert_error_page(response, 429, "Too many attempts")
    assert int(response.headers["Retry-After"]) > 0


def test_500_shows_our_page_and_logs_the_traceback(other_app, caplog):
    fresh = other_app()

    def explode():
        raise RuntimeError(SECRET_DETAIL)

    fresh.add_url_rule("/explode", "explode", explode)
    with caplog.at_level(logging.ERROR, logger="genius"):
        response = fresh.test_client().get("/explode")
    html = assert_error_page(response, 500, "Sorry, there is a problem with the service")
    assert SECRET_DETAIL not in html and "RuntimeError" not in html
    # Operators still get the whole story in the log.
    assert any(r.exc_info and SECRET_DETAIL in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.parametrize("method, path", [("GET", "/healthz"), ("POST", "/sign-in")])
def test_503_when_the_database_is_unreachable(other_app, method, path):
    unreachable = other_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/none")
    browser = unreachable.test_client()
    if method == "GET":
        response = browser.get(path)
    else:
        response = post_form(browser, path, {"email": "a@example.com", "password": PASSWORD})
    html = assert_error_page(response, 503, "Sorry, the service is unavailable")
    assert "psycopg" not in html and "127.0.0.1:1" not in html


def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_error_pages_keep_the_security_headers(client):
    response = client.get("/no/such/page")
    assert "object-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# The security event log.


def security_lines(caplog) -> list[str]:
    [handler] = [h for h in security_log.handlers if isinstance(h.formatter, UTCFormatter)]
    return [handler.formatter.format(r) for r in caplog.records if r.name == "genius.security"]


def test_security_events_are_logged_in_utc_without_secrets(client, new_client, make_user, caplog):
    user = make_user(email="logged@example.com")
    caplog.set_level(logging.INFO, logger="genius.security")
    assert sign_in(client, user.email, "my wrong secret pass").status_code == 400
    assert sign_in(client, user.email).status_code == 302
    assert client.get("/admin/people").status_code == 403
    attacker = new_client("10.4.4.4")
    for _ in range(6):
        sign_in(attacker, "someone@example.com", "guessing guessing")

    lines = security_lines(caplog)
    text = "\n".join(lines)
    for event in ("event=sign_in_failed", "event=sign_in ", "event=forbidden", "event=throttled"):
        assert event in text, event
    for line in lines:
        stamp = line.split(" ", 1)[0]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", stamp), line
    record = next(r for r in caplog.records if r.name == "genius.security")
    assert lines[0].startswith(time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)))
    # Never a password, and not the email address in clear either.
    for secret in ("my wrong secret pass", PASSWORD, "guessing guessing", "logged@example.com", "someone@example.com"):
        assert secret not in text and secret not in caplog.text
