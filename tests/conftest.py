"""Shared fixtures: a real app on a real database (SQLite or PostgreSQL).

GENIUS_TEST_DB picks the database: ``sqlite`` (default; a file per test run)
or ``postgresql`` (TEST_DATABASE_URL, default the local `test` database, whose
public schema is dropped and rebuilt by the migrations at the start).
"""

from __future__ import annotations

import contextvars
import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from genius import create_app
from genius.accounts import services
from genius.accounts.models import Role, User
from genius.extensions import db

TEST_DB = os.environ.get("GENIUS_TEST_DB", "sqlite")
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Under pytest-xdist each worker gets its own PostgreSQL database (test_gw0, test_gw1 ...).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:
    _url = sa.make_url(PG_URL)
    PG_URL = _url.set(database=f"{_url.database}_{_WORKER}").render_as_string(hide_password=False)
PASSWORD = "correct horse battery staple"


def pytest_report_header(config):
    return f"GenIUS test database: {TEST_DB}"


def _create_database_if_missing(url: str) -> None:
    """So several people (or helpers) can each use their own TEST_DATABASE_URL on one server."""
    target = sa.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database})
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DB == "postgresql":
        _create_database_if_missing(PG_URL)
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        return PG_URL
    if TEST_DB != "sqlite":
        raise pytest.UsageError(f"GENIUS_TEST_DB must be sqlite or postgresql, not {TEST_DB!r}")
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'genius-test.db'}"


def make_app(database_url: str, instance_path: Path, **overrides):
    config = {
        "GENIUS_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "memory",
        "INSTANCE_PATH": str(instance_path),
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def migrated(database_url, tmp_path_factory) -> str:
    """The schema, built once per run by the real migrations."""
    from flask_migrate import upgrade

    app = make_app(database_url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


# Append-only tables: database triggers refuse DELETE (the moderation log); tests lift them to empty it.
APPEND_ONLY = {"moderation_log"}


def _empty_append_only(conn, table) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"ALTER TABLE {table.name} DISABLE TRIGGER USER"))
        conn.execute(table.delete())
        conn.execute(sa.text(f"ALTER TABLE {table.name} ENABLE TRIGGER USER"))
        return
    triggers = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                            {"t": table.name}).all()
    for name, _sql in triggers:
        conn.execute(sa.text(f"DROP TRIGGER {name}"))
    conn.execute(table.delete())
    for _name, sql in triggers:
        conn.execute(sa.text(sql))


def _empty_all_tables() -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name in APPEND_ONLY:
                _empty_append_only(conn, table)
            else:
                conn.execute(table.delete())


class IsolatedClient(FlaskClient):
    """Each request runs as on a real server: its own app context, `g` and database session.

    The `app` fixture keeps an app context pushed for the test's own database work;
    without this, Flask would reuse that context for every request, sharing `g`
    (Flask-Login's cached user, the CSP nonce) between requests and clients.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(migrated, tmp_path):
    app = make_app(migrated, tmp_path / "instance")
    app.test_client_class = IsolatedClient
    with app.app_context():
        _empty_all_tables()
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    from genius.core.mail import outbox as _outbox

    return _outbox()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/sign-in") -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict | None = None, token_from: str | None = None, **kwargs):
    """POST like a browser: first fetch a page for the CSRF token."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client, token_from or path))
    return client.post(path, data=payload, **kwargs)


@pytest.fixture
def make_user(app):
    counter = {"n": 0}

    def _make_user(role: str = "resident", confirmed: bool = True, email: str | None = None,
                   password: str = PASSWORD, name: str | None = None) -> User:
        counter["n"] += 1
        email = email or f"person{counter['n']}@example.com"
        user = services.create_user(email, name or f"Person {counter['n']}", password, role=Role(role),
                                    confirmed=confirmed, granted_by="admin")
        user.role = role
        db.session.commit()
        return user

    return _make_user


def sign_in(client, email: str, password: str = PASSWORD):
    return post_form(client, "/sign-in", {"email": email, "password": password})


@pytest.fixture
def signed_in(client, make_user):
    """A client signed in with a new account of the given role; returns (client, user)."""

    def _signed_in(role: str = "resident", **kwargs):
        user = make_user(role=role, **kwargs)
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client, user

    return _signed_in
