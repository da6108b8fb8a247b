"""Search fixtures: challenges and ideas made with the models and indexed by the search services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from genius.challenges.models import Challenge, ChallengeTag
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea
from genius.search import services


@pytest.fixture
def app(app):
    """The app, with the search blueprint (and stand-ins for pages not written yet) registered."""
    if "search" not in app.blueprints:
        from genius.search.views import bp

        app.register_blueprint(bp)
    stand_ins = {
        "challenges.detail": "/challenges/<int:challenge_id>",
        "ideas.detail": "/ideas/<int:idea_id>",
    }
    for endpoint, rule in stand_ins.items():
        if endpoint not in app.view_functions:
            app.add_url_rule(rule, endpoint=endpoint, view_func=lambda **_: "stand-in")
    return app


@pytest.fixture
def champion(make_user):
    return make_user(role="staff", email="champion@council.example.gov.uk")


@pytest.fixture
def make_challenge(app, champion):
    def _make_challenge(title: str = "Safer streets", summary: str = "How can we make streets safer?",
                        background: str = "", tags: tuple[str, ...] = (), status: str = "open",
                        audience: str = "public", public_from=None, commit: bool = True) -> Challenge:
        now = utcnow()
        challenge = Challenge(
            title=title,
            summary=summary,
            background_source=background,
            background_html="",
            champion_id=champion.id,
            created_by_id=champion.id,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            status=status,
            audience=audience,
            public_from=public_from,
            tags=[ChallengeTag(name=name) for name in tags],
        )
        db.session.add(challenge)
        db.session.flush()
        services.index_challenge(challenge)
        if commit:
            db.session.commit()
        return challenge

    return _make_challenge


@pytest.fixture
def author(make_user):
    return make_user(role="resident", email="author@example.com")


@pytest.fixture
def make_idea(app, author):
    def _make_idea(challenge: Challenge, title: str = "An idea", summary: str = "A short summary",
                   description: str = "", tags: tuple[str, ...] = (), area: str | None = None,
                   withdrawn: bool = False, supports_count: int = 0, commit: bool = True) -> Idea:
        idea = Idea(
            challenge_id=challenge.id,
            author_id=author.id,
            title=title,
            summary=summary,
            description_source=description,
            description_html="",
            area=area,
            withdrawn_at=utcnow() if withdrawn else None,
            supports_count=supports_count,
            tags=[t for t in challenge.tags if t.name in tags],
        )
        db.session.add(idea)
        db.session.flush()
        services.index_idea(idea)
        if commit:
            db.session.commit()
        return idea

    return _make_idea


@pytest.fixture
def add_matching_ideas(app):
    """Many ideas titled "Bench number N" in a challenge, indexed one by one as the services do."""

    def _add(challenge: Challenge, n: int) -> None:
        ideas = [Idea(challenge_id=challenge.id, author_id=challenge.champion_id, title=f"Bench number {i}",
                      summary="Somewhere to sit", description_source="", description_html="") for i in range(n)]
        db.session.add_all(ideas)
        db.session.flush()
        for idea in ideas:
            services.index_idea(idea, tag_names=[])
        db.session.commit()

    return _add


@pytest.fixture
def count_statements(app):
    """A context manager counting the SQL statements run inside it."""
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
