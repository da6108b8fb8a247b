"""Factories for challenge and idea tests: plain fixtures that return callables.

Imported by tests/challenges/conftest.py and tests/ideas/conftest.py. Every
factory commits, because each request runs in its own app context and
database session (core.support.IsolatedClient), as on a real server.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from sqlalchemy import event, func, select, update

from challenges.world import NAME_OF, ROLE_OF, audience_fields, state_fields
from conftest import sign_in
from genius.challenges.models import Challenge, ChallengeStatusChange, ChallengeTag
from genius.core.models import utcnow
from genius.core.text import render_markdown
from genius.extensions import db
from genius.ideas.models import Idea
from genius.search import services as search


# Stored through every text field by the XSS tests (SECURITY.md 11, 12).
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "{{7*7}}",
    '"><svg onload=alert(1)>',
    "<a href='javascript:alert(1)'>x</a>",
    "{% for x in range(3) %}loop{% endfor %}",
]


def count_rows(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def reload(obj):
    """The row as the database has it now (requests commit in sessions of their own)."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


@pytest.fixture
def cast(make_user):
    """`cast("champion")`: the one user playing that role in this test (made on first use)."""
    made: dict[str, object] = {}

    def _cast(role: str):
        if role == "anonymous":
            return None
        if role not in made:
            made[role] = make_user(role=ROLE_OF[role], confirmed=role != "unconfirmed",
                                   email=f"{role}@example.com", name=NAME_OF.get(role, f"{role.title()} Person"))
        return made[role]

    return _cast


@pytest.fixture
def make_challenge(app, cast):
    def _make_challenge(state: str = "open", audience: str = "public", title: str = "Safer streets",
                        summary: str = "How can we make streets safer?", background: str = "Some background.",
                        tags: tuple[str, ...] = ("transport", "schools"), champion=None, creator=None,
                        **fields) -> Challenge:
        champion = champion or cast("champion")
        creator = creator or cast("creator")
        values = {**state_fields(state), **audience_fields(audience), **fields}
        challenge = Challenge(
            title=title, summary=summary, background_source=background, background_html=render_markdown(background),
            champion_id=champion.id, created_by_id=creator.id, ideas_count=0,
            tags=[ChallengeTag(name=name) for name in tags], **values,
        )
        db.session.add(challenge)
        db.session.flush()
        db.session.add(ChallengeStatusChange(challenge_id=challenge.id, from_status=None, to_status="draft",
                                             changed_by_id=creator.id))
        search.index_challenge(challenge)
        db.session.commit()
        return challenge

    return _make_challenge


@pytest.fixture
def make_idea(app, cast):
    def _make_idea(challenge: Challenge, author=None, title: str = "Bike racks at schools",
                   summary: str = "Secure racks at every primary school.", description: str = "",
                   tags: tuple[str, ...] = (), area: str | None = None, anonymous: bool = False,
                   withdrawn: bool = False, status: str = "submitted", created_at: datetime | None = None,
                   **fields) -> Idea:
        author = author or cast("author")
        created_at = created_at or utcnow()
        idea = Idea(
            challenge_id=challenge.id, author_id=author.id, title=title, summary=summary,
            description_source=description, description_html=render_markdown(description), area=area,
            anonymous=anonymous, status=status, created_at=created_at, updated_at=created_at,
            last_activity_at=fields.pop("last_activity_at", created_at),
            withdrawn_at=utcnow() if withdrawn else None,
            tags=[t for t in challenge.tags if t.name in tags], **fields,
        )
        db.session.add(idea)
        db.session.execute(update(Challenge).where(Challenge.id == challenge.id)
                           .values(ideas_count=Challenge.ideas_count + 1))
        db.session.flush()
        search.index_idea(idea)
        db.session.commit()
        return idea

    return _make_idea


@pytest.fixture
def as_role(cast, new_client):
    """`as_role("resident")` -> (client, user): a fresh browser signed in as that cast member (None if anonymous)."""

    def _as_role(role: str):
        client = new_client()
        user = cast(role)
        if user is not None:
            response = sign_in(client, user.email)
            assert response.status_code == 302, f"{role} could not sign in"
        return client, user

    return _as_role


@pytest.fixture
def count_statements(app):
    """A context manager collecting the SQL statements run inside it."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return _count


def days_ago(n: float) -> datetime:
    return utcnow() - timedelta(days=n)


def main_of(html: str) -> str:
    """The page's <main> element: what the page says, without the header (which names the signed-in person)."""
    start = html.index('<main class="govuk-main-wrapper"')
    return html[start:html.index("</main>", start)]


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def assert_page_inert(html: str) -> None:
    """A whole served page: the only scripts are our own files; no handlers or script URLs anywhere."""
    parser = _Markup()
    parser.feed(html)
    scripts = html.count("<script")
    own = len(re.findall(r'<script type="module" src="/static/[^"]+" nonce="[^"]+"></script>', html))
    assert scripts == own, "a script element that is not one of the site's own files"
    assert not {"iframe", "object", "embed", "img", "svg"} & set(parser.tags), parser.tags
    for name, value in parser.attrs:
        assert not name.startswith("on"), f"event handler attribute {name}={value!r}"
        assert not value.strip().lower().startswith(("javascript:", "vbscript:", "data:")), f"{name}={value!r}"


def assert_inert(html: str) -> None:
    """Stored or served HTML carries no script element, no on* handler and no javascript: URL.

    (Escaped text such as "&lt;script&gt;" is fine: it is shown, not run.)
    """
    parser = _Markup()
    parser.feed(html)
    assert not {"script", "iframe", "object", "embed", "img", "svg"} & set(parser.tags), parser.tags
    for name, value in parser.attrs:
        assert not name.startswith("on"), f"event handler attribute {name}={value!r}"
        assert not value.strip().lower().startswith(("javascript:", "vbscript:", "data:")), f"{name}={value!r}"


def submit(client, path: str, pairs, token_from: str | None = None):
    """POST a form like a browser, repeated names allowed (GOV.UK date inputs post day, month, year)."""
    from werkzeug.datastructures import MultiDict

    from conftest import csrf_token

    items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    token = csrf_token(client, token_from or path)
    return client.post(path, data=MultiDict([("csrf_token", token), *items]))


def date_pairs(name: str, day) -> list[tuple[str, str]]:
    return [(name, str(day.day)), (name, str(day.month)), (name, str(day.year))]


def card_titles(html: str) -> list[str]:
    """Titles of the summary cards on a listing page, in order (challenges or ideas)."""
    return [unescape(t) for t in re.findall(r'class="govuk-summary-card__title"><a class="govuk-link" href="[^"]+">(.*?)</a>', html)]
