"""Fixtures shared by tests/core, tests/accounts and tests/admin (their conftests import them).

Why an own `client`: the root `app` fixture keeps an app context pushed for the
whole test, and Flask reuses a pushed context of the same app for every request.
Then `g` (Flask-Login's cached user, the CSRF token, the CSP nonce, our
`g.sign_in_failed`) and the database session leak from one request into the
next, and from one client into another. Production never shares them, so the
tests must not: each request here runs in an empty contextvars context, and gets
its own app context, `g` and database session, as on a real server.
"""

from __future__ import annotations

import contextvars
import re

import pytest
from flask.testing import FlaskClient

from conftest import make_app
from genius.extensions import db, limiter


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def new_client(app):
    """Another browser: `new_client(remote_addr="10.0.0.9")`, with an empty cookie jar."""
    app.test_client_class = IsolatedClient

    def _new_client(remote_addr: str | None = None):
        browser = app.test_client()
        if remote_addr:
            browser.environ_base["REMOTE_ADDR"] = remote_addr
        return browser

    return _new_client


@pytest.fixture
def other_app(app, migrated, tmp_path):
    """Factory: another app on the test database, with settings of its own.

    Depends on `app` so the tables are emptied before and after, like every test.
    """
    made = []

    def _make(**overrides):
        new_app = make_app(migrated, tmp_path / f"instance-{len(made)}", **overrides)
        new_app.test_client_class = IsolatedClient
        made.append(new_app)
        return new_app

    yield _make
    for made_app in made:
        with made_app.app_context():
            db.session.remove()
            db.engine.dispose()
    # Flask-Limiter keeps "the storage is down" on the one shared Limiter object,
    # not per app: the next app must start with its own, live storage.
    limiter._storage_dead = False


# Reading pages.

_FIELD_ERROR = r'<p id="{field}-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>\s*(.*?)\s*</p>'


def field_error(html: str, field: str) -> str | None:
    """The GOV.UK error message shown next to a field, or None."""
    match = re.search(_FIELD_ERROR.format(field=re.escape(field)), html, re.S)
    return match.group(1) if match else None


def error_summary(html: str) -> dict[str, str]:
    """The GOV.UK error summary: {"#field": "message"}; empty when there is none."""
    if 'class="govuk-error-summary"' not in html:
        return {}
    body = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return {href: text.strip() for href, text in re.findall(r'<a href="(#[^"]+)">(.*?)</a>', body, re.S)}
