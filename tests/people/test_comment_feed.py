"""The comments on a profile, paged by position: newer and older links, no total, one statement
whatever the person wrote, and a cursor never shows what the reader may not see."""

from __future__ import annotations

import html
import re

from sqlalchemy import event, insert, select, update

from challenges.factories import main_of
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.extensions import db

PER_PAGE = 10


def add_comments(challenge, author, n: int, start: int = 0, **values) -> list[int]:
    now = utcnow()
    rows = [dict(challenge_id=challenge.id, author_id=author.id, body_source=f"Comment number {i:04d}",
                 body_html=f"<p>Comment number {i:04d}</p>", created_at=now, updated_at=now, **values)
            for i in range(start, start + n)]
    db.session.execute(insert(Comment), rows)
    db.session.commit()
    return db.session.scalars(select(Comment.id).where(Comment.author_id == author.id).order_by(Comment.id)).all()


def shown(response) -> list[str]:
    return re.findall(r"Comment number (\d{4})", main_of(response.get_data(as_text=True)))


def link(response, text: str) -> str | None:
    """The href of the pagination link "Newer comments" (rel=prev) or "Older comments" (rel=next)."""
    body = response.get_data(as_text=True)
    rel = "prev" if text == "Newer comments" else "next"
    found = re.search(rf'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="{rel}">.*?{text}', body, re.S)
    return html.unescape(found.group(1)) if found else None


def test_older_and_newer_links_walk_every_comment_once(as_role, make_challenge, cast):
    author = cast("member")
    # All at the same moment: the id breaks the tie, as it does in the index.
    add_comments(make_challenge("open"), author, 25)
    client, _ = as_role("anonymous")
    page = client.get(f"/people/{author.id}")
    assert shown(page) == [f"{i:04d}" for i in range(24, 14, -1)]
    assert link(page, "Newer comments") is None
    seen = shown(page)
    pages = [page]
    while (older := link(pages[-1], "Older comments")) is not None:
        assert older.endswith("#comments")
        pages.append(client.get(older))
        seen += shown(pages[-1])
    assert seen == [f"{i:04d}" for i in range(24, -1, -1)]
    assert len(pages) == 3 and "Older comments, newest first" in pages[-1].get_data(as_text=True)
    # And back again from the oldest page.
    newer = link(pages[-1], "Newer comments")
    back = client.get(newer)
    assert shown(back) == shown(pages[1])
    assert link(client.get(link(back, "Newer comments")), "Newer comments") is None


def test_a_cursor_shows_nothing_the_reader_may_not_see(as_role, make_challenge, cast):
    author = cast("member")
    public = make_challenge("open")
    internal = make_challenge("open", audience="staff", title="Internal")
    add_comments(public, author, 3)
    staff_only = add_comments(internal, author, 3, start=3)[-3:]
    hidden = add_comments(public, author, 2, start=6)[-2:]
    db.session.execute(update(Comment).where(Comment.id.in_(hidden)).values(moderation_state="hidden"))
    db.session.commit()
    client, _ = as_role("resident")
    for cursor in ("comments_before", "comments_after"):
        for comment_id in staff_only + hidden:
            page = client.get(f"/people/{author.id}?{cursor}={comment_id}")
            assert page.status_code == 200
            assert set(shown(page)) <= {"0000", "0001", "0002"}
    staff, _ = as_role("staff")
    assert shown(staff.get(f"/people/{author.id}")) == ["0005", "0004", "0003", "0002", "0001", "0000"]


def test_a_cursor_that_matches_nothing_links_back_to_the_newest(as_role, make_challenge, cast):
    author = cast("member")
    add_comments(make_challenge("open"), author, 2)
    client, _ = as_role("anonymous")
    page = client.get(f"/people/{author.id}?comments_before=123456789")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and shown(page) == []
    assert "There are no comments here" in text and f'href="/people/{author.id}?ideas_page=1#comments"' in text


def test_one_statement_for_the_comments_whatever_the_person_wrote(as_role, make_challenge, cast, app):
    author = cast("member")
    challenge = make_challenge("open")
    add_comments(challenge, author, 3)
    client, _ = as_role("anonymous")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def measure(path: str) -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    few = measure(f"/people/{author.id}")
    ids = add_comments(challenge, author, 500, start=3)
    many = measure(f"/people/{author.id}")
    deep = measure(f"/people/{author.id}?comments_before={ids[100]}")
    assert few == many == deep <= 10
    assert sum("FROM comments" in s for s in statements) == 1
