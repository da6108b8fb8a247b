"""SECURITY.md 14: security headers, and a CSP nonce that matches the page's scripts."""

from __future__ import annotations

import re

import pytest

PAGES = ["/sign-in", "/register", "/forgot-password", "/does-not-exist"]


def csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def script_nonces(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*\bnonce=\"([^\"]+)\"", html)


@pytest.mark.parametrize("path", PAGES)
def test_csp_is_strict(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    directives = csp(response)
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert "*" not in policy.split()


def test_every_script_carries_the_nonce_of_its_response(client):
    response = client.get("/sign-in")
    html = response.get_data(as_text=True)
    [source] = [v for v in csp(response)["script-src"] if v.startswith("'nonce-")]
    nonce = source[len("'nonce-"):-1]
    assert len(nonce) >= 16
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the layout loads a script"
    assert script_nonces(html) == [nonce] * len(scripts)


def test_the_nonce_changes_on_every_request(client):
    nonces = set()
    for _ in range(3):
        response = client.get("/sign-in")
        [source] = [v for v in csp(response)["script-src"] if v.startswith("'nonce-")]
        nonces.add(source)
        assert script_nonces(response.get_data(as_text=True)) == [source[len("'nonce-"):-1]]
    assert len(nonces) == 3


@pytest.mark.parametrize("path", PAGES)
def test_other_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    assert response.headers["X-Frame-Options"] == "DENY"


def test_html_pages_are_not_cached(client):
    assert "no-store" in client.get("/sign-in").headers["Cache-Control"]


def test_no_hsts_in_testing_or_development(client, other_app):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    dev = other_app(GENIUS_ENV="development")
    assert "Strict-Transport-Security" not in dev.test_client().get("/sign-in").headers


def test_hsts_in_production(other_app):
    prod = other_app(GENIUS_ENV="production", SECRET_KEY="p" * 48)
    browser = prod.test_client()
    for path in ("https://genius.example.gov.uk/sign-in", "https://genius.example.gov.uk/nowhere"):
        hsts = browser.get(path).headers["Strict-Transport-Security"]
        max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
        assert max_age >= 31536000
