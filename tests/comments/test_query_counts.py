"""An idea page costs the same number of SQL statements with 5 comments and with 500: the first
THREADS_PER_PAGE (20) threads and their total come in one statement, all their replies in one, authors joined in. The same holds
for a challenge's questions. Counts are printed (pytest -s) and written to
test-artifacts/comment-query-counts.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from comments.support import bulk_threads
from genius.comments.models import THREADS_PER_PAGE
from genius.extensions import db

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "comment-query-counts.json"


def measure(client, path: str, count_statements) -> tuple[int, str]:
    client.get(path)  # warm: the first request of a client may load settings once
    with count_statements() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


@pytest.mark.parametrize("where", ["idea", "challenge"])
def test_statements_do_not_grow_from_5_to_500_comments(as_role, make_challenge, make_idea, cast, count_statements, where):
    challenge = make_challenge("open")
    idea = make_idea(challenge) if where == "idea" else None
    path = f"/ideas/{idea.id}" if idea else f"/challenges/{challenge.id}"
    authors = [cast(r) for r in ("resident", "author", "staff", "champion", "moderator", "admin")]
    readers = {"anonymous": as_role("anonymous")[0], "resident": as_role("resident")[0], "staff": as_role("staff")[0]}

    # 5 comments: 2 threads, with 3 replies between them.
    bulk_threads(challenge, idea, authors, threads=1, replies_per_thread=3)
    bulk_threads(challenge, idea, authors, threads=1, replies_per_thread=0)
    small = {}
    for reader, client in readers.items():
        small[reader], html = measure(client, path, count_statements)
        assert html.count('class="genius-comment"') == 5
    # 500 comments: 99 more threads of 5; the page shows the first 20 threads and all their replies.
    bulk_threads(challenge, idea, authors, threads=99, replies_per_thread=4)
    large = {}
    for reader, client in readers.items():
        large[reader], html = measure(client, path, count_statements)
        assert THREADS_PER_PAGE == 20
        assert html.count('class="genius-comment"') == 5 + 18 * 5, "the first 20 threads with every reply"
        assert "500 comments in 101 conversations, showing page 1 of 6." in html
    page_3 = measure(readers["anonymous"], path + "?comments_page=3", count_statements)[0]

    dialect = db.engine.dialect.name
    print(f"\nSQL statements for the {where} page ({dialect}): at 5 comments {small}, at 500 {large}, page 3: {page_3}")
    ARTIFACT.parent.mkdir(exist_ok=True)
    saved = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    saved.setdefault(dialect, {})[where] = {"at_5": small, "at_500": large, "page_3_at_500": page_3}
    ARTIFACT.write_text(json.dumps(saved, indent=2, sort_keys=True))
    assert large == small, "a page's statement count grew with the number of comments"
    assert page_3 == small["anonymous"]


def test_the_discussion_costs_two_statements(app, make_challenge, make_idea, cast, count_statements):
    """Exactly: the page of threads with their total, then their replies (authors joined)."""
    from flask_login import AnonymousUserMixin

    from genius.comments.threads import discussion

    challenge = make_challenge("open")
    idea = make_idea(challenge)
    bulk_threads(challenge, idea, [cast("resident"), cast("author")], threads=60, replies_per_thread=4)
    db.session.rollback()
    idea = db.session.get(type(idea), idea.id)
    _ = idea.challenge.champion, idea.author
    with app.test_request_context(f"/ideas/{idea.id}"):
        with count_statements() as statements:
            d = discussion(AnonymousUserMixin(), idea.challenge, idea)
            names = [d.author_label(c) for c in d.page.items] + [d.author_label(r) for rs in d.replies.values() for r in rs]
    assert len(statements) == 2, statements
    assert len(d.page.items) == 20 and sum(len(r) for r in d.replies.values()) == 80 and len(names) == 100
